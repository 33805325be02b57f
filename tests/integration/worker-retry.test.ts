// A refresh for an org that does not exist is a real failure of the real processor: it is retried with
// the contract's attempts and exponential backoff (delay shortened for the test), then kept in the
// failed set with its reason. A malformed payload fails once and for all.
import { Queue, QueueEvents } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { DEFAULT_JOB_OPTIONS, JOB_NAMES, QUEUES } from "@/lib/queue/contracts";
import { createProducers } from "@/lib/queue/producers";
import { type RunningWorker, startWorker } from "@/workers/start-worker";

process.env.LOG_LEVEL ??= "error";
const redisUrl = process.env.REDIS_URL!;
const prefix = process.env.QUEUE_PREFIX!;
const BACKOFF_MS = 200;
const ATTEMPTS = DEFAULT_JOB_OPTIONS.rollups.attempts!;

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const producers = createProducers({ redisUrl, prefix, jobOptions: { [QUEUES.rollups]: { backoff: { type: "exponential", delay: BACKOFF_MS } } } });
const queue = new Queue(QUEUES.rollups, { connection: { url: redisUrl }, prefix });
// Reads the queue's event stream from its start, so no event is missed; stream ids carry Redis' clock.
const events = new QueueEvents(QUEUES.rollups, { connection: { url: redisUrl }, prefix, lastEventId: "0" });
const activeAt = new Map<string, number[]>();
/** Per job: [time the retry was scheduled, time it was scheduled for], from the "delayed" events. */
const retries = new Map<string, Array<[number, number]>>();
let worker: RunningWorker;

beforeAll(async () => {
  events.on("active", ({ jobId }, id) => {
    activeAt.set(jobId, [...(activeAt.get(jobId) ?? []), Number(id.split("-")[0])]);
  });
  events.on("delayed", ({ jobId, delay }, id) => {
    retries.set(jobId, [...(retries.get(jobId) ?? []), [Number(id.split("-")[0]), Number(delay)]]);
  });
  await events.waitUntilReady();
  worker = await startWorker({
    redisUrl,
    prefix,
    prisma,
    queues: [{ queue: QUEUES.rollups, concurrency: 1 }],
    healthPort: 0,
    healthHost: "127.0.0.1",
    registerSchedules: false,
  });
});

afterAll(async () => {
  await worker?.close();
  await producers.close();
  await events.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await prisma.$disconnect();
});

async function waitForState(jobId: string, state: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // State first, then the job: a job read before its last attempt ended would be stale.
    if ((await queue.getJobState(jobId)) === state) return (await queue.getJob(jobId))!;
    if (Date.now() > deadline) throw new Error(`job ${jobId} not ${state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("failing rollup jobs", () => {
  it("are retried with exponential backoff and end in the failed set with their reason", async () => {
    const from = new Date(Date.UTC(2026, 0, 15, 10));
    const jobId = await producers.enqueueRollupRefresh({ orgId: "org-deleted-meanwhile", from, to: new Date(from.getTime() + 3_600_000) });

    const job = await waitForState(jobId, "failed");
    expect(job.attemptsMade).toBe(ATTEMPTS);
    expect(job.failedReason).toBe("refreshRollups: org org-deleted-meanwhile does not exist");
    expect(job.opts).toMatchObject({ attempts: ATTEMPTS, backoff: { type: "exponential", delay: BACKOFF_MS } });
    expect(await queue.getJobCounts("failed", "waiting", "delayed", "active")).toEqual({ failed: 1, waiting: 0, delayed: 0, active: 0 });

    // One "active" per attempt; between two attempts the job sat in the delayed set for the
    // exponential backoff BullMQ computed from the contract: delay × 2^(n-1) before attempt n+1.
    const starts = activeAt.get(jobId) ?? [];
    const scheduled = retries.get(jobId) ?? [];
    expect(starts).toHaveLength(ATTEMPTS);
    expect(scheduled).toHaveLength(ATTEMPTS - 1);
    const backoffs = scheduled.map(([at, due]) => due - at);
    backoffs.forEach((b, i) => {
      // Event times come from Redis when the event is written, which a loaded machine can delay by a
      // few tens of ms; the due time is exact. Hence the tolerance.
      expect(b).toBeGreaterThanOrEqual(BACKOFF_MS * 2 ** i - 60);
      expect(b).toBeLessThan(BACKOFF_MS * 2 ** i + 150);
    });
    for (let i = 1; i < backoffs.length; i++) expect(backoffs[i]!).toBeGreaterThan(backoffs[i - 1]!);
    // And no attempt started before its backoff was over.
    scheduled.forEach(([, due], i) => expect(starts[i + 1]!).toBeGreaterThanOrEqual(due - 5));

    // Nothing was half-written for the missing org.
    expect(await prisma.rollupRefresh.count({ where: { orgId: "org-deleted-meanwhile" } })).toBe(0);
  });

  it("fail once, without retries, when the payload breaks the contract", async () => {
    const bad = await queue.add(
      JOB_NAMES.rollups.refresh,
      { kind: "refresh", orgId: "org-x", from: "2026-01-15T10:30:00Z", to: "2026-01-15T10:00:00Z" },
      { jobId: "bad-payload", ...DEFAULT_JOB_OPTIONS.rollups },
    );
    const job = await waitForState(bad.id!, "failed");
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^Invalid rollups payload/);
    expect(job.failedReason).toContain("must be a whole UTC hour");
  });
});
