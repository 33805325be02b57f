// What a telemetry source (Prometheus, OpenCost/Kubecost) plugs into the connector runner: how to
// fetch one chunk (network only, no database) and how to store it (inside the runner's transaction).
import type pg from "pg";
import type { PrismaClient } from "@/lib/db/client";
import type { WriteStats } from "./write-telemetry";

export type ChunkWindow = { from: Date; to: Date };

export type ChunkResult = WriteStats & {
  /** Raw samples (or allocation records) the chunk was computed from, for throughput figures. */
  samples: number;
};

export type ConnectorDriver<F = unknown> = {
  /** ingestion_runs.kind */
  ingestionKind: string;
  chunkHours: number;
  /**
   * Chunks fetched ahead of the one being stored (default 1). More than one only makes sense when
   * the driver's requests share one limit across chunks (the Prometheus driver's lanes), so the
   * source never sees more requests in flight than configured.
   */
  prefetchChunks?: number;
  backfillDays: number;
  settleSeconds: number;
  /** Checks the source answers before anything is planned (and learns its version). */
  prepare(): Promise<void>;
  fetchChunk(window: ChunkWindow): Promise<F>;
  writeChunk(client: pg.PoolClient, fetched: F, window: ChunkWindow): Promise<ChunkResult>;
  /** A cheap look at the source for the Settings page's "test connection": what it sees lately. */
  test(now: Date): Promise<Record<string, unknown>>;
  /** After the last chunk, outside the chunk transactions (linking GPUs to bills...). */
  afterRun?(args: { prisma: PrismaClient; pool: pg.Pool; from: Date; to: Date }): Promise<void>;
  close(): void;
};

/** Runs `tasks` with at most `limit` in flight; rejects with the first error (the rest are awaited). */
export async function withConcurrency<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  let failed: unknown;
  async function lane() {
    while (failed === undefined && next < tasks.length) {
      const i = next++;
      try {
        results[i] = await tasks[i]!();
      } catch (err) {
        failed ??= err;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  if (failed !== undefined) throw failed;
  return results;
}

/** A FIFO limit of `limit` tasks in flight, shared by whoever holds it (all chunks of a run). */
export type Lanes = {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks not started yet, and any run later, fail (the run is over: no more requests). */
  close(): void;
};

export function createLanes(limit: number): Lanes {
  let active = 0;
  let closed = false;
  const waiting: Array<{ start: () => void; cancel: () => void }> = [];
  const closedError = () => new Error("connector run closed: request not sent");
  const release = () => {
    active--;
    const next = waiting.shift();
    if (next) {
      active++;
      next.start();
    }
  };
  return {
    async run(task) {
      if (closed) throw closedError();
      if (active < limit) active++;
      else await new Promise<void>((start, cancel) => waiting.push({ start, cancel: () => cancel(closedError()) }));
      try {
        return await task();
      } finally {
        release();
      }
    },
    close() {
      closed = true;
      for (const w of waiting.splice(0)) w.cancel();
    },
  };
}

/**
 * Runs `tasks` through shared lanes, in order; rejects with the first error. Tasks of this batch
 * not started when one fails are skipped, the ones in flight are awaited (as withConcurrency).
 */
export async function inLanes<T>(lanes: Lanes, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let failed: unknown;
  await Promise.all(
    tasks.map((task, i) =>
      lanes.run(async () => {
        if (failed !== undefined) return;
        try {
          results[i] = await task();
        } catch (err) {
          failed ??= err;
        }
      }),
    ),
  );
  if (failed !== undefined) throw failed;
  return results;
}
