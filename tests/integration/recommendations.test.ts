// The recommendations runner and its worker job against the real database and Redis: a small org
// built by hand (H100s on AWS: four busy ones, an idle one, a starved training run, an over-provisioned
// service), checked against the pure math run on the same numbers, plus status, staleness and realised
// savings.
import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { JOB_NAMES, QUEUES, recommendationsRecomputeJobId, type RecommendationsFanOutPayload } from "@/lib/queue/contracts";
import { computeCapacitySplit } from "@/lib/recommendations/capacity-split";
import { DEFAULT_GLOBAL_INPUTS, defaultGpuTypeInputs } from "@/lib/recommendations/inputs";
import { computeRecommendations, recomputeRecommendations } from "@/lib/recommendations/run";
import { type RunningWorker, startWorker } from "@/workers/start-worker";
import { buildRecsFleet, demandAt, HOUR, HOURS, RATE } from "./recommendations.fixture";

process.env.LOG_LEVEL ??= "warn";
const prisma = createPrisma(process.env.DATABASE_URL!, 4);
const START = Date.UTC(2025, 4, 1); // far from the other files' data
const NOW = new Date(START + HOURS * HOUR + 30 * 60_000);
/** The worker's clock: two days after the data's end. */
const LATER = new Date(NOW.getTime() + 48 * HOUR);
const WORKER_NOW = new Date(LATER.getTime() + HOUR);

let orgId: string;
let gpuIds: Record<string, string> = {};

beforeAll(async () => {
  ({ orgId, gpuIds } = await buildRecsFleet(prisma, { start: START, slugPrefix: "recs" }));
});

afterAll(async () => {
  await prisma.$disconnect();
});

describe("recommendations runner", () => {
  it("stores the capacity split the pure math gives for the org's hourly demand and inputs", async () => {
    const result = await recomputeRecommendations(prisma, { orgId, lookbackDays: 30, now: NOW });
    expect(result.window).toEqual({ from: new Date(START).toISOString(), to: new Date(START + HOURS * HOUR).toISOString(), hours: HOURS });
    const demand = Array.from({ length: HOURS }, (_, h) => demandAt(h));
    // The training run is interruptible and checkpointed; the service is not spot-eligible whatever its flag.
    const interruptible = Array.from({ length: HOURS }, (_, h) => (h < 120 ? 2 : 0));
    const type = defaultGpuTypeInputs("H100");
    const expected = computeCapacitySplit({ gpuModel: "H100", series: { demand, interruptible, currentCost: demand.reduce((a, b) => a + b, 0) * RATE }, type, global: DEFAULT_GLOBAL_INPUTS });
    const rec = await prisma.recommendation.findUniqueOrThrow({ where: { orgId_fingerprint: { orgId, fingerprint: "capacity-split:H100 · aws" } } });
    const ev = rec.evidence as unknown as typeof expected;
    expect(ev.commitment?.committedGpus).toBe(expected.commitment?.committedGpus);
    expect(ev.onPrem.gpus).toBe(expected.onPrem.gpus);
    expect(ev.spot.meanGpus).toBeCloseTo(expected.spot.meanGpus, 9);
    expect(Number(rec.monthlySavings)).toBeCloseTo(Math.max(0, expected.monthly.savings), 2);
    expect(ev.monthly.current).toBeCloseTo((demand.reduce((a, b) => a + b, 0) * RATE * 730) / HOURS, 6);
    // 8 GPUs run every hour: the base is covered by on-prem or commitments, not on-demand.
    expect(ev.onPrem.gpus + (ev.commitment?.committedGpus ?? 0)).toBe(8);
    // The worker's run used the defaults (public list prices) and stored them with the recommendation,
    // but wrote no price_assumptions rows: those are written only when someone saves the inputs.
    expect((rec.inputs as { gpuType: unknown }).gpuType).toEqual(type);
    expect(await prisma.priceAssumption.count({ where: { orgId } })).toBe(0);
  });

  it("finds the idle GPU, the starved run and its team, and the over-provisioned service", async () => {
    const recs = await prisma.recommendation.findMany({ where: { orgId } });
    const byFp = new Map(recs.map((r) => [r.fingerprint, r]));
    const idle = byFp.get("reclaim-idle:aws-use1/p5-b")!;
    // Idle (< 5%) in 216 of 240 hours at $6.88.
    expect(Number(idle.monthlySavings)).toBeCloseTo((216 * RATE * 730) / HOURS, 2);
    const starved = byFp.get(`starved-training:${(await prisma.workload.findFirstOrThrow({ where: { orgId, name: "bert-pretrain" } })).id}`)!;
    // 240 GPU-hours at 35%: at 70% it would cost half.
    expect(Number(starved.monthlySavings)).toBeCloseTo((240 * RATE * 0.5 * 730) / HOURS, 2);
    expect(byFp.get("underutilized-team:vision")).toBeDefined();
    const consolidate = recs.find((r) => r.kind === "consolidate-inference")!;
    // 3 GPUs at 10%: p95 busy 0.3 GPUs → 1 GPU; saves 2 GPUs all month.
    expect(Number(consolidate.monthlySavings)).toBeCloseTo(2 * RATE * 730, 2);
  });

  it("keeps accepted and dismissed statuses across a recompute, removes stale open ones, and measures realised savings", async () => {
    const idle = await prisma.recommendation.findUniqueOrThrow({ where: { orgId_fingerprint: { orgId, fingerprint: "reclaim-idle:aws-use1/p5-b" } } });
    const acceptedAt = new Date(START + HOURS * HOUR);
    await prisma.recommendation.update({ where: { id: idle.id }, data: { status: "ACCEPTED", acceptedAt } });
    await prisma.recommendation.updateMany({ where: { orgId, kind: "underutilized-team" }, data: { status: "DISMISSED", dismissReason: "known, being fixed" } });
    await prisma.recommendation.create({ data: { orgId, kind: "quantize", fingerprint: "quantize:gone", title: "stale" } });
    // 48 more hours: the idle GPU is released (no rows), everything else as before.
    const more = [];
    for (let h = HOURS; h < HOURS + 48; h++) {
      const hour = new Date(START + h * HOUR);
      for (const k of ["a0", "a1", "a2", "a3", "s0", "s1", "s2"]) more.push({ orgId, hour, gpuId: gpuIds[k]!, rate: RATE.toFixed(8), currency: "USD", gpuHours: "1", utilization: 0.9 });
    }
    await prisma.gpuHourly.createMany({ data: more });
    await recomputeRecommendations(prisma, { orgId, lookbackDays: 30, now: new Date(NOW.getTime() + 48 * HOUR) });
    const after = await prisma.recommendation.findUniqueOrThrow({ where: { id: idle.id } });
    expect(after.status).toBe("ACCEPTED");
    const baseline = (idle.evidence as { baselineMonthlyCost: number }).baselineMonthlyCost;
    expect(Number(after.realizedSavings)).toBeCloseTo(baseline, 2);
    expect((await prisma.recommendation.findFirstOrThrow({ where: { orgId, kind: "underutilized-team" } })).dismissReason).toBe("known, being fixed");
    expect(await prisma.recommendation.count({ where: { orgId, fingerprint: "quantize:gone" } })).toBe(0);
  });

  it("recomputes with overridden inputs without storing them (what-if)", async () => {
    const base = await computeRecommendations(prisma, { orgId, lookbackDays: 7, now: new Date(NOW.getTime() + 48 * HOUR), withActions: false });
    const cheap = { ...base.inputs.gpuTypes.H100!, onDemandHourly: 1 };
    const whatIf = await computeRecommendations(prisma, { orgId, lookbackDays: 7, now: new Date(NOW.getTime() + 48 * HOUR), override: { gpuTypes: { H100: cheap } }, withActions: false });
    expect(whatIf.plan.splits[0]!.monthly.projected).toBeLessThan(base.plan.splits[0]!.monthly.projected);
    expect(await prisma.priceAssumption.count({ where: { orgId } })).toBe(0);
    expect(whatIf.defaults).toEqual({ global: true, gpuTypes: [] });
    expect(base.defaults).toEqual({ global: true, gpuTypes: ["H100"] });
  });
});

describe("recommendations worker", () => {
  const redisUrl = process.env.REDIS_URL!;
  const prefix = process.env.QUEUE_PREFIX!;
  let worker: RunningWorker;
  let queue: Queue;

  beforeAll(async () => {
    queue = new Queue(QUEUES.recommendations, { connection: { url: redisUrl }, prefix });
    worker = await startWorker({ redisUrl, prefix, prisma, queues: [{ queue: QUEUES.recommendations, concurrency: 1 }], healthPort: 0, healthHost: "127.0.0.1", registerSchedules: false, now: () => WORKER_NOW });
  });
  afterAll(async () => {
    await worker?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
  });

  it("recomputes an org whose rollups were refreshed after its last recompute", async () => {
    const before = await prisma.recommendation.findUniqueOrThrow({ where: { orgId_fingerprint: { orgId, fingerprint: "capacity-split:H100 · aws" } } });
    // Refreshed after the last recompute (at LATER), before the worker's "now".
    await prisma.rollupRefresh.create({ data: { orgId, windowStart: new Date(START), windowEnd: new Date(START + HOUR), createdAt: new Date(LATER.getTime() + 30 * 60_000) } });
    const data: RecommendationsFanOutPayload = { kind: "fan-out", mode: "new-data" };
    const job = await queue.add(JOB_NAMES.recommendations.fanOut, data, { jobId: `fan-out-${randomBytes(3).toString("hex")}` });
    const deadline = Date.now() + 30_000;
    let rec = before;
    while (Date.now() < deadline) {
      rec = await prisma.recommendation.findUniqueOrThrow({ where: { id: before.id } });
      if (rec.computedAt > before.computedAt) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rec.computedAt.getTime()).toBeGreaterThan(before.computedAt.getTime());
    const done = await queue.getJob(job.id!);
    const slot = new Date(Math.floor(WORKER_NOW.getTime() / HOUR) * HOUR);
    expect((done!.returnvalue as { jobIds: string[] }).jobIds).toContain(recommendationsRecomputeJobId({ orgId, slot, cause: "new-data" }));
  });
});
