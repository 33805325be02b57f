// Redis connection settings for BullMQ. We hand BullMQ *options*, never an ioredis instance, so BullMQ
// owns its connections and closes them in Queue.close()/Worker.close() (a shared instance we created
// would have to be quit() by us, or it keeps the process alive).
import { Queue, type RedisOptions } from "bullmq";
import { env } from "../env";
import { logger } from "../log";
import { type JobOptionsOverrides, type QueueName, jobOptionsFor } from "./contracts";

export type QueueConnectionConfig = {
  redisUrl: string;
  /** Key prefix, so several environments (and every test file) can share one Redis. */
  prefix: string;
};

export function queueConnectionFromEnv(): QueueConnectionConfig {
  const e = env();
  return { redisUrl: e.REDIS_URL, prefix: e.QUEUE_PREFIX };
}

/**
 * Producers (web requests, CLI) must fail fast when Redis is down instead of buffering commands
 * forever: no offline queue, one retry per command. The wait for the first connection is bounded
 * separately (see producers.ts), since BullMQ waits for "ready" before any command.
 */
export function producerRedisOptions(redisUrl: string): RedisOptions {
  return { url: redisUrl, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5_000 };
}

/** Workers block on Redis; BullMQ requires maxRetriesPerRequest: null for them. */
export function workerRedisOptions(redisUrl: string): RedisOptions {
  return { url: redisUrl, maxRetriesPerRequest: null };
}

/**
 * A Queue with the contract's default job options and an error listener (an EventEmitter "error"
 * without a listener would crash the process). Connection errors repeat on every reconnect attempt,
 * so they are logged at most every 10 s per queue.
 */
export function createQueue(
  name: QueueName,
  { redisUrl, prefix }: QueueConnectionConfig,
  jobOptions?: JobOptionsOverrides,
): Queue {
  const queue = new Queue(name, {
    connection: producerRedisOptions(redisUrl),
    prefix,
    defaultJobOptions: jobOptionsFor(name, jobOptions),
  });
  let lastLogged = 0;
  queue.on("error", (err) => {
    const now = Date.now();
    if (now - lastLogged < 10_000) return;
    lastLogged = now;
    logger.warn({ queue: name, err }, "queue connection error");
  });
  return queue;
}

/** Resolves when the queue's connection is ready, or rejects after `timeoutMs` (Redis unreachable). */
export async function waitForQueue(queue: Queue, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis is not reachable: queue "${queue.name}" not ready after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([queue.waitUntilReady(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
