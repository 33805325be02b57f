// Tenancy of every server action: an admin of org A, naming org B or B's object ids, gets 403/404 and
// B is untouched; a VIEWER of A cannot change members or keys; and the rules (last admin, key role ≤
// creator's role) hold. Actions are enumerated from the registry in lib/actions/index.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createPrisma } from "@/lib/db/client";
import { disconnectDb } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { createApiKey, issueApiKey } from "@/lib/auth/api-keys";
import { createInvitation } from "@/lib/orgs/invitations";
import { roleAtMost, grantableRoles } from "@/lib/auth/role-order";
import { orgActions, userActions, type OrgActionName } from "@/lib/actions";
import * as membersModule from "@/lib/actions/members";
import * as apiKeysModule from "@/lib/actions/api-keys";
import * as orgsModule from "@/lib/actions/orgs";
import * as connectorsModule from "@/lib/actions/connectors";
import * as billConnectorsModule from "@/lib/actions/bill-connectors";
import * as alertingModule from "@/lib/actions/alerting";
import * as recommendationsModule from "@/lib/actions/recommendations";
import * as orgSettingsModule from "@/lib/actions/org-settings";
import { DEFAULT_GLOBAL_INPUTS, defaultGpuTypeInputs } from "@/lib/recommendations/inputs";
import type { SessionUser } from "@/lib/auth/session";
import type { RoleName } from "@/lib/domain/roles";
import type { ActionResult } from "@/lib/domain/action-result";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const run = randomBytes(3).toString("hex");

type World = {
  orgA: { id: string; slug: string };
  orgB: { id: string; slug: string; name: string };
  adminA: SessionUser;
  viewerA: SessionUser;
  adminA2Membership: string;
  bAdmin: SessionUser & { membershipId: string };
  bMember: SessionUser & { membershipId: string };
  bInvitationId: string;
  bInvitationToken: string;
  bKeyId: string;
  bKeyName: string;
  bKeyPrefix: string;
  bConnectorId: string;
  bBillConnectorId: string;
  bBudgetId: string;
  bChannelId: string;
  bSloId: string;
  bWorkloadId: string;
  bRecommendationId: string;
  bScenarioId: string;
  bSecrets: string[];
};
let w: World;

async function user(label: string, name: string): Promise<SessionUser> {
  const email = `${label}-${run}@tenancy.test`;
  const u = await prisma.user.create({ data: { email, name } });
  return { id: u.id, email, name };
}

async function member(orgId: string, userId: string, role: RoleName) {
  return prisma.membership.upsert({ where: { orgId_userId: { orgId, userId } }, update: { role }, create: { orgId, userId, role } });
}

beforeAll(async () => {
  const adminA = await user("admin-a", "Alice Admin");
  const viewerA = await user("viewer-a", "Victor Viewer");
  const adminA2 = await user("admin-a2", "Ann Second");
  const bAdminUser = await user("bob-b", "Bartholomew Bsecret");
  const bMemberUser = await user("bea-b", "Beatrix Bhidden");
  const orgA = await createOrg(prisma, { slug: `ten-a-${run}`, name: `Alpha ${run}`, adminUserId: adminA.id });
  const orgB = await createOrg(prisma, { slug: `ten-b-${run}`, name: `Bravo Confidential ${run}`, adminUserId: bAdminUser.id });
  await member(orgA.id, viewerA.id, "VIEWER");
  const a2 = await member(orgA.id, adminA2.id, "ADMIN");
  const bAdminM = await prisma.membership.findFirstOrThrow({ where: { orgId: orgB.id, userId: bAdminUser.id } });
  const bMemberM = await member(orgB.id, bMemberUser.id, "FINANCE");
  const inv = await createInvitation(prisma, { orgId: orgB.id, email: `invitee-b-${run}@bravo.test`, role: "ML_LEAD", invitedById: bAdminUser.id });
  const key = await createApiKey(prisma, { orgId: orgB.id, name: `bravo-secret-key-${run}`, role: "VIEWER", createdById: bAdminUser.id });
  const conn = await prisma.connector.create({
    data: { orgId: orgB.id, kind: "PROMETHEUS", name: `bravo-prom-${run}`, config: { url: "http://127.0.0.1:9/bravo-hidden" } },
  });
  const billConn = await prisma.connector.create({
    data: { orgId: orgB.id, kind: "BILL_HTTPS", name: `bravo-bills-${run}`, config: { url: "http://127.0.0.1:9/bravo-bills-hidden.csv" } },
  });
  const bBudget = await prisma.budget.create({ data: { orgId: orgB.id, name: `bravo-budget-${run}`, amount: "1000" } });
  const bChannel = await prisma.alertChannel.create({ data: { orgId: orgB.id, kind: "SLACK", name: `bravo-slack-${run}`, secretCiphertext: "v1:x:y:z" } });
  const bWorkload = await prisma.workload.create({ data: { orgId: orgB.id, kind: "INFERENCE_SERVICE", name: `bravo-llm-${run}` } });
  const bSlo = await prisma.sloDefinition.create({ data: { orgId: orgB.id, name: `bravo-slo-${run}`, kind: "SUCCESS_RATIO", objective: 0.99, workloadId: bWorkload.id } });
  await prisma.digestSubscription.create({ data: { orgId: orgB.id, userId: bAdminUser.id } });
  const rec = await prisma.recommendation.create({
    data: { orgId: orgB.id, kind: "reclaim-idle", fingerprint: `reclaim-idle:bravo-${run}`, title: `Reclaim bravo-hidden-gpu ${run}` },
  });
  const scen = await prisma.scenario.create({ data: { orgId: orgB.id, name: `bravo-scenario-${run}`, inputs: {}, createdById: bAdminUser.id } });
  w = {
    orgA: { id: orgA.id, slug: orgA.slug },
    orgB: { id: orgB.id, slug: orgB.slug, name: orgB.name },
    adminA,
    viewerA,
    adminA2Membership: a2.id,
    bAdmin: { ...bAdminUser, membershipId: bAdminM.id },
    bMember: { ...bMemberUser, membershipId: bMemberM.id },
    bInvitationId: inv.id,
    bInvitationToken: inv.token,
    bKeyId: key.id,
    bKeyName: key.name,
    bKeyPrefix: key.prefix,
    bConnectorId: conn.id,
    bBillConnectorId: billConn.id,
    bBudgetId: bBudget.id,
    bChannelId: bChannel.id,
    bSloId: bSlo.id,
    bWorkloadId: bWorkload.id,
    bRecommendationId: rec.id,
    bScenarioId: scen.id,
    bSecrets: [bBudget.name, bChannel.name, bSlo.name, bWorkload.name, bAdminUser.email, bMemberUser.email, bAdminUser.name!, bMemberUser.name!, scen.name, orgB.name, inv.email, key.name, key.prefix, "Bravo", conn.name, "bravo-hidden", billConn.name, "bravo-bills-hidden"],
  };
});

afterAll(async () => {
  await prisma.$disconnect();
  await disconnectDb();
});

/** Everything of an org that an action could change. */
async function snapshot(orgId: string) {
  const [org, memberships, invitations, apiKeys, connectors, budgets, channels, slos, digests, recommendations, scenarios, priceAssumptions] = await Promise.all([
    prisma.org.findUniqueOrThrow({ where: { id: orgId } }),
    prisma.membership.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    prisma.invitation.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    prisma.apiKey.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    prisma.connector.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    prisma.budget.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    prisma.alertChannel.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    prisma.sloDefinition.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    prisma.digestSubscription.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    prisma.recommendation.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    prisma.scenario.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    prisma.priceAssumption.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({
    org, memberships, invitations, apiKeys: apiKeys.map((k) => ({ ...k, lastUsedAt: null })), connectors,
    budgets, channels, slos, digests, recommendations, scenarios, priceAssumptions,
  });
}

/** Input naming org B's objects, for each action. A new action without an entry here fails typecheck. */
const inputs: Record<OrgActionName, { input: () => unknown; usesIds: boolean }> = {
  inviteMember: { input: () => ({ email: `new-${run}@x.test`, role: "ADMIN" }), usesIds: false },
  revokeMemberInvitation: { input: () => ({ invitationId: w.bInvitationId }), usesIds: true },
  changeRole: { input: () => ({ membershipId: w.bAdmin.membershipId, role: "VIEWER" }), usesIds: true },
  removeOrgMember: { input: () => ({ membershipId: w.bMember.membershipId }), usesIds: true },
  leaveOrganization: { input: () => ({}), usesIds: false },
  createOrgApiKey: { input: () => ({ name: "stolen", role: "ADMIN" }), usesIds: false },
  revokeOrgApiKey: { input: () => ({ keyId: w.bKeyId }), usesIds: true },
  createTelemetryConnector: { input: () => ({ kind: "PROMETHEUS", name: `stolen-${run}`, url: "http://127.0.0.1:9" }), usesIds: false },
  updateTelemetryConnector: { input: () => ({ connectorId: w.bConnectorId, name: "renamed", url: "http://127.0.0.1:9" }), usesIds: true },
  setTelemetryConnectorEnabled: { input: () => ({ connectorId: w.bConnectorId, enabled: false }), usesIds: true },
  deleteTelemetryConnector: { input: () => ({ connectorId: w.bConnectorId }), usesIds: true },
  testTelemetryConnection: { input: () => ({ connectorId: w.bConnectorId }), usesIds: true },
  runTelemetryConnectorNow: { input: () => ({ connectorId: w.bConnectorId }), usesIds: true },
  createBillConnector: { input: () => ({ kind: "BILL_HTTPS", name: `stolen-bills-${run}`, url: "http://127.0.0.1:9/x.csv" }), usesIds: false },
  updateBillConnector: { input: () => ({ connectorId: w.bBillConnectorId, name: "renamed", url: "http://127.0.0.1:9/x.csv" }), usesIds: true },
  setBillConnectorEnabled: { input: () => ({ connectorId: w.bBillConnectorId, enabled: false }), usesIds: true },
  deleteBillConnector: { input: () => ({ connectorId: w.bBillConnectorId }), usesIds: true },
  testBillConnection: { input: () => ({ connectorId: w.bBillConnectorId }), usesIds: true },
  runBillConnectorNow: { input: () => ({ connectorId: w.bBillConnectorId }), usesIds: true },
  createBudget: { input: () => ({ name: `stolen-${run}`, amount: "5", currency: "USD" }), usesIds: false },
  deleteBudget: { input: () => ({ budgetId: w.bBudgetId }), usesIds: true },
  createSlackChannel: { input: () => ({ name: `stolen-${run}`, webhookUrl: "http://127.0.0.1:9/hook" }), usesIds: false },
  updateSlackChannel: { input: () => ({ channelId: w.bChannelId, enabled: false }), usesIds: true },
  deleteSlackChannel: { input: () => ({ channelId: w.bChannelId }), usesIds: true },
  sendSlackTestMessage: { input: () => ({ channelId: w.bChannelId }), usesIds: true },
  createSlo: { input: () => ({ name: `stolen-${run}`, kind: "SUCCESS_RATIO", objective: 0.9, workloadId: w.bWorkloadId }), usesIds: true },
  setSloEnabled: { input: () => ({ sloId: w.bSloId, enabled: false }), usesIds: true },
  deleteSlo: { input: () => ({ sloId: w.bSloId }), usesIds: true },
  saveDigestPreferences: { input: () => ({ enabled: false, dayOfWeek: 2, hour: 9, timezone: "UTC" }), usesIds: false },
  evaluateAlertsNow: { input: () => ({}), usesIds: false },
  acceptRecommendation: { input: () => ({ recommendationId: w.bRecommendationId }), usesIds: true },
  dismissRecommendation: { input: () => ({ recommendationId: w.bRecommendationId, reason: "not ours" }), usesIds: true },
  saveRecommendationInputs: { input: () => ({ inputs: { global: DEFAULT_GLOBAL_INPUTS, gpuTypes: { H100: defaultGpuTypeInputs("H100") } } }), usesIds: false },
  saveScenario: { input: () => ({ name: `stolen-${run}`, inputs: { global: DEFAULT_GLOBAL_INPUTS, gpuTypes: {} } }), usesIds: false },
  deleteScenario: { input: () => ({ scenarioId: w.bScenarioId }), usesIds: true },
  updateOrgSettings: { input: () => ({ name: "Hijacked", currency: "EUR", idleThresholdPercent: 50, teamTagKey: "owner", runLabelKeys: ["x"] }), usesIds: false },
  updateBudget: { input: () => ({ budgetId: w.bBudgetId, name: "renamed", amount: "1", thresholds: [1], forecastThreshold: null }), usesIds: true },
};

function expectDeniedWithoutLeak(res: ActionResult<unknown>, statuses = [403, 404]) {
  expect(res.ok).toBe(false);
  if (res.ok) return;
  expect(statuses).toContain(res.error.status);
  const text = JSON.stringify(res);
  for (const secret of w.bSecrets) expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
}

describe("action registry", () => {
  it("lists every wrapped action exported from lib/actions", () => {
    const registered = new Set<unknown>([...Object.values(orgActions), ...Object.values(userActions)]);
    for (const mod of [membersModule, apiKeysModule, orgsModule, connectorsModule, billConnectorsModule, alertingModule, recommendationsModule, orgSettingsModule]) {
      for (const [name, value] of Object.entries(mod)) {
        const kind = (value as { kind?: string } | null)?.kind;
        if (kind === "org" || kind === "user") expect(registered.has(value), `${name} is missing from lib/actions/index.ts`).toBe(true);
      }
    }
    for (const a of Object.values(orgActions)) expect(a.kind).toBe("org");
  });
});

describe.each(Object.keys(orgActions) as OrgActionName[])("org action %s", (name) => {
  const action = orgActions[name];

  it("refuses org A's admin naming org B (403/404), leaks nothing and changes nothing", async () => {
    const before = await snapshot(w.orgB.id);
    const res = await action.asUser(w.adminA)(w.orgB.slug, inputs[name].input());
    expectDeniedWithoutLeak(res);
    expect(await snapshot(w.orgB.id)).toBe(before);
  });

  it("refuses org A's admin using org B's object ids inside org A", async () => {
    if (!inputs[name].usesIds) return;
    const beforeB = await snapshot(w.orgB.id);
    const beforeA = await snapshot(w.orgA.id);
    const res = await action.asUser(w.adminA)(w.orgA.slug, inputs[name].input());
    expectDeniedWithoutLeak(res);
    expect(await snapshot(w.orgB.id)).toBe(beforeB);
    expect(await snapshot(w.orgA.id)).toBe(beforeA);
  });

  it("refuses a signed-out caller with 401", async () => {
    const before = await snapshot(w.orgB.id);
    const res = await action.asUser(null)(w.orgB.slug, inputs[name].input());
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.status).toBe(401);
    expect(await snapshot(w.orgB.id)).toBe(before);
  });

  it("refuses an unknown org slug with 404", async () => {
    const res = await action.asUser(w.adminA)(`no-such-org-${run}`, inputs[name].input());
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.status).toBe(404);
  });
});

describe("VIEWER of org A", () => {
  const mutations: Array<[OrgActionName, () => unknown]> = [
    ["inviteMember", () => ({ email: `v-${run}@x.test`, role: "VIEWER" })],
    ["changeRole", () => ({ membershipId: w.adminA2Membership, role: "VIEWER" })],
    ["removeOrgMember", () => ({ membershipId: w.adminA2Membership })],
    ["createOrgApiKey", () => ({ name: "viewer key", role: "VIEWER" })],
    ["revokeOrgApiKey", () => ({ keyId: "anything" })],
    ["revokeMemberInvitation", () => ({ invitationId: "anything" })],
    ["createTelemetryConnector", () => ({ kind: "PROMETHEUS", name: "viewer prom", url: "http://127.0.0.1:9" })],
    ["updateTelemetryConnector", () => ({ connectorId: "anything", name: "x", url: "http://127.0.0.1:9" })],
    ["setTelemetryConnectorEnabled", () => ({ connectorId: "anything", enabled: false })],
    ["deleteTelemetryConnector", () => ({ connectorId: "anything" })],
    ["testTelemetryConnection", () => ({ draft: { kind: "PROMETHEUS", url: "http://127.0.0.1:9" } })],
    ["runTelemetryConnectorNow", () => ({ connectorId: "anything" })],
    ["createBillConnector", () => ({ kind: "BILL_HTTPS", name: "viewer bills", url: "http://127.0.0.1:9/x.csv" })],
    ["updateBillConnector", () => ({ connectorId: "anything", name: "x", url: "http://127.0.0.1:9/x.csv" })],
    ["setBillConnectorEnabled", () => ({ connectorId: "anything", enabled: false })],
    ["deleteBillConnector", () => ({ connectorId: "anything" })],
    ["testBillConnection", () => ({ draft: { kind: "BILL_HTTPS", url: "http://127.0.0.1:9/x.csv" } })],
    ["runBillConnectorNow", () => ({ connectorId: "anything" })],
    ["createBudget", () => ({ name: "viewer budget", amount: "5" })],
    ["deleteBudget", () => ({ budgetId: "anything" })],
    ["createSlackChannel", () => ({ name: "viewer channel", webhookUrl: "http://127.0.0.1:9/hook" })],
    ["updateSlackChannel", () => ({ channelId: "anything", enabled: false })],
    ["deleteSlackChannel", () => ({ channelId: "anything" })],
    ["sendSlackTestMessage", () => ({ channelId: "anything" })],
    ["createSlo", () => ({ name: "viewer slo", kind: "GPU_UTILIZATION", objective: 0.7 })],
    ["setSloEnabled", () => ({ sloId: "anything", enabled: false })],
    ["deleteSlo", () => ({ sloId: "anything" })],
    ["evaluateAlertsNow", () => ({})],
    ["acceptRecommendation", () => ({ recommendationId: "anything" })],
    ["dismissRecommendation", () => ({ recommendationId: "anything", reason: "viewer says no" })],
    ["saveRecommendationInputs", () => ({ inputs: { global: DEFAULT_GLOBAL_INPUTS, gpuTypes: {} } })],
    ["saveScenario", () => ({ name: "viewer scenario", inputs: { global: DEFAULT_GLOBAL_INPUTS, gpuTypes: {} } })],
    ["updateOrgSettings", () => ({ name: "Viewer Org", currency: "EUR", idleThresholdPercent: 50, teamTagKey: "owner", runLabelKeys: ["x"] })],
    ["updateBudget", () => ({ budgetId: "anything", name: "viewer budget", amount: "5", thresholds: [50], forecastThreshold: null })],
  ];
  it.each(mutations)("cannot %s in org A (403, nothing changed)", async (name, input) => {
    const before = await snapshot(w.orgA.id);
    const res = await orgActions[name].asUser(w.viewerA)(w.orgA.slug, input());
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.status).toBe(403);
    expect(await snapshot(w.orgA.id)).toBe(before);
  });
});

describe("user-level actions against org B", () => {
  it("accepting B's invitation as someone else is refused and creates no membership", async () => {
    const before = await snapshot(w.orgB.id);
    const res = await userActions.acceptInvite.asUser(w.adminA)({ token: w.bInvitationToken });
    expectDeniedWithoutLeak(res);
    expect(await snapshot(w.orgB.id)).toBe(before);
  });

  it("creating an org with B's slug is a conflict and leaves B alone", async () => {
    const before = await snapshot(w.orgB.id);
    const res = await userActions.createOrganization.asUser(w.adminA)({ name: "Hijack", slug: w.orgB.slug });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.status).toBe(409);
    expect(await snapshot(w.orgB.id)).toBe(before);
  });
});

describe("member rules", () => {
  it("the last admin cannot be demoted, removed, or leave; with a second admin they can", async () => {
    const solo = await user("solo", "Solo Admin");
    const other = await user("other", "Other Person");
    const org = await createOrg(prisma, { slug: `solo-${run}`, name: "Solo", adminUserId: solo.id });
    const soloM = await prisma.membership.findFirstOrThrow({ where: { orgId: org.id, userId: solo.id } });
    const otherM = await member(org.id, other.id, "VIEWER");

    const demote = await orgActions.changeRole.asUser(solo)(org.slug, { membershipId: soloM.id, role: "VIEWER" });
    expect(demote).toMatchObject({ ok: false, error: { status: 409 } });
    const remove = await orgActions.removeOrgMember.asUser(solo)(org.slug, { membershipId: soloM.id });
    expect(remove).toMatchObject({ ok: false, error: { status: 409 } });
    const leave = await orgActions.leaveOrganization.asUser(solo)(org.slug, {});
    expect(leave).toMatchObject({ ok: false, error: { status: 409 } });
    expect((await prisma.membership.findUniqueOrThrow({ where: { id: soloM.id } })).role).toBe("ADMIN");

    const promote = await orgActions.changeRole.asUser(solo)(org.slug, { membershipId: otherM.id, role: "ADMIN" });
    expect(promote).toMatchObject({ ok: true, data: { role: "ADMIN", email: other.email } });
    const demoteNow = await orgActions.changeRole.asUser(solo)(org.slug, { membershipId: soloM.id, role: "FINANCE" });
    expect(demoteNow).toMatchObject({ ok: true, data: { role: "FINANCE" } });
    // solo is FINANCE now: no longer allowed to manage members.
    const denied = await orgActions.removeOrgMember.asUser(solo)(org.slug, { membershipId: otherM.id });
    expect(denied).toMatchObject({ ok: false, error: { status: 403 } });
    // Concurrent demotion of both remaining admins can't leave zero (only one admin left: other).
    const [r1] = await Promise.all([orgActions.changeRole.asUser(other)(org.slug, { membershipId: otherM.id, role: "VIEWER" })]);
    expect(r1).toMatchObject({ ok: false, error: { status: 409 } });
  });

  it("two admins demoting each other at once leave one admin", async () => {
    const a = await user("race-a", "Race A");
    const b = await user("race-b", "Race B");
    const org = await createOrg(prisma, { slug: `race-${run}`, name: "Race", adminUserId: a.id });
    const am = await prisma.membership.findFirstOrThrow({ where: { orgId: org.id, userId: a.id } });
    const bm = await member(org.id, b.id, "ADMIN");
    const results = await Promise.all([
      orgActions.changeRole.asUser(a)(org.slug, { membershipId: bm.id, role: "VIEWER" }),
      orgActions.changeRole.asUser(b)(org.slug, { membershipId: am.id, role: "VIEWER" }),
    ]);
    expect(await prisma.membership.count({ where: { orgId: org.id, role: "ADMIN" } })).toBe(1);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("a non-admin member can leave", async () => {
    const leaver = await user("leaver", "Leaving Viewer");
    const m = await member(w.orgA.id, leaver.id, "VIEWER");
    const res = await orgActions.leaveOrganization.asUser(leaver)(w.orgA.slug, {});
    expect(res).toEqual({ ok: true, data: { left: true } });
    expect(await prisma.membership.findUnique({ where: { id: m.id } })).toBeNull();
  });

  it("an admin invites, and the invitation is scoped to their org", async () => {
    const res = await orgActions.inviteMember.asUser(w.adminA)(w.orgA.slug, { email: `Invited-${run}@Example.test`, role: "FINANCE" });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.data.path).toMatch(/^\/invite\/[A-Za-z0-9_-]{40,}$/);
    const row = await prisma.invitation.findUniqueOrThrow({ where: { id: res.data.id } });
    expect(row).toMatchObject({ orgId: w.orgA.id, email: `invited-${run}@example.test`, role: "FINANCE" });
    expect(row.tokenHash).not.toContain(res.data.token);
    // Inviting an existing member is a conflict.
    const dup = await orgActions.inviteMember.asUser(w.adminA)(w.orgA.slug, { email: w.viewerA.email, role: "VIEWER" });
    expect(dup).toMatchObject({ ok: false, error: { status: 409 } });
  });

  it("validation errors are 422 with field paths", async () => {
    const res = await orgActions.inviteMember.asUser(w.adminA)(w.orgA.slug, { email: "not-an-email", role: "GOD" });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.status).toBe(422);
    const paths = (res.error.details as { path: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(["email", "role"]);
  });
});

describe("API key rules", () => {
  it("a key's role may not exceed its creator's", () => {
    expect(roleAtMost("VIEWER", "ADMIN")).toBe(true);
    expect(roleAtMost("ADMIN", "ADMIN")).toBe(true);
    expect(roleAtMost("ADMIN", "FINANCE")).toBe(false);
    expect(roleAtMost("ML_LEAD", "FINANCE")).toBe(false);
    expect(roleAtMost("FINANCE", "FINANCE")).toBe(true);
    expect(roleAtMost("VIEWER", "ML_LEAD")).toBe(true);
    expect(roleAtMost("FINANCE", "VIEWER")).toBe(false);
    expect(grantableRoles("FINANCE")).toEqual(["FINANCE", "VIEWER"]);
    expect(grantableRoles("ADMIN")).toEqual(["ADMIN", "FINANCE", "ML_LEAD", "VIEWER"]);
  });

  it("issueApiKey refuses a higher role and a past expiry, and creates within bounds", async () => {
    await expect(issueApiKey(prisma, { orgId: w.orgA.id, name: "x", role: "ADMIN", creatorRole: "FINANCE" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(issueApiKey(prisma, { orgId: w.orgA.id, name: "x", role: "ML_LEAD", creatorRole: "FINANCE" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      issueApiKey(prisma, { orgId: w.orgA.id, name: "x", role: "VIEWER", creatorRole: "ADMIN", expiresAt: new Date(Date.now() - 1000) }),
    ).rejects.toMatchObject({ code: "unprocessable" });
    const ok = await issueApiKey(prisma, { orgId: w.orgA.id, name: "finance-ok", role: "VIEWER", creatorRole: "FINANCE" });
    expect(ok.key.startsWith(`${ok.prefix}_`)).toBe(true);
  });

  it("an admin creates a key (shown once, stored hashed) and revokes it", async () => {
    const created = await orgActions.createOrgApiKey.asUser(w.adminA)(w.orgA.slug, { name: "ci", role: "FINANCE", expiresAt: "2999-01-01T00:00:00Z" });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: created.data.id } });
    expect(row).toMatchObject({ orgId: w.orgA.id, role: "FINANCE", createdById: w.adminA.id });
    expect(JSON.stringify(row)).not.toContain(created.data.key);
    const revoked = await orgActions.revokeOrgApiKey.asUser(w.adminA)(w.orgA.slug, { keyId: created.data.id });
    expect(revoked).toEqual({ ok: true, data: { revoked: created.data.id } });
    expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: created.data.id } })).revokedAt).not.toBeNull();
    // Revoking twice is a not-found, not a silent success.
    const again = await orgActions.revokeOrgApiKey.asUser(w.adminA)(w.orgA.slug, { keyId: created.data.id });
    expect(again).toMatchObject({ ok: false, error: { status: 404 } });
  });
});

describe("alerting actions inside one's own org", () => {
  it("a viewer saves their own digest preferences; an admin creates a budget, a channel and an SLO", async () => {
    const prefs = await orgActions.saveDigestPreferences.asUser(w.viewerA)(w.orgA.slug, { enabled: true, dayOfWeek: 5, hour: 17, timezone: "Europe/Berlin" });
    expect(prefs).toMatchObject({ ok: true, data: { enabled: true, dayOfWeek: 5, hour: 17, timezone: "Europe/Berlin" } });
    const bad = await orgActions.saveDigestPreferences.asUser(w.viewerA)(w.orgA.slug, { enabled: true, dayOfWeek: 5, hour: 17, timezone: "Mars/Olympus" });
    expect(bad).toMatchObject({ ok: false, error: { status: 422 } });
    const budget = await orgActions.createBudget.asUser(w.adminA)(w.orgA.slug, { name: `team-ml-${run}`, amount: "1234.5", scopeKind: "TEAM", scopeValue: "ml", thresholds: [80, 50, 100, 80] });
    expect(budget.ok).toBe(true);
    const row = await prisma.budget.findFirstOrThrow({ where: { orgId: w.orgA.id, name: `team-ml-${run}` } });
    expect(row).toMatchObject({ scopeKind: "TEAM", scopeValue: "ml", thresholds: [50, 80, 100], forecastThreshold: 100 });
    expect(row.amount.toString()).toBe("1234.5");
    const dup = await orgActions.createBudget.asUser(w.adminA)(w.orgA.slug, { name: `team-ml-${run}`, amount: "1" });
    expect(dup).toMatchObject({ ok: false, error: { status: 409 } });
    const noScope = await orgActions.createBudget.asUser(w.adminA)(w.orgA.slug, { name: "x", amount: "1", scopeKind: "CLUSTER" });
    expect(noScope).toMatchObject({ ok: false, error: { status: 422 } });
    const ch = await orgActions.createSlackChannel.asUser(w.adminA)(w.orgA.slug, { name: `#a-${run}`, webhookUrl: "http://127.0.0.1:9/hook", minSeverity: "WARNING" });
    expect(ch.ok).toBe(true);
    const slo = await orgActions.createSlo.asUser(w.adminA)(w.orgA.slug, { name: `util-${run}`, kind: "GPU_UTILIZATION", objective: 0.7, scopeKind: "TEAM", scopeValue: "research" });
    expect(slo.ok).toBe(true);
  });
});
