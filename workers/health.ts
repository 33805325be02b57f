// The worker's health endpoint. GET /healthz answers 200 only when the worker is running, Redis
// answers, and no consumed queue is stuck; a check that always says ok is worth nothing.
//
// Stuck = jobs have been waiting longer than `stuckAfterMs` while this worker has neither started nor
// finished a job of that queue for as long (so a busy worker with a backlog is not stuck, and neither
// is a fresh one: the clock starts when the worker starts).
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Queue } from "bullmq";
import { logger } from "@/lib/log";
import type { QueueName } from "@/lib/queue/contracts";

export type QueueCounts = { waiting: number; active: number; delayed: number; failed: number; prioritized: number };

export type QueueHealthInput = {
  queue: QueueName;
  counts: QueueCounts;
  /** Enqueue time (ms) of the job that has waited longest, null when none waits. */
  oldestWaitingAt: number | null;
  /** Last time (ms) this worker started or finished a job of the queue, or its start time. */
  lastProgressAt: number;
};

export type HealthReport = {
  status: "ok" | "stuck" | "shutting_down" | "unavailable";
  uptimeSeconds: number;
  queues: Record<string, QueueCounts & { oldestWaitingSeconds: number | null; lastProgressSecondsAgo: number; stuck: boolean }>;
  error?: string;
};

/** Pure: decides whether each queue is stuck. */
export function evaluateQueues({ now, stuckAfterMs, queues }: { now: number; stuckAfterMs: number; queues: QueueHealthInput[] }) {
  const out: HealthReport["queues"] = {};
  let stuck = false;
  for (const q of queues) {
    const waiting = q.counts.waiting + q.counts.prioritized;
    const isStuck =
      waiting > 0 && q.oldestWaitingAt !== null && now - q.oldestWaitingAt > stuckAfterMs && now - q.lastProgressAt > stuckAfterMs;
    stuck ||= isStuck;
    out[q.queue] = {
      ...q.counts,
      oldestWaitingSeconds: q.oldestWaitingAt === null ? null : Math.round((now - q.oldestWaitingAt) / 1000),
      lastProgressSecondsAgo: Math.round((now - q.lastProgressAt) / 1000),
      stuck: isStuck,
    };
  }
  return { stuck, queues: out };
}

type HealthSource = {
  startedAt: number;
  stuckAfterMs: number;
  isShuttingDown: () => boolean;
  queues: Array<{ queue: QueueName; handle: Queue; lastProgressAt: () => number }>;
  /** Redis calls made for one check must answer within this, else the worker reports unavailable. */
  timeoutMs?: number;
};

async function readQueue(handle: Queue): Promise<{ counts: QueueCounts; oldestWaitingAt: number | null }> {
  const c = await handle.getJobCounts("waiting", "active", "delayed", "failed", "prioritized");
  const counts: QueueCounts = {
    waiting: c.waiting ?? 0,
    active: c.active ?? 0,
    delayed: c.delayed ?? 0,
    failed: c.failed ?? 0,
    prioritized: c.prioritized ?? 0,
  };
  let oldestWaitingAt: number | null = null;
  if (counts.waiting > 0) {
    // The wait list is pushed on the left and consumed on the right: ascending order starts with the oldest.
    const [oldest] = await handle.getJobs(["wait"], 0, 0, true);
    oldestWaitingAt = oldest?.timestamp ?? null;
  }
  return { counts, oldestWaitingAt };
}

export async function checkHealth(source: HealthSource): Promise<{ httpStatus: number; report: HealthReport }> {
  const now = Date.now();
  const uptimeSeconds = Math.round((now - source.startedAt) / 1000);
  if (source.isShuttingDown()) {
    return { httpStatus: 503, report: { status: "shutting_down", uptimeSeconds, queues: {} } };
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const reads = Promise.all(source.queues.map(async (q) => ({ q, read: await readQueue(q.handle) })));
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("Redis did not answer in time")), source.timeoutMs ?? 2_000);
    });
    const results = await Promise.race([reads, timeout]);
    const { stuck, queues } = evaluateQueues({
      now,
      stuckAfterMs: source.stuckAfterMs,
      queues: results.map(({ q, read }) => ({ queue: q.queue, ...read, lastProgressAt: q.lastProgressAt() })),
    });
    return { httpStatus: stuck ? 503 : 200, report: { status: stuck ? "stuck" : "ok", uptimeSeconds, queues } };
  } catch (err) {
    return { httpStatus: 503, report: { status: "unavailable", uptimeSeconds, queues: {}, error: (err as Error).message } };
  } finally {
    clearTimeout(timer);
  }
}

export type HealthServer = { port: number; close(): Promise<void> };

export async function startHealthServer({ port, host, source }: { port: number; host?: string; source: HealthSource }): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" || path !== "/healthz") {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
      return;
    }
    checkHealth(source).then(
      ({ httpStatus, report }) => {
        // No keep-alive: a probe's idle connection must not hold the server open during shutdown.
        res.writeHead(httpStatus, { "content-type": "application/json", connection: "close" }).end(JSON.stringify(report));
      },
      (err: unknown) => {
        logger.error({ err }, "health check failed");
        res.writeHead(500, { connection: "close" }).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
