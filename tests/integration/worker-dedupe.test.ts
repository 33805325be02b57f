// A rollup refresh queued twice (a double click, an overlapping ingest) runs once: the producer gives
// it a deterministic job id, BullMQ ignores the second add, and the database shows one refresh.
import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { QUEUES, rollupRefreshJobId } from "@/lib/queue/contracts";
import { createProducers } from "@/lib/queue/producers";
import { type RunningWorker, startWorker } from "@/workers/start-worker";

process.env.LOG_LEVEL ??= "warn";
const redisUrl = process.env.REDIS_URL!;
const prefix = process.env.QUEUE_PREFIX!;
const prisma = createPrisma(process.env.DATABASE_URL!, 4);
const producers = createProducers({ redisUrl, prefix });
const queue = new Queue(QUEUES.rollups, { connection: { url: redisUrl }, prefix });
let worker: RunningWorker | undefined;
let orgId: string;

const H = (hour: number, minute = 0) => new Date(Date.UTC(2026, 0, 15, hour, minute));

beforeAll(async () => {
  const org = await createOrg(prisma, { slug: `dedupe-${randomBytes(4).toString("hex")}`, name: "Dedupe" });
  orgId = org.id;
  const gpu = await prisma.gpu.create({ data: { orgId, uuid: "GPU-dedupe-0", model: "H100" } });
  await prisma.gpuHourly.createMany({ data: [10, 11, 12].map((h) => ({ orgId, gpuId: gpu.id, hour: H(h), utilization: 0.5 })) });
});

afterAll(async () => {
  await worker?.close();
  await producers.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await prisma.$disconnect();
});

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("deterministic rollup job ids", () => {
  it("queues the same refresh once, however often it is asked for", async () => {
    const first = await producers.enqueueRollupRefresh({ orgId, from: H(10), to: H(13) });
    const second = await producers.enqueueRollupRefresh({ orgId, from: H(10), to: H(13) });
    // Not on whole hours: widened to the same [10:00, 13:00) window, so the same job.
    const third = await producers.enqueueRollupRefresh({ orgId, from: H(10, 20), to: H(12, 40) });

    expect(first).toBe(rollupRefreshJobId({ orgId, from: H(10), to: H(13) }));
    expect(first).not.toContain(":");
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(await queue.getJobCounts("waiting", "active", "completed", "delayed")).toEqual({ waiting: 1, active: 0, completed: 0, delayed: 0 });
  });

  it("runs it once, and a repeat after completion is still the same job", async () => {
    worker = await startWorker({
      redisUrl,
      prefix,
      prisma,
      queues: [{ queue: QUEUES.rollups, concurrency: 2 }],
      healthPort: 0,
      healthHost: "127.0.0.1",
      registerSchedules: false,
    });
    const counts = await waitFor("the job to complete", async () => {
      const c = await queue.getJobCounts("waiting", "active", "completed", "failed");
      return c.completed === 1 ? c : undefined;
    });
    expect(counts).toEqual({ waiting: 0, active: 0, completed: 1, failed: 0 });

    const again = await producers.enqueueRollupRefresh({ orgId, from: H(10), to: H(13) });
    expect(again).toBe(rollupRefreshJobId({ orgId, from: H(10), to: H(13) }));
    // Give a wrongly re-queued job the time to run before counting.
    await new Promise((r) => setTimeout(r, 300));
    expect(await queue.getJobCounts("waiting", "active", "completed", "failed")).toEqual({ waiting: 0, active: 0, completed: 1, failed: 0 });

    const refreshes = await prisma.rollupRefresh.findMany({ where: { orgId } });
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]).toMatchObject({ windowStart: H(10), windowEnd: H(13), gpuHours: 3 });

    const job = await queue.getJob(again);
    expect(job!.returnvalue).toMatchObject({ kind: "refresh", orgId, gpuHourRows: 3, refreshId: refreshes[0]!.id });
  });

  it("gives a different cause its own job", async () => {
    const id = await producers.enqueueRollupRefresh({ orgId, from: H(10), to: H(13), cause: "ingestion:run-1" });
    expect(id).toBe(`${rollupRefreshJobId({ orgId, from: H(10), to: H(13) })}-ingestion%3Arun%2D1`);
    await waitFor("the second refresh", async () => ((await prisma.rollupRefresh.count({ where: { orgId } })) === 2 ? true : undefined));
  });
});
