// A worker process for the SIGKILL test: the real ingest-bills processor in a BullMQ Worker whose job
// lock lasts 2 s (instead of 30 s), so the test's second worker sees the killed job stall quickly.
import { Worker } from "bullmq";
import { createPrisma } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { workerRedisOptions } from "@/lib/queue/connection";
import { QUEUES } from "@/lib/queue/contracts";
import { createProducers } from "@/lib/queue/producers";
import { createIngestBillsProcessor } from "@/workers/processors/ingest-bills";

const redisUrl = process.env.REDIS_URL!;
const prefix = process.env.QUEUE_PREFIX!;
const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const producers = createProducers({ redisUrl, prefix });
const processor = createIngestBillsProcessor({ schedule: false });
const worker = new Worker(QUEUES.ingestBills, (job) => processor.process(job, { prisma, producers, log: logger, now: () => new Date() }), {
  connection: workerRedisOptions(redisUrl),
  prefix,
  concurrency: 1,
  lockDuration: 2_000,
  stalledInterval: 1_000,
});
worker.on("active", (job) => process.stdout.write(`active ${job.id}\n`));
void worker.waitUntilReady().then(() => process.stdout.write("ready\n"));
