// Recomputes an org's rollups (hourly rates and workload-hours, then the daily rollup) over a window,
// one refreshRollups transaction per chunk of at most MAX_REFRESH_WINDOW_HOURS: the backfill of
// existing history (`burnrate rollups rebuild`) and the catch-up after a change that staled days.
// Without a window it covers all of the org's hourly history, widened to whole UTC days.
import type { PrismaClient } from "../db/client";
import { MAX_REFRESH_WINDOW_HOURS, refreshRollups, type RefreshRollupsResult } from "./refresh-rollups";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export type RebuildRollupsInput = {
  orgId: string;
  /** Whole UTC hours; default: the org's first and last hour of hourly data, widened to whole days. */
  from?: Date;
  to?: Date;
  onChunk?: (r: RefreshRollupsResult) => void;
};

export type RebuildRollupsResult = { from: Date | null; to: Date | null; chunks: number; gpuHourRows: number; gpuDailyRows: number; staleDaysCleared: number; durationMs: number };

/** The org's hourly history as whole UTC days [from, to), or null when it has none. */
export async function orgHourlyExtent(prisma: PrismaClient, orgId: string): Promise<{ from: Date; to: Date } | null> {
  const [r] = await prisma.$queryRaw<{ min: Date | null; max: Date | null }[]>`
    SELECT LEAST((SELECT min(hour) FROM gpu_hourly WHERE org_id = ${orgId}), (SELECT min(hour) FROM workload_hourly WHERE org_id = ${orgId})) AS min,
           GREATEST((SELECT max(hour) FROM gpu_hourly WHERE org_id = ${orgId}), (SELECT max(hour) FROM workload_hourly WHERE org_id = ${orgId})) AS max`;
  if (!r?.min || !r.max) return null;
  return { from: new Date(Math.floor(r.min.getTime() / DAY_MS) * DAY_MS), to: new Date(Math.floor(r.max.getTime() / DAY_MS) * DAY_MS + DAY_MS) };
}

export async function rebuildRollups(prisma: PrismaClient, { orgId, from, to, onChunk }: RebuildRollupsInput): Promise<RebuildRollupsResult> {
  const started = performance.now();
  const extent = from && to ? { from, to } : await orgHourlyExtent(prisma, orgId);
  const result: RebuildRollupsResult = { from: null, to: null, chunks: 0, gpuHourRows: 0, gpuDailyRows: 0, staleDaysCleared: 0, durationMs: 0 };
  if (extent) {
    const start = from ?? extent.from;
    const end = to ?? extent.to;
    Object.assign(result, { from: start, to: end });
    for (let t = start.getTime(); t < end.getTime(); t += MAX_REFRESH_WINDOW_HOURS * HOUR_MS) {
      const r = await refreshRollups(prisma, { orgId, from: new Date(t), to: new Date(Math.min(end.getTime(), t + MAX_REFRESH_WINDOW_HOURS * HOUR_MS)) });
      result.chunks += 1;
      result.gpuHourRows += r.gpuHourRows;
      result.gpuDailyRows += r.gpuDailyRows;
      result.staleDaysCleared += r.staleDaysCleared;
      onChunk?.(r);
    }
  }
  result.durationMs = Math.round(performance.now() - started);
  return result;
}
