// Worker process entry: `npm run worker`, i.e. `node --import tsx workers/index.ts`: one process, so
// SIGTERM reaches it directly (not npx, and not the tsx CLI, whose wrapper SIGKILLs a child that is slow
// to acknowledge a signal). Configuration comes from env (lib/env.ts); everything else is in
// startWorker, which tests run in-process.
//
// Shutdown: SIGTERM or SIGINT → running.close() → the event loop empties and Node exits by itself with
// code 0. The process is only forced out (exit code 1, logged) if it is still alive after a hard
// timeout, or on a second signal.
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { parseQueueSelection } from "./queue-selection";
import { type RunningWorker, startWorker } from "./start-worker";

const DRAIN_TIMEOUT_MS = 25_000;
const HARD_EXIT_AFTER_MS = 40_000;

let running: RunningWorker | undefined;
let stopRequested: string | undefined;

function forceExit(reason: string) {
  logger.error({ reason, activeResources: process.getActiveResourcesInfo() }, "forcing exit");
  process.exit(1);
}

function stop(signal: string) {
  if (stopRequested) {
    forceExit(`second signal ${signal} during shutdown`);
    return;
  }
  stopRequested = signal;
  logger.info({ signal }, "shutdown requested");
  // Last resort only; unref'd so it never keeps a clean process alive.
  setTimeout(() => forceExit(`still running ${HARD_EXIT_AFTER_MS} ms after ${signal}`), HARD_EXIT_AFTER_MS).unref();
  if (running) void shutdown(running);
  // else: startup is still in progress; main() shuts down as soon as it has a handle.
}

async function shutdown(worker: RunningWorker) {
  try {
    await worker.close();
  } catch (err) {
    logger.error({ err }, "error during shutdown");
    process.exitCode = 1;
  }
  process.removeListener("SIGTERM", stop);
  process.removeListener("SIGINT", stop);
  // Emitted only when nothing is left on the event loop, i.e. when every handle we opened is closed.
  process.once("beforeExit", () => {
    logger.info({ activeResources: process.getActiveResourcesInfo() }, "worker drained, exiting naturally");
  });
}

async function main() {
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  const e = env();
  try {
    running = await startWorker({
      redisUrl: e.REDIS_URL,
      prefix: e.QUEUE_PREFIX,
      databaseUrl: e.DATABASE_URL,
      queues: parseQueueSelection(e.WORKER_QUEUES, e.WORKER_CONCURRENCY),
      healthPort: e.WORKER_HEALTH_PORT,
      drainTimeoutMs: DRAIN_TIMEOUT_MS,
    });
  } catch (err) {
    logger.error({ err }, "worker failed to start");
    process.exitCode = 1;
    process.removeListener("SIGTERM", stop);
    process.removeListener("SIGINT", stop);
    return;
  }
  if (stopRequested) await shutdown(running);
}

void main();
