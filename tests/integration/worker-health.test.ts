// /healthz reports per-queue counts, and turns 503 "stuck" when jobs wait while the worker makes no
// progress (here: its only slot is held by a job that does not finish), then 200 again once it moves.
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { QUEUES } from "@/lib/queue/contracts";
import { createProducers } from "@/lib/queue/producers";
import { type RunningWorker, startWorker } from "@/workers/start-worker";

process.env.LOG_LEVEL ??= "warn";
const redisUrl = process.env.REDIS_URL!;
const prefix = process.env.QUEUE_PREFIX!;
const STUCK_AFTER_MS = 1_000;

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const producers = createProducers({ redisUrl, prefix });
let worker: RunningWorker;
let release!: () => void;
const released = new Promise<void>((r) => (release = r));
let processed = 0;

beforeAll(async () => {
  worker = await startWorker({
    redisUrl,
    prefix,
    prisma,
    queues: [{ queue: QUEUES.rollups, concurrency: 1 }],
    healthPort: 0,
    healthHost: "127.0.0.1",
    stuckAfterMs: STUCK_AFTER_MS,
    registerSchedules: false,
    processors: {
      [QUEUES.rollups]: {
        queue: QUEUES.rollups,
        process: async () => {
          await released;
          processed++;
          return { ok: true };
        },
      },
    },
  });
});

afterAll(async () => {
  release();
  await worker?.close();
  await producers.close();
  const q = new Queue(QUEUES.rollups, { connection: { url: redisUrl }, prefix });
  await q.obliterate({ force: true });
  await q.close();
  await prisma.$disconnect();
});

type Report = {
  status: string;
  uptimeSeconds: number;
  queues: Record<string, { waiting: number; active: number; failed: number; delayed: number; stuck: boolean; oldestWaitingSeconds: number | null }>;
};

async function healthz(): Promise<{ status: number; body: Report }> {
  const res = await fetch(`http://127.0.0.1:${worker.healthPort}/healthz`);
  return { status: res.status, body: (await res.json()) as Report };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hour = (h: number) => new Date(Date.UTC(2026, 0, 15, h));

describe("GET /healthz", () => {
  it("is 200 with per-queue counts when idle, 404 elsewhere", async () => {
    const { status, body } = await healthz();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: "ok",
      queues: { [QUEUES.rollups]: { waiting: 0, active: 0, failed: 0, delayed: 0, stuck: false, oldestWaitingSeconds: null } },
    });
    expect(typeof body.uptimeSeconds).toBe("number");
    expect((await fetch(`http://127.0.0.1:${worker.healthPort}/metrics`)).status).toBe(404);
  });

  it("turns 503 when jobs wait and nothing moves, and recovers when work resumes", async () => {
    await producers.enqueueRollupRefresh({ orgId: "org-a", from: hour(1), to: hour(2) }); // takes the only slot
    await producers.enqueueRollupRefresh({ orgId: "org-b", from: hour(1), to: hour(2) });
    const fresh = await healthz();
    expect(fresh.status).toBe(200); // waiting, but not for long yet

    await sleep(2_000);
    await producers.enqueueRollupRefresh({ orgId: "org-c", from: hour(1), to: hour(2) });
    const stuck = await healthz();
    expect(stuck.status).toBe(503);
    expect(stuck.body.status).toBe("stuck");
    // The oldest waiting job is org-b's (2 s), not org-c's (just added).
    expect(stuck.body.queues[QUEUES.rollups]).toMatchObject({ waiting: 2, active: 1, stuck: true });
    expect(stuck.body.queues[QUEUES.rollups]!.oldestWaitingSeconds).toBeGreaterThanOrEqual(2);

    release();
    const deadline = Date.now() + 5_000;
    let recovered = await healthz();
    while ((recovered.body.queues[QUEUES.rollups]?.active !== 0 || recovered.status !== 200) && Date.now() < deadline) {
      await sleep(50);
      recovered = await healthz();
    }
    expect(processed).toBe(3);
    expect(recovered.status).toBe(200);
    expect(recovered.body.queues[QUEUES.rollups]).toMatchObject({ waiting: 0, active: 0, stuck: false });
  });
});
