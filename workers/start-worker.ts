// Builds a running worker from explicit options (the entry passes env values; tests pass their own
// database, Redis prefix, ports and timeouts) and returns a handle whose close() shuts it down in
// order: mark unhealthy → close BullMQ workers (active jobs finish, up to a timeout) → close queues
// and producers → disconnect Prisma → close the health server.
import { type Job, type Queue, Worker } from "bullmq";
import { createPrisma, type PrismaClient } from "@/lib/db/client";
import { closePgPool } from "@/lib/db/pg";
import { logger } from "@/lib/log";
import { type QueueConnectionConfig, createQueue, waitForQueue, workerRedisOptions } from "@/lib/queue/connection";
import { type JobOptionsOverrides, type QueueName, jobOptionsFor } from "@/lib/queue/contracts";
import { createProducers } from "@/lib/queue/producers";
import { type HealthServer, startHealthServer } from "./health";
import { PROCESSORS, type ProcessorContext, type ProcessorDefinition } from "./processors";
import type { QueueSelection } from "./queue-selection";
import { SCHEDULES, type ScheduleDefinition } from "./schedules";

export type StartWorkerOptions = QueueConnectionConfig & {
  /** Queues to consume and their concurrency (see parseQueueSelection). */
  queues: QueueSelection[];
  /** An existing client (tests); otherwise one is created from databaseUrl and disconnected on close. */
  prisma?: PrismaClient;
  databaseUrl?: string;
  /** 0 picks a free port; the chosen one is on the returned handle. */
  healthPort: number;
  healthHost?: string;
  /** Waiting jobs with no progress for this long make /healthz answer 503. Default 10 min. */
  stuckAfterMs?: number;
  /** How long close() lets active jobs finish before dropping them (they become stalled and are retried). */
  drainTimeoutMs?: number;
  /** How long start waits for Redis before giving up (the process then exits and is restarted). */
  startupTimeoutMs?: number;
  /** Register the job schedulers of the consumed queues (default true). */
  registerSchedules?: boolean;
  schedules?: ScheduleDefinition[];
  /** Job option overrides for jobs this worker produces (fan-out); tests shorten backoffs with it. */
  jobOptions?: JobOptionsOverrides;
  processors?: Partial<Record<QueueName, ProcessorDefinition>>;
  now?: () => Date;
};

export type RunningWorker = {
  healthPort: number;
  queues: QueueName[];
  /** Idempotent; resolves once everything this worker opened is closed. */
  close(): Promise<void>;
};

type Consumer = { queue: QueueName; worker: Worker; handle: Queue; lastProgressAt: number };

async function closeWithin(worker: Worker, timeoutMs: number, queue: QueueName): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closing = worker.close();
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    if ((await Promise.race([closing, timedOut])) === "timeout") {
      // close() cannot be re-invoked with force while it runs; dropping the connection releases the
      // job locks' renewal, so another worker picks the jobs up as stalled.
      logger.warn({ queue, timeoutMs }, "active jobs did not finish in time; disconnecting the worker");
      await worker.disconnect();
    }
  } finally {
    clearTimeout(timer);
  }
}

async function registerSchedules(handle: Queue, queue: QueueName, schedules: ScheduleDefinition[], jobOptions?: JobOptionsOverrides, dynamicPrefix?: string) {
  const declared = schedules.filter((s) => s.queue === queue);
  for (const s of declared) {
    // Options go in the template: later iterations are created by whichever worker picks up the
    // previous one, which does not know the Queue's defaultJobOptions.
    await handle.upsertJobScheduler(s.id, s.repeat, { name: s.jobName, data: s.data, opts: jobOptionsFor(queue, jobOptions) });
    logger.info({ queue, scheduler: s.id, repeat: s.repeat }, "job scheduler registered");
  }
  const ids = new Set(declared.map((s) => s.id));
  for (const existing of await handle.getJobSchedulers()) {
    if (existing.key && !ids.has(existing.key) && !(dynamicPrefix && existing.key.startsWith(dynamicPrefix))) {
      await handle.removeJobScheduler(existing.key);
      logger.info({ queue, scheduler: existing.key }, "obsolete job scheduler removed");
    }
  }
}

export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const startedAt = Date.now();
  const now = options.now ?? (() => new Date());
  const processors = { ...PROCESSORS, ...options.processors };
  const connection: QueueConnectionConfig = { redisUrl: options.redisUrl, prefix: options.prefix };

  let shuttingDown = false;
  const consumers: Consumer[] = [];
  const ownsPrisma = !options.prisma;
  const prisma = options.prisma ?? createPrisma(options.databaseUrl);
  const producers = createProducers({ ...connection, jobOptions: options.jobOptions });
  let health: HealthServer | undefined;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      shuttingDown = true;
      logger.info({ queues: consumers.map((c) => c.queue) }, "worker shutting down");
      const drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
      await Promise.all(consumers.map((c) => closeWithin(c.worker, drainTimeoutMs, c.queue)));
      await Promise.allSettled([...consumers.map((c) => c.handle.close()), producers.close()]);
      if (ownsPrisma) await prisma.$disconnect().catch((err: unknown) => logger.warn({ err }, "prisma disconnect failed"));
      // The COPY pool (telemetry chunks) is process-wide; closing it lets the process exit on its own.
      await closePgPool().catch((err: unknown) => logger.warn({ err }, "pg pool close failed"));
      await health?.close();
      logger.info({ uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) }, "worker stopped");
    })();
    return closing;
  };

  try {
    for (const { queue, concurrency } of options.queues) {
      const definition = processors[queue];
      if (!definition) throw new Error(`No processor registered for queue "${queue}"`);
      const ctx: ProcessorContext = { prisma, producers, log: logger, now };
      const handle = createQueue(queue, connection, options.jobOptions);
      const worker = new Worker(queue, (job: Job) => definition.process(job, ctx), {
        ...definition.workerOptions,
        connection: workerRedisOptions(options.redisUrl),
        prefix: options.prefix,
        concurrency,
        autorun: false,
      });
      const consumer: Consumer = { queue, worker, handle, lastProgressAt: startedAt };
      consumers.push(consumer);

      worker.on("active", (job) => {
        consumer.lastProgressAt = Date.now();
        logger.debug({ queue, jobId: job.id, name: job.name, attempt: job.attemptsMade + 1 }, "job started");
      });
      worker.on("completed", (job, result) => {
        consumer.lastProgressAt = Date.now();
        const durationMs = job.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : undefined;
        logger.info({ queue, jobId: job.id, name: job.name, durationMs, result }, "job completed");
      });
      worker.on("failed", (job, err) => {
        consumer.lastProgressAt = Date.now();
        const final = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === "UnrecoverableError";
        (final ? logger.error : logger.warn)(
          { queue, jobId: job?.id, name: job?.name, attemptsMade: job?.attemptsMade, final, err },
          final ? "job failed for good" : "job failed, will retry",
        );
      });
      worker.on("error", (err) => logger.error({ queue, err }, "worker error"));
    }

    health = await startHealthServer({
      port: options.healthPort,
      host: options.healthHost,
      source: {
        startedAt,
        stuckAfterMs: options.stuckAfterMs ?? 10 * 60_000,
        isShuttingDown: () => shuttingDown,
        queues: consumers.map((c) => ({ queue: c.queue, handle: c.handle, lastProgressAt: () => c.lastProgressAt })),
      },
    });

    for (const c of consumers) await waitForQueue(c.handle, options.startupTimeoutMs ?? 30_000);
    if (options.registerSchedules ?? true) {
      for (const c of consumers) {
        await registerSchedules(c.handle, c.queue, options.schedules ?? SCHEDULES, options.jobOptions, processors[c.queue]?.dynamicSchedulerPrefix);
        await processors[c.queue]?.onStart?.({ prisma, producers, log: logger, now });
      }
    }

    for (const c of consumers) {
      // run() resolves when the worker closes; its errors surface through the "error" event too.
      c.worker.run().catch((err: unknown) => logger.error({ queue: c.queue, err }, "worker loop ended with an error"));
      await c.worker.waitUntilReady();
    }
  } catch (err) {
    await close();
    throw err;
  }

  logger.info(
    { queues: options.queues, healthPort: health.port, prefix: options.prefix, pid: process.pid },
    "worker started",
  );
  return { healthPort: health.port, queues: consumers.map((c) => c.queue), close };
}
