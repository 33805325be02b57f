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
