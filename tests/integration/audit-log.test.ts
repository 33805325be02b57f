// Every admin action writes exactly one audit entry (actor, action, target), in the same transaction
// as the action: a refused or failed action writes none, and an action whose audit entry cannot be
// written leaves nothing behind either.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createPrisma, disconnectDb } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { orgActions } from "@/lib/actions";
import { closeQueues } from "@/lib/queue/producers";
import { listAudit } from "@/lib/audit/audit";
import type { SessionUser } from "@/lib/auth/session";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const run = randomBytes(3).toString("hex");
let admin: SessionUser;
let viewer: SessionUser;
let slug: string;
let orgId: string;
let viewerMembershipId: string;

beforeAll(async () => {
  const mk = async (who: string) => {
    const email = `${who}-${run}@audit.test`;
    const u = await prisma.user.create({ data: { email, name: who } });
    return { id: u.id, email, name: who };
  };
  admin = await mk("admin");
  viewer = await mk("viewer");
  const org = await createOrg(prisma, { slug: `audit-${run}`, name: `Audit ${run}`, adminUserId: admin.id });
  slug = org.slug;
  orgId = org.id;
  viewerMembershipId = (await prisma.membership.create({ data: { orgId, userId: viewer.id, role: "VIEWER" } })).id;
});

afterAll(async () => {
  await closeQueues().catch(() => {});
  await prisma.$disconnect();
  await disconnectDb();
});

/** Runs `call` (which must succeed) and returns the one audit entry it wrote. */
async function audited<R>(action: string, call: () => Promise<{ ok: true; data: R } | { ok: false; error: { message: string } }>): Promise<R> {
  const before = await prisma.auditLog.count({ where: { orgId } });
  const res = await call();
  if (!res.ok) throw new Error(`${action}: ${res.error.message}`);
  const entries = await prisma.auditLog.findMany({ where: { orgId }, orderBy: { id: "desc" }, take: 2 });
  expect(await prisma.auditLog.count({ where: { orgId } })).toBe(before + 1);
  expect(entries[0]).toMatchObject({ action, actorUserId: admin.id });
  return res.data;
}

describe("audit log", () => {
  it("each admin action writes exactly one entry naming the actor, the action and the target", async () => {
    type Call = (orgSlug: string, input: unknown) => Promise<{ ok: true; data: { id: string } } | { ok: false; error: { message: string } }>;
    const as = (k: keyof typeof orgActions) => orgActions[k].asUser(admin) as Call;
    await audited("org.settings_update", () => as("updateOrgSettings")(slug, { name: "Audited Org", currency: "USD", idleThresholdPercent: 5, teamTagKey: "team", runLabelKeys: ["run_id"] }));

    const conn = await audited("connector.create", () => as("createTelemetryConnector")(slug, { kind: "PROMETHEUS", name: "prom", url: "http://127.0.0.1:9/prom", labelFilters: [], everySeconds: 600, auth: { mode: "none" } }));
    await audited("connector.update", () => as("updateTelemetryConnector")(slug, { connectorId: conn.id, name: "prom 2", url: "http://127.0.0.1:9/prom", labelFilters: [], everySeconds: 600, auth: { mode: "keep" } }));
    await audited("connector.run", () => as("runTelemetryConnectorNow")(slug, { connectorId: conn.id }));
    await audited("connector.disable", () => as("setTelemetryConnectorEnabled")(slug, { connectorId: conn.id, enabled: false }));
    await audited("connector.delete", () => as("deleteTelemetryConnector")(slug, { connectorId: conn.id }));

    const bill = await audited("bill_source.create", () => as("createBillConnector")(slug, { kind: "BILL_HTTPS", name: "focus", url: "https://127.0.0.1:9/focus.csv", everySeconds: 3600 }));
    await audited("bill_source.update", () => as("updateBillConnector")(slug, { connectorId: bill.id, name: "focus 2", url: "https://127.0.0.1:9/focus.csv", everySeconds: 3600 }));
    await audited("bill_source.run", () => as("runBillConnectorNow")(slug, { connectorId: bill.id }));
    await audited("bill_source.disable", () => as("setBillConnectorEnabled")(slug, { connectorId: bill.id, enabled: false }));
    await audited("bill_source.delete", () => as("deleteBillConnector")(slug, { connectorId: bill.id }));

    const key = await audited("api_key.create", () => as("createOrgApiKey")(slug, { name: "ci", role: "VIEWER" }));
    await audited("api_key.revoke", () => as("revokeOrgApiKey")(slug, { keyId: key.id }));

    const inv = await audited("member.invite", () => as("inviteMember")(slug, { email: `new-${run}@audit.test`, role: "VIEWER" }));
    await audited("invitation.revoke", () => as("revokeMemberInvitation")(slug, { invitationId: inv.id }));
    await audited("member.role_change", () => as("changeRole")(slug, { membershipId: viewerMembershipId, role: "FINANCE" }));
    await audited("member.remove", () => as("removeOrgMember")(slug, { membershipId: viewerMembershipId }));

    const budget = await audited("budget.create", () => as("createBudget")(slug, { name: "b", period: "MONTH", amount: "1000", currency: "USD", scopeKind: "ORG", thresholds: [80], forecastThreshold: null }));
    await audited("budget.update", () => as("updateBudget")(slug, { budgetId: budget.id, name: "b2", amount: "2000", thresholds: [90], forecastThreshold: null }));
    await audited("budget.delete", () => as("deleteBudget")(slug, { budgetId: budget.id }));

    const slo = await audited("slo.create", () => as("createSlo")(slug, { name: "util", kind: "GPU_UTILIZATION", objective: 0.7, scopeKind: "ORG" }));
    await audited("slo.disable", () => as("setSloEnabled")(slug, { sloId: slo.id, enabled: false }));
    await audited("slo.delete", () => as("deleteSlo")(slug, { sloId: slo.id }));

    const ch = await audited("slack_channel.create", () => as("createSlackChannel")(slug, { name: "#finops", webhookUrl: "http://127.0.0.1:9/hooks/x" }));
    await audited("slack_channel.update", () => as("updateSlackChannel")(slug, { channelId: ch.id, minSeverity: "CRITICAL" }));
    await audited("slack_channel.delete", () => as("deleteSlackChannel")(slug, { channelId: ch.id }));

    // The listing names the actor and the target.
    const list = await listAudit(prisma, { orgId });
    expect(list).toHaveLength(26);
    expect(list.find((e) => e.action === "budget.create")).toMatchObject({ actor: admin.email, targetType: "budget", targetId: budget.id, target: "b" });
    expect(list.find((e) => e.action === "member.invite")).toMatchObject({ target: `new-${run}@audit.test` });
  });

  it("refused, invalid and failed actions write no entry", async () => {
    const before = await prisma.auditLog.count({ where: { orgId } });
    expect((await orgActions.deleteBudget.asUser(admin)(slug, { budgetId: "nope" })).ok).toBe(false);
    expect((await orgActions.createBudget.asUser(admin)(slug, { name: "" })).ok).toBe(false);
    expect((await orgActions.createBudget.asUser(viewer)(slug, { name: "x", period: "MONTH", amount: "1", currency: "USD", scopeKind: "ORG", thresholds: [80], forecastThreshold: null })).ok).toBe(false);
    // a name clash fails inside the transaction: the budget and its entry both roll back
    await orgActions.createBudget.asUser(admin)(slug, { name: "dup", period: "MONTH", amount: "1", currency: "USD", scopeKind: "ORG", thresholds: [80], forecastThreshold: null });
    const mid = await prisma.auditLog.count({ where: { orgId } });
    expect((await orgActions.createBudget.asUser(admin)(slug, { name: "dup", period: "MONTH", amount: "1", currency: "USD", scopeKind: "ORG", thresholds: [80], forecastThreshold: null })).ok).toBe(false);
    expect(await prisma.auditLog.count({ where: { orgId } })).toBe(mid);
    expect(mid).toBe(before + 1);
    expect(await prisma.budget.count({ where: { orgId, name: "dup" } })).toBe(1);
  });

  it("an action whose entry cannot be written leaves nothing: the action and its entry share one transaction", async () => {
    // Make the audit insert fail for this org (a trigger), then create a budget: it must not exist.
    await prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION audit_fail_${run}() RETURNS trigger AS $$ BEGIN IF NEW.org_id = '${orgId}' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER audit_fail_${run} BEFORE INSERT ON audit_logs FOR EACH ROW EXECUTE FUNCTION audit_fail_${run}()`);
    try {
      const res = await orgActions.createBudget.asUser(admin)(slug, { name: "never", period: "MONTH", amount: "1", currency: "USD", scopeKind: "ORG", thresholds: [80], forecastThreshold: null });
      expect(res.ok).toBe(false);
      expect(await prisma.budget.count({ where: { orgId, name: "never" } })).toBe(0);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER audit_fail_${run} ON audit_logs`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION audit_fail_${run}()`);
    }
  });
});
