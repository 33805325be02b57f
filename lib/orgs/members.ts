// Members of an org: list, change role, remove, leave. Every function takes orgId and never loads a
// membership by id alone, so an id from another org is simply "not found".
//
// The last-admin rule: an org always keeps at least one ADMIN. Demotions and removals lock the org's
// admin memberships (SELECT ... FOR UPDATE) inside the transaction, so two admins demoting each other
// at the same moment cannot both succeed.
import type { Prisma, PrismaClient } from "../db/client";
import type { RoleName } from "../domain/roles";
import { conflict, notFound } from "../http/errors";

export type MemberRow = { id: string; userId: string; email: string; name: string | null; role: RoleName; joinedAt: Date };

export async function listMembers(prisma: PrismaClient, orgId: string): Promise<MemberRow[]> {
  const rows = await prisma.membership.findMany({
    where: { orgId },
    include: { user: { select: { email: true, name: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((m) => ({ id: m.id, userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt }));
}

async function lockAdmins(tx: Prisma.TransactionClient, orgId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM memberships WHERE org_id = ${orgId} AND role = 'ADMIN' FOR UPDATE`;
  return rows.map((r) => r.id);
}

const LAST_ADMIN = "An organization needs at least one admin: make someone else an admin first";

export async function changeMemberRole(
  prisma: PrismaClient,
  { orgId, membershipId, role }: { orgId: string; membershipId: string; role: RoleName },
): Promise<MemberRow> {
  await prisma.$transaction(async (tx) => {
    const admins = await lockAdmins(tx, orgId);
    const m = await tx.membership.findFirst({ where: { id: membershipId, orgId } });
    if (!m) throw notFound("Member not found");
    if (m.role === "ADMIN" && role !== "ADMIN" && admins.length <= 1) throw conflict(LAST_ADMIN);
    await tx.membership.update({ where: { id: m.id }, data: { role } });
  });
  const row = (await listMembers(prisma, orgId)).find((m) => m.id === membershipId);
  if (!row) throw notFound("Member not found");
  return row;
}

export async function removeMember(prisma: PrismaClient, { orgId, membershipId }: { orgId: string; membershipId: string }) {
  await prisma.$transaction(async (tx) => {
    const admins = await lockAdmins(tx, orgId);
    const m = await tx.membership.findFirst({ where: { id: membershipId, orgId } });
    if (!m) throw notFound("Member not found");
    if (m.role === "ADMIN" && admins.length <= 1) throw conflict(LAST_ADMIN);
    await tx.membership.delete({ where: { id: m.id } });
  });
  return { removed: membershipId };
}

export async function leaveOrg(prisma: PrismaClient, { orgId, userId }: { orgId: string; userId: string }) {
  const m = await prisma.membership.findFirst({ where: { orgId, userId }, select: { id: true } });
  if (!m) throw notFound("Organization not found");
  await removeMember(prisma, { orgId, membershipId: m.id });
  return { left: true };
}
