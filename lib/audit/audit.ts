// The org's audit log: one entry per admin action (settings, connectors, bill sources, API keys,
// members, invitations, budgets, SLOs, Slack channels), written by the action wrapper in the same
// transaction as the action (lib/http/org-action.ts `audit`), so an entry exists exactly when the
// action's writes committed.
import type { Prisma, PrismaClient } from "../db/client";

/** What an action did, as the wrapper records it (the org and the actor come from the wrapper). */
export type AuditRecord = { action: string; targetType: string; targetId: string | null; details?: Record<string, string | number | boolean | null> };

export async function writeAudit(tx: Prisma.TransactionClient, e: AuditRecord & { orgId: string; actorUserId: string }): Promise<void> {
  await tx.auditLog.create({ data: { orgId: e.orgId, actorUserId: e.actorUserId, action: e.action, targetType: e.targetType, targetId: e.targetId, details: e.details ?? {} } });
}

export type AuditEntryJson = { id: string; at: string; actor: string | null; action: string; targetType: string | null; targetId: string | null; target: string | null; details: Record<string, unknown> };

/** The org's newest entries first (at most `limit`), with the actor's email. */
export async function listAudit(prisma: PrismaClient, { orgId, limit = 500 }: { orgId: string; limit?: number }): Promise<AuditEntryJson[]> {
  const rows = await prisma.auditLog.findMany({ where: { orgId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit, include: { actor: { select: { email: true } } } });
  return rows.map((r) => {
    const details = (r.details ?? {}) as Record<string, unknown>;
    const name = typeof details.name === "string" ? details.name : typeof details.email === "string" ? details.email : null;
    return { id: r.id.toString(), at: r.createdAt.toISOString(), actor: r.actor?.email ?? null, action: r.action, targetType: r.targetType, targetId: r.targetId, target: name, details };
  });
}
