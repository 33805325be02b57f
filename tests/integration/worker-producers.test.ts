// Producers as the web app and the CLI use them: long ranges split into day-aligned jobs, the
// process-wide default configured from env and released by closeQueues(), and a fast failure when
// Redis cannot be reached (a request must not hang on a dead queue).
import { Queue } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { QUEUES, rollupRefreshJobId } from "@/lib/queue/contracts";
import { closeQueues, createProducers, enqueueRollupRefresh, enqueueRollupRefreshRange } from "@/lib/queue/producers";

const redisUrl = process.env.REDIS_URL!;
const prefix = process.env.QUEUE_PREFIX!;
const queue = new Queue(QUEUES.rollups, { connection: { url: redisUrl }, prefix });

afterAll(async () => {
  await closeQueues();
  await queue.obliterate({ force: true });
  await queue.close();
});

const t = (iso: string) => new Date(iso);

describe("producers", () => {
  it("split a long range into day-aligned refresh jobs (through the env-configured default)", async () => {
    const ids = await enqueueRollupRefreshRange({ orgId: "org-range", from: t("2026-01-15T18:00:00Z"), to: t("2026-01-17T02:30:00Z") });
    expect(ids).toEqual([
      rollupRefreshJobId({ orgId: "org-range", from: t("2026-01-15T18:00:00Z"), to: t("2026-01-16T00:00:00Z") }),
      rollupRefreshJobId({ orgId: "org-range", from: t("2026-01-16T00:00:00Z"), to: t("2026-01-17T00:00:00Z") }),
      rollupRefreshJobId({ orgId: "org-range", from: t("2026-01-17T00:00:00Z"), to: t("2026-01-17T03:00:00Z") }),
    ]);
    // The default producers write under QUEUE_PREFIX from env.
    expect(await queue.getJobCounts("waiting")).toEqual({ waiting: 3 });
    const job = await queue.getJob(ids[1]!);
    expect(job!.data).toEqual({ kind: "refresh", orgId: "org-range", from: "2026-01-16T00:00:00.000Z", to: "2026-01-17T00:00:00.000Z" });
    expect(job!.opts).toMatchObject({ attempts: 5, backoff: { type: "exponential" } });
  });

  it("refuse a single job longer than a week, and invalid input", async () => {
    await expect(enqueueRollupRefresh({ orgId: "org-range", from: t("2026-01-01T00:00:00Z"), to: t("2026-01-09T00:00:00Z") })).rejects.toThrow(
      /at most 168 hours/,
    );
    await expect(enqueueRollupRefresh({ orgId: "", from: t("2026-01-01T00:00:00Z"), to: t("2026-01-01T01:00:00Z") })).rejects.toThrow();
  });

  it("are reopened after closeQueues()", async () => {
    await closeQueues();
    const id = await enqueueRollupRefresh({ orgId: "org-reopen", from: t("2026-01-01T00:00:00Z"), to: t("2026-01-01T01:00:00Z") });
    expect(await queue.getJob(id)).toBeDefined();
  });

  it("fail fast when Redis is unreachable", async () => {
    const dead = createProducers({ redisUrl: "redis://127.0.0.1:1", prefix, readyTimeoutMs: 500 });
    const started = Date.now();
    try {
      await expect(dead.enqueueRollupRefresh({ orgId: "org-x", from: t("2026-01-01T00:00:00Z"), to: t("2026-01-01T01:00:00Z") })).rejects.toThrow(
        /Redis is not reachable/,
      );
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await dead.close();
    }
  });
});
