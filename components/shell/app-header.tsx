"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { ROLE_LABELS, type RoleName } from "@/lib/domain/roles";
import { Menu } from "./menu";

export type OrgSummary = { slug: string; name: string; role: RoleName };

const NAV = [
  { segment: "overview", label: "Overview" },
  { segment: "fleet", label: "GPU fleet" },
  { segment: "training", label: "Training runs" },
  { segment: "inference", label: "Inference" },
  { segment: "explorer", label: "Cost explorer" },
  { segment: "recommendations", label: "Recommendations" },
  { segment: "budgets", label: "Budgets" },
  { segment: "slos", label: "SLOs" },
  { segment: "alerts", label: "Alerts" },
  { segment: "ingestion", label: "Ingestion" },
  { segment: "settings", label: "Settings" },
] as const;

export function AppHeader({ current, orgs, user }: { current: OrgSummary; orgs: OrgSummary[]; user: { email: string; name: string | null } }) {
  const pathname = usePathname();
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Link className="brand" href={`/${current.slug}/overview`}>
        Burnrate
      </Link>
      <Menu
        align="left"
        testId="org-switcher"
        label={
          <>
            <span className="visually-hidden">Organization: </span>
            {current.name} <span aria-hidden="true">▾</span>
          </>
        }
      >
        <nav aria-label="Organizations">
          <ul data-testid="org-switcher-list">
            {orgs.map((o) => (
              <li key={o.slug}>
                <Link href={`/${o.slug}/overview`} aria-current={o.slug === current.slug ? "true" : undefined}>
                  {o.name} <span className="muted">· {ROLE_LABELS[o.role]}</span>
                </Link>
              </li>
            ))}
          </ul>
          <div className="sep" role="presentation" />
          <Link href="/orgs/new">+ Create organization</Link>
        </nav>
      </Menu>
      <nav aria-label="Main">
        <ul>
          {NAV.map((n) => {
            const href = `/${current.slug}/${n.segment}`;
            const active = pathname === href || pathname.startsWith(`${href}/`);
            return (
              <li key={n.segment}>
                <Link href={href} aria-current={active ? "page" : undefined}>
                  {n.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <span className="spacer" />
      <Menu
        testId="user-menu"
        label={
          <>
            <span className="visually-hidden">Account: </span>
            {user.name ?? user.email} <span aria-hidden="true">▾</span>
          </>
        }
      >
        <p className="meta">{user.email}</p>
        <div className="sep" role="presentation" />
        <button type="button" onClick={() => signOut({ callbackUrl: "/signin" })}>
          Sign out
        </button>
      </Menu>
    </header>
  );
}
