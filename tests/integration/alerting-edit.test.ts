// Editing budgets and Slack channels through the wrapped actions: what changes, what stays, the webhook
// URL replaced (sealed, never shown back, used by the next message) and routing/severity edited.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { orgActions } from "@/lib/actions";
import { listChannels, sendTestMessage } from "@/lib/alerts/channels-store";
import type { SessionUser } from "@/lib/auth/session";
import type { RoleName } from "@/lib/domain/roles";
import { startSlackReceiver, type SlackReceiver } from "../support/slack-receiver";

const prisma = createPrisma(process.env.DATABASE_URL!, 4);
const run = randomBytes(3).toString("hex");
let slack: SlackReceiver;

async function orgWith(label: string, role: RoleName = "FINANCE") {
  const org = await createOrg(prisma, { slug: `edit-${label}-${run}`, name: `Edit ${label}` });
  const email = `${label}-${run}@edit.test`;
  const u = await prisma.user.create({ data: { email, name: label } });
  await prisma.membership.create({ data: { orgId: org.id, userId: u.id, role } });
  const user: SessionUser = { id: u.id, email, name: label };
  return { org, user };
}

beforeAll(async () => {
  slack = await startSlackReceiver();
});
afterAll(async () => {
  await slack?.close();
  await prisma.$disconnect();
});

describe("updateBudget", () => {
  it("changes name, amount, thresholds and forecast threshold; keeps scope, period and currency", async () => {
    const { org, user } = await orgWith("budget");
    const created = await orgActions.createBudget.asUser(user)(org.slug, { name: "GPU spend", amount: "10000", currency: "EUR", period: "QUARTER", scopeKind: "TEAM", scopeValue: "ml" });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const res = await orgActions.updateBudget.asUser(user)(org.slug, { budgetId: created.data.id, name: "ML GPU spend", amount: "12500.50", thresholds: [90, 50, 90], forecastThreshold: null });
    expect(res.ok && res.data).toEqual({ id: created.data.id, name: "ML GPU spend", amount: "12500.5", thresholds: [50, 90], forecastThreshold: null });
    const row = await prisma.budget.findUniqueOrThrow({ where: { id: created.data.id } });
    expect({ name: row.name, amount: row.amount.toString(), thresholds: row.thresholds, forecastThreshold: row.forecastThreshold }).toEqual({ name: "ML GPU spend", amount: "12500.5", thresholds: [50, 90], forecastThreshold: null });
    expect({ period: row.period, currency: row.currency, scopeKind: row.scopeKind, scopeValue: row.scopeValue }).toEqual({ period: "QUARTER", currency: "EUR", scopeKind: "TEAM", scopeValue: "ml" });
    const again = await orgActions.updateBudget.asUser(user)(org.slug, { budgetId: created.data.id, name: "ML GPU spend", amount: "100", thresholds: [100], forecastThreshold: 120 });
    expect(again.ok && again.data).toMatchObject({ amount: "100", thresholds: [100], forecastThreshold: 120 });
  });

  it("refuses a duplicate name (409), bad input (422), an unknown budget (404) and a VIEWER (403)", async () => {
    const { org, user } = await orgWith("budget-bad");
    const a = await orgActions.createBudget.asUser(user)(org.slug, { name: "A", amount: "1" });
    const b = await orgActions.createBudget.asUser(user)(org.slug, { name: "B", amount: "1" });
    if (!a.ok || !b.ok) throw new Error("setup");
    const input = { budgetId: b.data.id, name: "A", amount: "1", thresholds: [50], forecastThreshold: 100 };
    const dup = await orgActions.updateBudget.asUser(user)(org.slug, input);
    expect(!dup.ok && dup.error.status).toBe(409);
    for (const bad of [{ amount: "-1" }, { amount: "1.234" }, { thresholds: [0] }, { name: "" }]) {
      const r = await orgActions.updateBudget.asUser(user)(org.slug, { ...input, name: "B", ...bad });
      expect(!r.ok && r.error.status, JSON.stringify(bad)).toBe(422);
    }
    const missing = await orgActions.updateBudget.asUser(user)(org.slug, { ...input, name: "B", budgetId: "nope" });
    expect(!missing.ok && missing.error.status).toBe(404);
    const viewer = await prisma.user.create({ data: { email: `viewer-${run}@edit.test`, name: "v" } });
    await prisma.membership.create({ data: { orgId: org.id, userId: viewer.id, role: "VIEWER" } });
    const denied = await orgActions.updateBudget.asUser({ id: viewer.id, email: viewer.email, name: "v" })(org.slug, { ...input, name: "B2" });
    expect(!denied.ok && denied.error.status).toBe(403);
    expect((await prisma.budget.findUniqueOrThrow({ where: { id: b.data.id } })).name).toBe("B");
  });
});

describe("updateSlackChannel", () => {
  it("replaces the webhook URL (sealed, never shown back) and edits routing and minimum severity", async () => {
    const { org, user } = await orgWith("slack");
    const created = await orgActions.createSlackChannel.asUser(user)(org.slug, { name: "#finops", webhookUrl: slack.url("/hooks/old"), minSeverity: "INFO" });
    if (!created.ok) throw new Error(created.error.message);
    const id = created.data.id;
    const newUrl = slack.url("/hooks/new?token=n3wS3cret");
    const res = await orgActions.updateSlackChannel.asUser(user)(org.slug, {
      channelId: id,
      webhookUrl: newUrl,
      minSeverity: "CRITICAL",
      routing: { scopes: [{ kind: "TEAM", value: "ml" }] },
    });
    expect(res.ok).toBe(true);
    expect(JSON.stringify(res)).not.toContain("n3wS3cret");
    const row = await prisma.alertChannel.findUniqueOrThrow({ where: { id } });
    expect(row.secretCiphertext).not.toContain("n3wS3cret");
    expect(row.secretCiphertext).not.toContain("/hooks/new");
    expect(row.minSeverity).toBe("CRITICAL");
    expect(row.config).toEqual({ scopes: [{ kind: "TEAM", value: "ml" }] });
    const [view] = await listChannels(prisma, org.id);
    expect(view).toMatchObject({ name: "#finops", minSeverity: "CRITICAL", routing: { scopes: [{ kind: "TEAM", value: "ml" }] }, webhookHost: new URL(newUrl).host });
    expect(JSON.stringify(view)).not.toContain("n3wS3cret");
    // the next message goes to the new URL, not the old one
    const sent = await sendTestMessage(prisma, { orgId: org.id, channelId: id, appUrl: "http://localhost:3000" });
    expect(sent).toMatchObject({ ok: true, status: 200 });
    expect(slack.received.filter((m) => m.path === "/hooks/new?token=n3wS3cret")).toHaveLength(1);
    expect(slack.received.filter((m) => m.path === "/hooks/old")).toHaveLength(0);

    // routing back to every scope without touching the URL
    const back = await orgActions.updateSlackChannel.asUser(user)(org.slug, { channelId: id, minSeverity: "WARNING", routing: { scopes: [] } });
    expect(back.ok).toBe(true);
    const after = await prisma.alertChannel.findUniqueOrThrow({ where: { id } });
    expect(after.secretCiphertext).toBe(row.secretCiphertext);
    expect({ minSeverity: after.minSeverity, config: after.config }).toEqual({ minSeverity: "WARNING", config: { scopes: [] } });
  });

  it("refuses a non-http webhook URL (422) and keeps the stored one", async () => {
    const { org, user } = await orgWith("slack-bad");
    const created = await orgActions.createSlackChannel.asUser(user)(org.slug, { name: "#x", webhookUrl: slack.url("/hooks/x") });
    if (!created.ok) throw new Error(created.error.message);
    const before = await prisma.alertChannel.findUniqueOrThrow({ where: { id: created.data.id } });
    const res = await orgActions.updateSlackChannel.asUser(user)(org.slug, { channelId: created.data.id, webhookUrl: "ftp://example.test/hook" });
    expect(!res.ok && res.error.status).toBe(422);
    expect((await prisma.alertChannel.findUniqueOrThrow({ where: { id: created.data.id } })).secretCiphertext).toBe(before.secretCiphertext);
  });
});
