// The Overview's top wasters in a window: the GPUs with the highest idle cost (known utilization below
// the org's threshold, as in the idle report) and the training runs starved the most (mean utilization
// below 70 %, DOMAIN.md's sign of an input-pipeline bottleneck), ranked by unused capacity cost
// Σ rate × GPU-hours × (1 − utilization) over their known hours.
import { Prisma, type PrismaClient } from "../../db/client";
import type { CostBasis } from "../../domain/reports";
import type { Wasters } from "../../domain/dashboard-data";
import { inReportTransaction, loadReportOrg, rateColumn, UTILIZATION_SQL } from "./common";

export const STARVED_BELOW = 0.7;

export async function topWasters(prisma: PrismaClient, { orgId, from, to, costBasis, limit = 5 }: { orgId: string; from: Date; to: Date; costBasis: CostBasis; limit?: number }): Promise<Wasters> {
  const org = await loadReportOrg(prisma, orgId);
  const rate = rateColumn(costBasis);
  const thr = Prisma.sql`${org.idleThreshold}::float8`;
  // One pass over the window's priced GPU-hours, aggregated two ways (per GPU, per workload), ranked in
  // double precision (numeric sums over every row cost more than the rest of the pass); the exact
  // money of the top 5 of each list is then summed in numeric through the (gpu_id, hour) and
  // (workload_id, hour) indexes.
  const agg = await inReportTransaction(prisma, (tx) =>
    tx.$queryRaw<Array<{ gpu_id: string | null; workload_id: string | null; currency: string; idle_cost: number | null; idle_gh: number | null; unused: number | null; mean_utilization: number | null }>>`
      WITH f AS (
        SELECT h.gpu_id, h.workload_id, h.currency, ${rate}::float8 * h.gpu_hours::float8 AS cost, ${UTILIZATION_SQL} AS u, h.gpu_hours::float8 AS gh
        FROM gpu_hourly h
        WHERE h.org_id = ${orgId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz AND ${rate} IS NOT NULL
      )
      SELECT gpu_id, workload_id, currency,
             SUM(cost) FILTER (WHERE u < ${thr}) AS idle_cost,
             SUM(gh) FILTER (WHERE u < ${thr}) AS idle_gh,
             SUM(cost * (1 - u)) AS unused,
             SUM(u * gh) / NULLIF(SUM(gh) FILTER (WHERE u IS NOT NULL), 0) AS mean_utilization
      FROM f
      GROUP BY GROUPING SETS ((gpu_id, currency), (workload_id, currency))`,
  );
  const topGpus = agg
    .filter((r) => r.gpu_id !== null && r.idle_cost !== null && r.idle_cost > 0)
    .sort((a, b) => b.idle_cost! - a.idle_cost!)
    .slice(0, limit);
  const runCandidates = agg.filter((r) => r.workload_id !== null && r.gpu_id === null && r.mean_utilization !== null && r.mean_utilization < STARVED_BELOW);
  const [gpuRows, runRows] = await Promise.all([
    prisma.gpu.findMany({ where: { orgId, id: { in: topGpus.map((g) => g.gpu_id!) } }, include: { cluster: { select: { name: true } } } }),
    prisma.workload.findMany({ where: { orgId, kind: "TRAINING_RUN", id: { in: runCandidates.map((r) => r.workload_id!) } }, select: { id: true, name: true, namespace: true } }),
  ]);
  const runById0 = new Set(runRows.map((w) => w.id));
  const topRuns = runCandidates
    .filter((r) => runById0.has(r.workload_id!))
    .sort((a, b) => (b.unused ?? 0) - (a.unused ?? 0))
    .slice(0, limit);
  const gpuIds = topGpus.map((g) => g.gpu_id!);
  const runIds = topRuns.map((r) => r.workload_id!);
  const exact = await inReportTransaction(prisma, async (tx) => [
    await tx.$queryRaw<Array<{ id: string; currency: string; v: string }>>`
      SELECT h.gpu_id AS id, h.currency, trim_scale(SUM(${rate} * h.gpu_hours))::text AS v FROM gpu_hourly h
      WHERE h.org_id = ${orgId} AND h.gpu_id = ANY(${gpuIds}::text[]) AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz
        AND ${rate} IS NOT NULL AND ${UTILIZATION_SQL} < ${thr}
      GROUP BY 1, 2`,
    await tx.$queryRaw<Array<{ id: string; currency: string; v: string }>>`
      SELECT h.workload_id AS id, h.currency, trim_scale(SUM(${rate} * h.gpu_hours))::text AS v FROM gpu_hourly h
      WHERE h.org_id = ${orgId} AND h.workload_id = ANY(${runIds}::text[]) AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz
        AND ${rate} IS NOT NULL
      GROUP BY 1, 2`,
  ]);
  const exactIdle = new Map(exact[0]!.map((r) => [`${r.id}|${r.currency}`, r.v]));
  const exactCost = new Map(exact[1]!.map((r) => [`${r.id}|${r.currency}`, r.v]));
  const gpuById = new Map(gpuRows.map((g) => [g.id, g]));
  const runById = new Map(runRows.map((w) => [w.id, w]));
  const gpus = topGpus.map((x) => {
    const g = gpuById.get(x.gpu_id!)!;
    return {
      id: g.id,
      label: `${g.hostname ? `${g.hostname}/${g.gpuIndex ?? g.uuid.slice(-6)}` : g.uuid}${g.migProfile ? ` ${g.migProfile}` : ""}`,
      model: g.model,
      cluster: g.cluster?.name ?? "unassigned",
      currency: x.currency,
      idle_cost: exactIdle.get(`${x.gpu_id}|${x.currency}`) ?? "0",
      idle_gpu_hours: x.idle_gh ?? 0,
    };
  });
  const runs = topRuns.map((r) => ({ ...runById.get(r.workload_id!)!, currency: r.currency, unused_cost: (r.unused ?? 0).toFixed(2), gpu_cost: exactCost.get(`${r.workload_id}|${r.currency}`) ?? "0", mean_utilization: r.mean_utilization! }));
  return {
    idleThreshold: org.idleThreshold,
    starvedBelow: STARVED_BELOW,
    idleGpus: gpus.map((g) => ({ id: g.id, label: g.label, model: g.model, cluster: g.cluster, currency: g.currency, idleCost: g.idle_cost, idleGpuHours: Math.round(g.idle_gpu_hours * 1e6) / 1e6 })),
    starvedRuns: runs.map((r) => ({ id: r.id, name: r.name, namespace: r.namespace, currency: r.currency, unusedCost: r.unused_cost, gpuCost: r.gpu_cost, meanUtilization: r.mean_utilization })),
  };
}
