// What a processor gets: the job, and the process's shared resources (never module singletons, so
// tests can run a worker in-process with their own database and Redis prefix).
import type { Job, WorkerOptions } from "bullmq";
import type { PrismaClient } from "@/lib/db/client";
import type { logger } from "@/lib/log";
import type { QueueName } from "@/lib/queue/contracts";
import type { Producers } from "@/lib/queue/producers";

export type ProcessorContext = {
  prisma: PrismaClient;
  /** For jobs that queue more jobs (fan-out). */
  producers: Producers;
  log: typeof logger;
  now: () => Date;
};

export type ProcessorDefinition = {
  queue: QueueName;
  /** Throw to fail the attempt (retried per the contract's backoff); UnrecoverableError to fail for good. */
  process: (job: Job, ctx: ProcessorContext) => Promise<unknown>;
  /** BullMQ Worker options this queue needs (a rate limiter). */
  workerOptions?: Pick<WorkerOptions, "limiter">;
  /** Job schedulers under this id prefix are managed at run time (per connector), not by SCHEDULES. */
  dynamicSchedulerPrefix?: string;
  /** Runs once the worker's static schedules are registered (e.g. to reconcile dynamic ones). */
  onStart?: (ctx: ProcessorContext) => Promise<void>;
};
