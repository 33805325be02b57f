// Resolving "who is acting, in which org, with which role": the core of tenancy.
import type { PrismaClient } from "../db/client";
import type { Permission, RoleName } from "../domain/roles";
import { can } from "../domain/roles";
import { forbidden, notFound } from "../http/errors";

export type Actor = { kind: "user"; userId: string; email: string } | { kind: "apiKey"; keyId: string };

export type OrgContext = {
  orgId: string;
  orgSlug: string;
  orgName: string;
  currency: string;
  role: RoleName;
  actor: Actor;
};

/** The org a user may act in, by slug; 404 (not 403) when they are not a member, so slugs do not leak. */
export async function orgForUser(
  prisma: PrismaClient,
  { userId, email, orgSlug }: { userId: string; email: string; orgSlug: string },
): Promise<OrgContext> {
  const m = await prisma.membership.findFirst({
    where: { userId, org: { slug: orgSlug } },
    include: { org: true },
  });
  if (!m) throw notFound("Organization not found");
  return {
    orgId: m.orgId,
    orgSlug: m.org.slug,
    orgName: m.org.name,
    currency: m.org.currency,
    role: m.role,
    actor: { kind: "user", userId, email },
  };
}

export async function orgForApiKey(
  prisma: PrismaClient,
  { keyId, orgId, role, orgSlug }: { keyId: string; orgId: string; role: RoleName; orgSlug?: string | null },
): Promise<OrgContext> {
  const org = await prisma.org.findUnique({ where: { id: orgId } });
  // A key belongs to one org; naming another org with it is a not-found, never a switch.
  if (!org || (orgSlug && orgSlug !== org.slug)) throw notFound("Organization not found");
  return { orgId, orgSlug: org.slug, orgName: org.name, currency: org.currency, role, actor: { kind: "apiKey", keyId } };
}

export function requirePermission(ctx: OrgContext, permission: Permission) {
  if (!can(ctx.role, permission)) throw forbidden(`Your role (${ctx.role}) cannot ${permission.replace(":", " ")}`);
}

export async function userOrgs(prisma: PrismaClient, userId: string) {
  const rows = await prisma.membership.findMany({ where: { userId }, include: { org: true }, orderBy: { org: { name: "asc" } } });
  return rows.map((m) => ({ id: m.orgId, slug: m.org.slug, name: m.org.name, role: m.role }));
}
