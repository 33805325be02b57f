// The hourly scheduler's job: a fan-out that queues one refresh per org with data in the last hours,
// with deterministic ids, which the worker then runs.
import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { JOB_NAMES, QUEUES, rollupRefreshJobId, type RollupFanOutPayload } from "@/lib/queue/contracts";
import { type RunningWorker, startWorker } from "@/workers/start-worker";

process.env.LOG_LEVEL ??= "warn";
const redisUrl = process.env.REDIS_URL!;
const prefix = process.env.QUEUE_PREFIX!;
const prisma = createPrisma(process.env.DATABASE_URL!, 4);
const queue = new Queue(QUEUES.rollups, { connection: { url: redisUrl }, prefix });
let worker: RunningWorker;

// A fixed "now" far from the other test files' data, so the fan-out only sees this file's orgs.
const NOW = new Date("2026-03-02T10:05:00Z");
const hour = (h: number) => new Date(Date.UTC(2026, 2, 2, h));
const orgs: string[] = [];

beforeAll(async () => {
  for (const [i, hours] of [[7, 8, 9], [9], [3]].entries()) {
    const org = await createOrg(prisma, { slug: `fanout-${i}-${randomBytes(4).toString("hex")}`, name: `Fan-out ${i}` });
    const gpu = await prisma.gpu.create({ data: { orgId: org.id, uuid: `GPU-fanout-${i}`, model: "H100" } });
    await prisma.gpuHourly.createMany({ data: hours.map((h) => ({ orgId: org.id, gpuId: gpu.id, hour: hour(h) })) });
    orgs.push(org.id);
  }
  worker = await startWorker({
    redisUrl,
    prefix,
    prisma,
    queues: [{ queue: QUEUES.rollups, concurrency: 2 }],
    healthPort: 0,
    healthHost: "127.0.0.1",
    registerSchedules: false,
    now: () => NOW,
  });
});

afterAll(async () => {
  await worker?.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await prisma.$disconnect();
});

describe("rollups fan-out", () => {
  it("queues one refresh per org with data in the last hours, and they run", async () => {
    const data: RollupFanOutPayload = { kind: "fan-out", lookbackHours: 3 };
    const fanOut = await queue.add(JOB_NAMES.rollups.fanOut, data, { jobId: "fan-out-test" });

    const deadline = Date.now() + 10_000;
    while ((await prisma.rollupRefresh.count({ where: { orgId: { in: orgs } } })) < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const job = await queue.getJob(fanOut.id!);
    const expectedIds = [orgs[0]!, orgs[1]!]
      .sort()
      .map((orgId) => rollupRefreshJobId({ orgId, from: hour(7), to: hour(10), cause: "schedule" }));
    expect(job!.returnvalue).toEqual({ kind: "fan-out", from: hour(7).toISOString(), to: hour(10).toISOString(), orgs: 2, jobIds: expectedIds });

    const refreshes = await prisma.rollupRefresh.findMany({ where: { orgId: { in: orgs } }, orderBy: { gpuHours: "desc" } });
    // The third org's only data (03:00) is outside [07:00, 10:00): not refreshed.
    expect(refreshes.map((r) => [r.orgId, r.gpuHours, r.windowStart.toISOString()])).toEqual([
      [orgs[0], 3, hour(7).toISOString()],
      [orgs[1], 1, hour(7).toISOString()],
    ]);
  });
});
