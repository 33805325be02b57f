// Budget alerts to Slack, end to end against a real loopback HTTP server standing in for Slack's
// webhook endpoint, real Postgres and a real worker consuming the deliveries queue.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { createSlackChannel, sendTestMessage } from "@/lib/alerts/channels-store";
import { createProducers, type Producers } from "@/lib/queue/producers";
import { QUEUES } from "@/lib/queue/contracts";
import { evaluateOrg } from "@/workers/processors/alerts";
import { type RunningWorker, startWorker } from "@/workers/start-worker";
import { startSlackReceiver, type SlackReceiver } from "../support/slack-receiver";
import { insertBillLines } from "../support/bill-lines";

process.env.LOG_LEVEL ??= "warn";
process.env.ALERT_RETRY_BASE_MS = "200";
process.env.ALERT_MAX_ATTEMPTS = "3";
const redisUrl = process.env.REDIS_URL!;
const prefix = process.env.QUEUE_PREFIX!;
const prisma = createPrisma(process.env.DATABASE_URL!, 6);
// June 2026 has 30 days; "now" is the 12th, 10:00 UTC: 11 complete days seen.
const NOW = new Date("2026-06-12T10:00:00Z");
let slack: SlackReceiver;
let worker: RunningWorker;
let producers: Producers;
const ctx = () => ({ prisma, producers, now: () => NOW });

/** An org with a 10,000 USD monthly budget and 11 days of spend: 8,500 USD so far (85%). */
async function world(label: string, { channel = true, budget = {} as Record<string, unknown> } = {}) {
  const org = await createOrg(prisma, { slug: `al-${label}-${randomBytes(3).toString("hex")}`, name: `Alerts ${label}` });
  // Days 1-10: 700/day split ml 500, research 200 (7,000); day 11: 1,500 of which ml 1,300 (a spike).
  const lines = [];
  for (let d = 1; d <= 10; d++) {
    const day = `2026-06-${String(d).padStart(2, "0")}`;
    lines.push({ day, cost: "500", team: "ml" }, { day, cost: "200", team: "research", service: "Amazon SageMaker" });
  }
  lines.push({ day: "2026-06-11", cost: "1300", team: "ml" }, { day: "2026-06-11", cost: "200", team: "research", service: "Amazon SageMaker" });
  // Spend in another currency is never summed into a USD budget.
  lines.push({ day: "2026-06-05", cost: "999", currency: "EUR", team: "ml" });
  await insertBillLines(prisma, org.id, lines);
  const b = await prisma.budget.create({ data: { orgId: org.id, name: "GPU spend", amount: "10000", currency: "USD", ...budget } });
  const ch = channel ? await createSlackChannel(prisma, { orgId: org.id, input: { name: "#finops", webhookUrl: slack.url(`/hooks/${label}`), minSeverity: "INFO", routing: { scopes: [] } } }) : null;
  return { org, budget: b, channel: ch };
}

const forPath = (path: string) => slack.received.filter((m) => m.path === path);
async function waitForPath(path: string, n: number, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (forPath(path).length < n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} messages on ${path}, got ${forPath(path).length}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return forPath(path);
}
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  slack = await startSlackReceiver();
  producers = createProducers({ redisUrl, prefix });
  worker = await startWorker({
    redisUrl,
    prefix,
    prisma,
    queues: [{ queue: QUEUES.deliveries, concurrency: 4 }],
    healthPort: 0,
    healthHost: "127.0.0.1",
    registerSchedules: false,
    now: () => NOW,
  });
});

afterAll(async () => {
  await worker?.close();
  await producers?.close();
  await slack?.close();
  await prisma.$disconnect();
});

describe("budget alerts to Slack", () => {
  it("sends one Block Kit message per crossing with the figures, the top movers and a link back", async () => {
    const w = await world("figures");
    const result = await evaluateOrg(ctx(), w.org.id);
    // 85% of actual crosses 80 (50 is recorded as superseded); the forecast crosses 100%.
    expect(result.budgetAlerts).toBe(3);
    const msgs = await waitForPath("/hooks/figures", 2);
    await settle(300);
    expect(forPath("/hooks/figures")).toHaveLength(2);

    const events = await prisma.alertEvent.findMany({ where: { orgId: w.org.id }, orderBy: { dedupKey: "asc" } });
    expect(events.map((e) => e.dedupKey)).toEqual([
      `budget:${w.budget.id}:actual:50:2026-06`,
      `budget:${w.budget.id}:actual:80:2026-06`,
      `budget:${w.budget.id}:forecast:100:2026-06`,
    ]);
    const actual = msgs.find((m) => m.body.text!.includes("reached 80%"))!;
    expect(actual.body.text).toContain("$8,500.00 spent of $10,000.00 for 2026-06");
    const raw = actual.raw;
    expect(raw).toContain("85%");
    // Top movers: last 7 days [06-05 10:00, 06-12 10:00) vs the 7 before. ml grew by the day-11 spike.
    expect(raw).toContain("team *ml*");
    expect(raw).toMatch(/http:\/\/localhost:3000\/al-figures-[0-9a-f]+\/budgets\?budget=/);
    const blocks = actual.body.blocks as Array<{ type: string }>;
    expect(blocks.map((b) => b.type)).toEqual(["header", "section", "section", "section", "actions", "context"]);
    const forecast = msgs.find((m) => m.body.text!.includes("forecast"))!;
    const ev = events.find((e) => e.kind === "BUDGET_FORECAST")!;
    const projected = Number((ev.payload as { data: { projected: string } }).data.projected);
    // 8,500 so far + 19 days left at about 700-800/day: about 22,000-24,000.
    expect(projected).toBeGreaterThan(20_000);
    expect(projected).toBeLessThan(26_000);
    expect(forecast.body.text).toContain(`$${projected.toLocaleString("en-US", { minimumFractionDigits: 2 })}`);
    const deliveries = await prisma.delivery.findMany({ where: { orgId: w.org.id } });
    expect(deliveries.map((d) => d.status)).toEqual(["SENT", "SENT"]);

    // A second evaluation in the same period sends nothing new.
    const again = await evaluateOrg(ctx(), w.org.id);
    expect(again.budgetAlerts).toBe(0);
    await settle(300);
    expect(forPath("/hooks/figures")).toHaveLength(2);
  });

  it("a 429 with Retry-After then a 200 delivers once, after the Retry-After delay", async () => {
    const w = await world("retry", { budget: { forecastThreshold: null, thresholds: [80] } });
    slack.script([{ status: 429, headers: { "retry-after": "1" }, body: "rate_limited" }]);
    await evaluateOrg(ctx(), w.org.id);
    const msgs = await waitForPath("/hooks/retry", 2);
    await settle(800);
    expect(forPath("/hooks/retry")).toHaveLength(2);
    expect(msgs[1]!.at - msgs[0]!.at).toBeGreaterThanOrEqual(950);
    expect(msgs[0]!.raw).toBe(msgs[1]!.raw);
    const d = await prisma.delivery.findFirstOrThrow({ where: { orgId: w.org.id } });
    expect(d).toMatchObject({ status: "SENT", attempts: 2, responseCode: 200, lastError: null });
  });

  it("retries a 5xx with backoff and gives up after the attempts, with the error on the delivery", async () => {
    const w = await world("fail", { budget: { forecastThreshold: null, thresholds: [80] } });
    slack.script([
      { status: 503, body: "upstream down" },
      { status: 500, body: "still down" },
      { status: 502, body: "bad gateway" },
    ]);
    await evaluateOrg(ctx(), w.org.id);
    await waitForPath("/hooks/fail", 3);
    const deadline = Date.now() + 5_000;
    let d = await prisma.delivery.findFirstOrThrow({ where: { orgId: w.org.id } });
    while (d.status !== "FAILED" && Date.now() < deadline) {
      await settle(50);
      d = await prisma.delivery.findFirstOrThrow({ where: { orgId: w.org.id } });
    }
    expect(d).toMatchObject({ status: "FAILED", attempts: 3, responseCode: 502 });
    expect(d.lastError).toContain("HTTP 502: bad gateway");
    await settle(500);
    expect(forPath("/hooks/fail")).toHaveLength(3);
  });

  it("a revoked webhook (404) fails at once without retrying", async () => {
    const w = await world("gone", { budget: { forecastThreshold: null, thresholds: [80] } });
    slack.script([{ status: 404, body: "no_service" }]);
    await evaluateOrg(ctx(), w.org.id);
    await waitForPath("/hooks/gone", 1);
    await settle(700);
    expect(forPath("/hooks/gone")).toHaveLength(1);
    const d = await prisma.delivery.findFirstOrThrow({ where: { orgId: w.org.id } });
    expect(d).toMatchObject({ status: "FAILED", attempts: 1, responseCode: 404, lastError: "HTTP 404: no_service" });
  });

  it("two concurrent evaluations send one message per crossing", async () => {
    const w = await world("race", { budget: { forecastThreshold: null, thresholds: [80] } });
    const results = await Promise.all([evaluateOrg(ctx(), w.org.id), evaluateOrg(ctx(), w.org.id), evaluateOrg(ctx(), w.org.id)]);
    expect(results.map((r) => r.budgetAlerts).reduce((a, b) => a + b, 0)).toBe(1);
    await waitForPath("/hooks/race", 1);
    await settle(700);
    expect(forPath("/hooks/race")).toHaveLength(1);
    expect(await prisma.alertEvent.count({ where: { orgId: w.org.id } })).toBe(1);
    expect(await prisma.delivery.count({ where: { orgId: w.org.id } })).toBe(1);
  });

  it("routes by scope and severity", async () => {
    const w = await world("route", { channel: false, budget: { forecastThreshold: null, thresholds: [80], scopeKind: "TEAM", scopeValue: "ml" } });
    // ml alone: 500×10 + 1,300 = 6,300 of a 7,000 budget = 90%.
    await prisma.budget.update({ where: { id: w.budget.id }, data: { amount: "7000" } });
    const input = (name: string, path: string, extra: object) => ({ name, webhookUrl: slack.url(path), minSeverity: "INFO" as const, routing: { scopes: [] }, ...extra });
    await createSlackChannel(prisma, { orgId: w.org.id, input: input("#ml", "/hooks/route-ml", { routing: { scopes: [{ kind: "TEAM", value: "ml" }] } }) });
    await createSlackChannel(prisma, { orgId: w.org.id, input: input("#research", "/hooks/route-research", { routing: { scopes: [{ kind: "TEAM", value: "research" }] } }) });
    await createSlackChannel(prisma, { orgId: w.org.id, input: input("#pager", "/hooks/route-pager", { minSeverity: "CRITICAL" }) });
    await createSlackChannel(prisma, { orgId: w.org.id, input: input("#all-teams", "/hooks/route-all", { routing: { scopes: [{ kind: "TEAM" }] } }) });
    await evaluateOrg(ctx(), w.org.id);
    const [ml] = await waitForPath("/hooks/route-ml", 1);
    await waitForPath("/hooks/route-all", 1);
    await settle(500);
    expect(ml!.body.text).toContain("$6,300.00 spent of $7,000.00");
    expect(forPath("/hooks/route-research")).toHaveLength(0);
    expect(forPath("/hooks/route-pager")).toHaveLength(0);
  });

  it("stores the webhook URL encrypted and sends a test message on demand", async () => {
    const w = await world("test-msg", { channel: false });
    const { id } = await createSlackChannel(prisma, { orgId: w.org.id, input: { name: "#t", webhookUrl: slack.url("/hooks/test-msg?secret=s3cr3t"), minSeverity: "INFO", routing: { scopes: [] } } });
    const row = await prisma.alertChannel.findUniqueOrThrow({ where: { id } });
    expect(row.secretCiphertext).not.toContain("s3cr3t");
    expect(row.secretCiphertext).not.toContain("127.0.0.1");
    const ok = await sendTestMessage(prisma, { orgId: w.org.id, channelId: id, appUrl: "http://localhost:3000" });
    expect(ok).toMatchObject({ ok: true, status: 200 });
    expect(forPath("/hooks/test-msg?secret=s3cr3t")[0]!.body.text).toBe(`Burnrate test message for ${w.org.name}`);
    slack.script([{ status: 403, body: "invalid_token" }]);
    const bad = await sendTestMessage(prisma, { orgId: w.org.id, channelId: id, appUrl: "http://localhost:3000" });
    expect(bad).toMatchObject({ ok: false, status: 403, error: "HTTP 403: invalid_token" });
    const ds = await prisma.delivery.findMany({ where: { orgId: w.org.id }, orderBy: { createdAt: "asc" } });
    expect(ds.map((d) => d.status)).toEqual(["SENT", "FAILED"]);
    // Another org cannot use this channel.
    const other = await createOrg(prisma, { slug: `al-other-${randomBytes(3).toString("hex")}`, name: "Other" });
    await expect(sendTestMessage(prisma, { orgId: other.id, channelId: id, appUrl: "http://localhost:3000" })).rejects.toThrow(/not found/i);
  });
});
