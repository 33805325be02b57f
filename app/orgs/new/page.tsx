import type { Metadata } from "next";
import Link from "next/link";
import { requireUser, orgsOf } from "@/lib/auth/page-guard";
import { CreateOrgForm } from "@/components/orgs/create-org-form";
import { createOrganization } from "./actions";

export const metadata: Metadata = { title: "Create organization" };
export const dynamic = "force-dynamic";

export default async function NewOrgPage() {
  const user = await requireUser("/orgs/new");
  const orgs = await orgsOf(user.id);
  return (
    <main className="auth-page">
      <div className="auth-card">
        <span className="brand">Burnrate</span>
        <h1>Create organization</h1>
        {orgs.length === 0 ? <p className="muted">You are not a member of any organization yet. Create one, or ask an admin for an invitation.</p> : null}
        <CreateOrgForm create={createOrganization} />
        {orgs[0] ? (
          <p className="footer">
            <Link href={`/${orgs[0].slug}/overview`}>Back to {orgs[0].name}</Link>
          </p>
        ) : null}
      </div>
    </main>
  );
}
