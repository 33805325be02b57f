// Invitations: an admin invites an email with a role; the link carries a random token whose sha256 is
// stored (tokenHash), so a database dump cannot be turned into working links. Email delivery comes
// later; until then the admin copies the link from the settings page.
import type { PrismaClient } from "../db/client";
import type { RoleName } from "../domain/roles";
import { randomToken, sha256Hex } from "../crypto/secrets";
import { hashPassword } from "../auth/passwords";
import { AppError, conflict, forbidden, notFound } from "../http/errors";

export const INVITATION_TTL_DAYS = 7;

export type InvitationRow = { id: string; email: string; role: RoleName; expiresAt: Date; createdAt: Date; invitedByEmail: string | null };

export async function listPendingInvitations(prisma: PrismaClient, { orgId, now = new Date() }: { orgId: string; now?: Date }): Promise<InvitationRow[]> {
  const rows = await prisma.invitation.findMany({
    where: { orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    include: { invitedBy: { select: { email: true } } },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, expiresAt: r.expiresAt, createdAt: r.createdAt, invitedByEmail: r.invitedBy?.email ?? null }));
}

/** Returns the token once; only its hash is stored. A newer invitation to the same email replaces older ones. */
export async function createInvitation(
  prisma: PrismaClient,
  { orgId, email, role, invitedById, now = new Date() }: { orgId: string; email: string; role: RoleName; invitedById?: string; now?: Date },
) {
  const normalized = email.trim().toLowerCase();
  const existing = await prisma.membership.findFirst({ where: { orgId, user: { email: normalized } }, select: { id: true } });
  if (existing) throw conflict(`${normalized} is already a member`);
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 24 * 3600 * 1000);
  const invitation = await prisma.$transaction(async (tx) => {
    await tx.invitation.updateMany({ where: { orgId, email: normalized, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
    return tx.invitation.create({ data: { orgId, email: normalized, role, tokenHash: sha256Hex(token), invitedById, expiresAt } });
  });
  return { id: invitation.id, email: normalized, role, expiresAt, token, path: `/invite/${token}` };
}

export async function revokeInvitation(prisma: PrismaClient, { orgId, invitationId, now = new Date() }: { orgId: string; invitationId: string; now?: Date }) {
  const { count } = await prisma.invitation.updateMany({
    where: { id: invitationId, orgId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
  if (count !== 1) throw notFound("Invitation not found");
  return { revoked: invitationId };
}

export type InvitationView = {
  email: string;
  role: RoleName;
  orgName: string;
  orgSlug: string;
  expiresAt: Date;
  status: "pending" | "expired" | "accepted" | "revoked";
  userExists: boolean;
};

/** What the invite page shows for a token; null when the token is unknown. */
export async function findInvitation(prisma: PrismaClient, { token, now = new Date() }: { token: string; now?: Date }): Promise<InvitationView | null> {
  const inv = await prisma.invitation.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { org: true } });
  if (!inv) return null;
  const status = inv.acceptedAt ? "accepted" : inv.revokedAt ? "revoked" : inv.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
  const user = await prisma.user.findUnique({ where: { email: inv.email }, select: { id: true } });
  return { email: inv.email, role: inv.role, orgName: inv.org.name, orgSlug: inv.org.slug, expiresAt: inv.expiresAt, status, userExists: Boolean(user) };
}

async function usablePendingInvitation(prisma: PrismaClient, token: string, now: Date) {
  const inv = await prisma.invitation.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { org: { select: { slug: true } } } });
  // Unknown, used, revoked and expired tokens all look the same to the caller.
  if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt.getTime() <= now.getTime()) {
    throw notFound("This invitation is invalid or has expired");
  }
  return inv;
}

/** A signed-in user accepts: their email must be the invited one. Joining twice keeps the existing role. */
export async function acceptInvitation(
  prisma: PrismaClient,
  { token, userId, email, now = new Date() }: { token: string; userId: string; email: string; now?: Date },
) {
  const inv = await usablePendingInvitation(prisma, token, now);
  if (inv.email !== email.trim().toLowerCase()) throw forbidden("This invitation was sent to a different email address");
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null, revokedAt: null }, data: { acceptedAt: now } });
    if (count !== 1) throw notFound("This invitation is invalid or has expired");
    await tx.membership.upsert({
      where: { orgId_userId: { orgId: inv.orgId, userId } },
      update: {},
      create: { orgId: inv.orgId, userId, role: inv.role },
    });
  });
  return { orgSlug: inv.org.slug };
}

/** Someone without an account accepts: the account is created for the invited email. */
export async function acceptInvitationWithNewAccount(
  prisma: PrismaClient,
  { token, name, password, now = new Date() }: { token: string; name: string; password: string; now?: Date },
) {
  const inv = await usablePendingInvitation(prisma, token, now);
  if (await prisma.user.findUnique({ where: { email: inv.email }, select: { id: true } })) {
    throw new AppError("conflict", "An account with this email exists: sign in to accept");
  }
  const passwordHash = await hashPassword(password);
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null, revokedAt: null }, data: { acceptedAt: now } });
    if (count !== 1) throw notFound("This invitation is invalid or has expired");
    const user = await tx.user.create({ data: { email: inv.email, name, passwordHash, emailVerified: now } });
    await tx.membership.create({ data: { orgId: inv.orgId, userId: user.id, role: inv.role } });
  });
  return { orgSlug: inv.org.slug, email: inv.email };
}
