// Which queues this worker process consumes, and with what concurrency, from WORKER_QUEUES and
// WORKER_CONCURRENCY. Workers scale by running more processes, each with its own selection:
//   WORKER_QUEUES=""                 → every queue, WORKER_CONCURRENCY each
//   WORKER_QUEUES="rollups"          → only rollups
//   WORKER_QUEUES="rollups:4,alerts" → rollups with concurrency 4, alerts with WORKER_CONCURRENCY
import { QUEUE_NAMES, type QueueName, isQueueName } from "@/lib/queue/contracts";

export type QueueSelection = { queue: QueueName; concurrency: number };

export function parseQueueSelection(spec: string, defaultConcurrency: number): QueueSelection[] {
  const items = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) return QUEUE_NAMES.map((queue) => ({ queue, concurrency: defaultConcurrency }));

  const seen = new Map<QueueName, QueueSelection>();
  for (const item of items) {
    const [name = "", concurrencyText, ...rest] = item.split(":").map((s) => s.trim());
    if (rest.length > 0 || !isQueueName(name)) {
      throw new Error(`WORKER_QUEUES: unknown queue "${item}" (known: ${QUEUE_NAMES.join(", ")}; syntax name[:concurrency],...)`);
    }
    let concurrency = defaultConcurrency;
    if (concurrencyText !== undefined) {
      concurrency = Number(concurrencyText);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
        throw new Error(`WORKER_QUEUES: concurrency for "${name}" must be an integer from 1 to 64 (got "${concurrencyText}")`);
      }
    }
    seen.set(name, { queue: name, concurrency });
  }
  return [...seen.values()];
}
