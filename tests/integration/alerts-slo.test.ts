// SLO evaluation against real Postgres with hand-computed data: breaches stored with start, end,
// worst value and error budget consumed; a burn-rate alert per breach and a resolve message, both
// delivered to a loopback Slack receiver by a real worker.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { createSlackChannel } from "@/lib/alerts/channels-store";
import { createProducers, type Producers } from "@/lib/queue/producers";
import { QUEUES } from "@/lib/queue/contracts";
import { evaluateOrg } from "@/workers/processors/alerts";
import { type RunningWorker, startWorker } from "@/workers/start-worker";
import { startSlackReceiver, type SlackReceiver } from "../support/slack-receiver";

process.env.LOG_LEVEL ??= "warn";
const redisUrl = process.env.REDIS_URL!;
const prefix = process.env.QUEUE_PREFIX!;
const prisma = createPrisma(process.env.DATABASE_URL!, 6);
const H = 3_600_000;
const T0 = Date.UTC(2026, 6, 1);
const at = (i: number) => new Date(T0 + i * H);
let slack: SlackReceiver;
let worker: RunningWorker;
let producers: Producers;

beforeAll(async () => {
  slack = await startSlackReceiver();
  producers = createProducers({ redisUrl, prefix });
  worker = await startWorker({ redisUrl, prefix, prisma, queues: [{ queue: QUEUES.deliveries, concurrency: 2 }], healthPort: 0, healthHost: "127.0.0.1", registerSchedules: false });
});

afterAll(async () => {
  await worker?.close();
  await producers?.close();
  await slack?.close();
  await prisma.$disconnect();
});

const forPath = (p: string) => slack.received.filter((m) => m.path === p);
async function waitForPath(p: string, n: number) {
  const deadline = Date.now() + 15_000;
  while (forPath(p).length < n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} on ${p}, got ${forPath(p).length}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return forPath(p);
}

describe("success-ratio SLO", () => {
  it("stores the breach, pages on the burn rate, and resolves when it ends", async () => {
    const org = await createOrg(prisma, { slug: `slo-${randomBytes(3).toString("hex")}`, name: "SLO org" });
    const wl = await prisma.workload.create({ data: { orgId: org.id, kind: "INFERENCE_SERVICE", name: "mistral-7b-api", namespace: "serving", team: "ml" } });
    // 72 hours of 1,000 requests, 999 good, except hours 70 and 71 with 800 good (see lib/slo/burn-rate.test.ts).
    await prisma.workloadHourly.createMany({
      data: Array.from({ length: 72 }, (_, i) => ({ orgId: org.id, workloadId: wl.id, hour: at(i), inferences: i >= 70 ? 800 : 999, failures: i >= 70 ? 200 : 1 })),
    });
    const slo = await prisma.sloDefinition.create({ data: { orgId: org.id, name: "Mistral success", kind: "SUCCESS_RATIO", objective: 0.99, workloadId: wl.id, windowDays: 30 } });
    await createSlackChannel(prisma, { orgId: org.id, input: { name: "#sre", webhookUrl: slack.url("/hooks/slo"), minSeverity: "WARNING", routing: { scopes: [] } } });
    const ctx = (now: Date) => ({ prisma, producers, now: () => now });

    // Evaluated at 72:20: hours 0-71 are complete.
    const r1 = await evaluateOrg(ctx(new Date(at(72).getTime() + 20 * 60_000)), org.id);
    expect(r1.sloAlerts).toBe(1);
    const breaches = await prisma.sloBreach.findMany({ where: { sloId: slo.id } });
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({ startedAt: at(70), endedAt: null, worstValue: 0.8 });
    expect(breaches[0]!.errorBudgetConsumed).toBeCloseTo(400 / 720, 9);
    const [page] = await waitForPath("/hooks/slo", 1);
    expect(page!.body.text).toContain("SLO breached: Mistral success");
    expect(page!.raw).toContain("success ratio ≥ 99%");
    expect(page!.raw).toContain("worst 80%");
    expect(page!.raw).toContain("55.6%"); // error budget consumed
    expect(page!.raw).toContain("Burn rate 1h");
    expect(page!.raw).toContain("20.0× (threshold 14.4×)");
    expect(page!.raw).toContain("6.7× (threshold 6.0×)");
    const ev = await prisma.alertEvent.findFirstOrThrow({ where: { orgId: org.id, kind: "SLO_BREACH" } });
    expect(ev.severity).toBe("CRITICAL");

    // Evaluating again while it lasts sends nothing more.
    expect((await evaluateOrg(ctx(new Date(at(72).getTime() + 40 * 60_000)), org.id)).sloAlerts).toBe(0);

    // Hour 72 is good: the breach ends at 72:00 and one resolve message goes to the same channel.
    await prisma.workloadHourly.create({ data: { orgId: org.id, workloadId: wl.id, hour: at(72), inferences: 1000, failures: 0 } });
    const r3 = await evaluateOrg(ctx(new Date(at(73).getTime() + 5 * 60_000)), org.id);
    expect(r3.sloAlerts).toBe(1);
    const ended = await prisma.sloBreach.findFirstOrThrow({ where: { sloId: slo.id } });
    expect(ended.endedAt).toEqual(at(72));
    expect(ended.errorBudgetConsumed).toBeCloseTo(400 / 730, 9);
    const msgs = await waitForPath("/hooks/slo", 2);
    expect(msgs[1]!.body.text).toContain("Resolved: SLO resolved: Mistral success");
    expect(msgs[1]!.raw).toContain("back within its objective after 2 h");
    expect((await evaluateOrg(ctx(new Date(at(73).getTime() + 30 * 60_000)), org.id)).sloAlerts).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(forPath("/hooks/slo")).toHaveLength(2);
  });
});

describe("GPU utilization SLO of a team", () => {
  it("stores a breach per run of hours below the target, worst = lowest hourly mean", async () => {
    const org = await createOrg(prisma, { slug: `slo-u-${randomBytes(3).toString("hex")}`, name: "Util org" });
    const wl = await prisma.workload.create({ data: { orgId: org.id, kind: "TRAINING_RUN", name: "llama-ft", team: "research" } });
    const other = await prisma.workload.create({ data: { orgId: org.id, kind: "TRAINING_RUN", name: "other", team: "ml" } });
    const g1 = await prisma.gpu.create({ data: { orgId: org.id, uuid: "GPU-u1", model: "H100" } });
    const g2 = await prisma.gpu.create({ data: { orgId: org.id, uuid: "GPU-u2", model: "H100" } });
    const g3 = await prisma.gpu.create({ data: { orgId: org.id, uuid: "GPU-u3", model: "H100" } });
    // research: two GPUs; hourly means (g1 + g2) / 2: h0 0.8, h1 0.5, h2 0.55 (g2 unknown → g1 only), h3 0.9.
    const u1 = [0.8, 0.4, 0.55, 0.9];
    const u2 = [0.8, 0.6, null, 0.9];
    const rows = [];
    for (let i = 0; i < 4; i++) {
      rows.push({ orgId: org.id, gpuId: g1.id, hour: at(i), utilization: u1[i]!, workloadId: wl.id });
      rows.push({ orgId: org.id, gpuId: g2.id, hour: at(i), utilization: u2[i], workloadId: wl.id });
      rows.push({ orgId: org.id, gpuId: g3.id, hour: at(i), utilization: 0.01, workloadId: other.id });
    }
    await prisma.gpuHourly.createMany({ data: rows });
    const slo = await prisma.sloDefinition.create({ data: { orgId: org.id, name: "Research utilization", kind: "GPU_UTILIZATION", objective: 0.7, scopeKind: "TEAM", scopeValue: "research", windowDays: 7 } });
    await evaluateOrg({ prisma, producers, now: () => new Date(at(4).getTime() + 60_000) }, org.id);
    const b = await prisma.sloBreach.findMany({ where: { sloId: slo.id } });
    expect(b.map((x) => [x.startedAt, x.endedAt, x.worstValue])).toEqual([[at(1), at(3), 0.5]]);
    expect(b[0]!.errorBudgetConsumed).toBeCloseTo(2 / 168, 12);
    // The breach had ended before any evaluation saw it open: stored and shown, not messaged.
    expect(await prisma.alertEvent.count({ where: { orgId: org.id, kind: "SLO_BREACH" } })).toBe(0);
  });
});

describe("spend ≤ budget SLO", () => {
  it("breaches from the day the period's spend passed the budget, and ends with the period", async () => {
    const { insertBillLines } = await import("../support/bill-lines");
    const org = await createOrg(prisma, { slug: `slo-s-${randomBytes(3).toString("hex")}`, name: "Spend org" });
    // August 2026: 400/day; a 2,000 budget is passed on the 6th (cumulative 2,400 > 2,000).
    await insertBillLines(prisma, org.id, Array.from({ length: 10 }, (_, i) => ({ day: `2026-08-${String(i + 1).padStart(2, "0")}`, cost: "400" })));
    const budget = await prisma.budget.create({ data: { orgId: org.id, name: "Aug", amount: "2000", forecastThreshold: null, thresholds: [] } });
    const slo = await prisma.sloDefinition.create({ data: { orgId: org.id, name: "Stay in budget", kind: "SPEND", budgetId: budget.id } });
    await createSlackChannel(prisma, { orgId: org.id, input: { name: "#spend", webhookUrl: slack.url("/hooks/spend"), minSeverity: "INFO", routing: { scopes: [] } } });
    const ctx = (now: Date) => ({ prisma, producers, now: () => now });

    const r1 = await evaluateOrg(ctx(new Date("2026-08-11T09:00:00Z")), org.id);
    expect(r1.sloAlerts).toBe(1);
    const [b] = await prisma.sloBreach.findMany({ where: { sloId: slo.id } });
    // 10 days × 400 = 4,000 of 2,000: worst and consumed 2 (200%).
    expect(b).toMatchObject({ startedAt: new Date("2026-08-06T00:00:00Z"), endedAt: null, worstValue: 2, errorBudgetConsumed: 2 });
    const [msg] = await waitForPath("/hooks/spend", 1);
    expect(msg!.raw).toContain("spend ≤ budget");
    expect(msg!.raw).toContain("worst 200% of budget");

    // September: no spend yet, the August breach ends with August and a resolve message goes out.
    const r2 = await evaluateOrg(ctx(new Date("2026-09-02T09:00:00Z")), org.id);
    expect(r2.sloAlerts).toBe(1);
    expect((await prisma.sloBreach.findFirstOrThrow({ where: { sloId: slo.id } })).endedAt).toEqual(new Date("2026-09-01T00:00:00Z"));
    const msgs = await waitForPath("/hooks/spend", 2);
    expect(msgs[1]!.body.text).toContain("SLO resolved: Stay in budget");
  });
});
