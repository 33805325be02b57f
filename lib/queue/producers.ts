// Producers: the only way the web app, the CLI and the worker's own fan-out jobs put work on a queue.
// Every function validates its payload against the contract and uses a deterministic job id, so a
// double click, a retried request or an overlapping schedule never queues the same work twice.
import type { Queue } from "bullmq";
import {
  type JobOptionsOverrides,
  JOB_NAMES,
  MAX_REFRESH_JOB_HOURS,
  type QueueName,
  QUEUES,
  type RollupRefreshPayload,
  rollupRefreshJobId,
  rollupRefreshPayloadSchema,
} from "./contracts";
import { type QueueConnectionConfig, createQueue, queueConnectionFromEnv, waitForQueue } from "./connection";
import { splitHourWindow, toHourWindow, windowHours } from "./hour-windows";

export type RollupRefreshRequest = {
  orgId: string;
  /** Widened to whole UTC hours: from is floored, to is ceiled. */
  from: Date;
  to: Date;
  /** Why (an ingestion run id, "manual"...). Jobs with a different cause are distinct jobs. */
  cause?: string;
};

export type ProducerConfig = QueueConnectionConfig & {
  jobOptions?: JobOptionsOverrides;
  /** How long to wait for a first connection to Redis before failing. */
  readyTimeoutMs?: number;
};

export type Producers = {
  /** Queues one refresh (window ≤ MAX_REFRESH_JOB_HOURS) and returns its job id. */
  enqueueRollupRefresh(request: RollupRefreshRequest): Promise<string>;
  /** Queues refreshes for a window of any length, split at UTC day boundaries; returns the job ids. */
  enqueueRollupRefreshRange(request: RollupRefreshRequest): Promise<string[]>;
  /** Queues many refreshes in one round trip (the hourly fan-out). */
  enqueueRollupRefreshes(requests: RollupRefreshRequest[]): Promise<string[]>;
  /** Closes the connections this instance opened. Safe to call twice. */
  close(): Promise<void>;
};

function refreshJob(request: RollupRefreshRequest) {
  const { from, to } = toHourWindow(request.from, request.to);
  const data: RollupRefreshPayload = rollupRefreshPayloadSchema.parse({
    kind: "refresh",
    orgId: request.orgId,
    from: from.toISOString(),
    to: to.toISOString(),
    ...(request.cause ? { cause: request.cause } : {}),
  });
  const jobId = rollupRefreshJobId({ orgId: request.orgId, from, to, cause: request.cause });
  return { name: JOB_NAMES.rollups.refresh, data, opts: { jobId } };
}

export function createProducers(config: ProducerConfig): Producers {
  const queues = new Map<QueueName, Queue>();
  const readyTimeoutMs = config.readyTimeoutMs ?? 5_000;
  let closed = false;

  async function queue(name: QueueName): Promise<Queue> {
    if (closed) throw new Error("Producers are closed");
    let q = queues.get(name);
    if (!q) {
      q = createQueue(name, config, config.jobOptions);
      queues.set(name, q);
    }
    await waitForQueue(q, readyTimeoutMs);
    return q;
  }

  const producers: Producers = {
    async enqueueRollupRefresh(request) {
      const job = refreshJob(request);
      const hours = windowHours({ from: new Date(job.data.from), to: new Date(job.data.to) });
      if (hours > MAX_REFRESH_JOB_HOURS) {
        throw new Error(`A refresh job covers at most ${MAX_REFRESH_JOB_HOURS} hours (got ${hours}); use enqueueRollupRefreshRange`);
      }
      const q = await queue(QUEUES.rollups);
      const added = await q.add(job.name, job.data, job.opts);
      return added.id ?? job.opts.jobId;
    },

    async enqueueRollupRefreshRange(request) {
      const chunks = splitHourWindow(toHourWindow(request.from, request.to), 24);
      return producers.enqueueRollupRefreshes(chunks.map((c) => ({ ...request, from: c.from, to: c.to })));
    },

    async enqueueRollupRefreshes(requests) {
      if (requests.length === 0) return [];
      const jobs = requests.map(refreshJob);
      const q = await queue(QUEUES.rollups);
      const added = await q.addBulk(jobs);
      return added.map((j, i) => j.id ?? jobs[i]!.opts.jobId);
    },

    async close() {
      closed = true;
      const all = [...queues.values()];
      queues.clear();
      await Promise.allSettled(all.map((q) => q.close()));
    },
  };
  return producers;
}

// ── process-wide default (web server, CLI): configured from env, kept on globalThis for Next dev reloads

const globalForQueues = globalThis as unknown as { __burnrateProducers?: Producers };

export function producers(): Producers {
  globalForQueues.__burnrateProducers ??= createProducers(queueConnectionFromEnv());
  return globalForQueues.__burnrateProducers;
}

export function enqueueRollupRefresh(request: RollupRefreshRequest): Promise<string> {
  return producers().enqueueRollupRefresh(request);
}

export function enqueueRollupRefreshRange(request: RollupRefreshRequest): Promise<string[]> {
  return producers().enqueueRollupRefreshRange(request);
}

/** Releases the default producers' Redis connections (CLI before exit, web on shutdown, tests). */
export async function closeQueues(): Promise<void> {
  const p = globalForQueues.__burnrateProducers;
  globalForQueues.__burnrateProducers = undefined;
  if (p) await p.close();
}
