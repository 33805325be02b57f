import { requireOrgMember, orgsOf } from "@/lib/auth/page-guard";
import { AppHeader } from "@/components/shell/app-header";
import { QueryProvider } from "@/components/providers";
import { OrgProvider } from "@/components/org-context";

export const dynamic = "force-dynamic";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { user, ctx } = await requireOrgMember(org, `/${org}/overview`);
  const orgs = await orgsOf(user.id);
  return (
    <QueryProvider>
      <OrgProvider org={{ slug: ctx.orgSlug, name: ctx.orgName, currency: ctx.currency, role: ctx.role, userId: user.id }}>
        <AppHeader current={{ slug: ctx.orgSlug, name: ctx.orgName, role: ctx.role }} orgs={orgs} user={{ email: user.email, name: user.name }} />
        <main id="main" className="content" tabIndex={-1}>
          {children}
        </main>
      </OrgProvider>
    </QueryProvider>
  );
}
