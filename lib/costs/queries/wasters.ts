// The Overview's top wasters in a window: the GPUs with the highest idle cost (known utilization below
// the org's threshold, as in the idle report) and the training runs starved the most (mean utilization
// below 70 %, DOMAIN.md's sign of an input-pipeline bottleneck), ranked by unused capacity cost
// Σ rate × GPU-hours × (1 − utilization) over their known hours.
import "server-only";
import { Prisma, type PrismaClient } from "../../db/client";
import type { CostBasis } from "../../domain/reports";
import type { Wasters } from "../../domain/dashboard-data";
import { inReportTransaction, loadReportOrg, rateColumn, UTILIZATION_SQL } from "./common";

export const STARVED_BELOW = 0.7;

export async function topWasters(prisma: PrismaClient, { orgId, from, to, costBasis, limit = 5 }: { orgId: string; from: Date; to: Date; costBasis: CostBasis; limit?: number }): Promise<Wasters> {
  const org = await loadReportOrg(prisma, orgId);
  const rate = rateColumn(costBasis);
  const thr = Prisma.sql`${org.idleThreshold}::float8`;
  const [gpus, runs] = await inReportTransaction(prisma, async (tx) => [
    await tx.$queryRaw<Array<{ id: string; label: string; model: string; cluster: string; currency: string; idle_cost: string; idle_gpu_hours: number }>>`
      SELECT g.id, COALESCE(g.hostname || '/' || COALESCE(g.gpu_index::text, right(g.uuid, 6)), g.uuid) || COALESCE(' ' || g.mig_profile, '') AS label,
             g.model, COALESCE(c.name, 'unassigned') AS cluster, x.currency, trim_scale(x.idle_cost)::text AS idle_cost, x.idle_gh AS idle_gpu_hours
      FROM (
        SELECT h.gpu_id, h.currency, SUM(${rate} * h.gpu_hours) AS idle_cost, SUM(h.gpu_hours)::float8 AS idle_gh
        FROM gpu_hourly h
        WHERE h.org_id = ${orgId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz AND ${rate} IS NOT NULL AND ${UTILIZATION_SQL} < ${thr}
        GROUP BY 1, 2
        ORDER BY 3 DESC
        LIMIT ${limit}
      ) x
      JOIN gpus g ON g.id = x.gpu_id AND g.org_id = ${orgId}
      LEFT JOIN clusters c ON c.id = g.cluster_id AND c.org_id = ${orgId}
      ORDER BY x.idle_cost DESC, label`,
    await tx.$queryRaw<Array<{ id: string; name: string; namespace: string; currency: string; unused_cost: string; gpu_cost: string; mean_utilization: number }>>`
      SELECT w.id, w.name, w.namespace, x.currency, trim_scale(round(x.unused::numeric, 2))::text AS unused_cost, trim_scale(x.gpu_cost)::text AS gpu_cost, x.mean_utilization
      FROM (
        SELECT h.workload_id, h.currency,
               SUM(${rate} * h.gpu_hours) AS gpu_cost,
               SUM((${rate} * h.gpu_hours)::float8 * (1 - ${UTILIZATION_SQL})) AS unused,
               SUM(${UTILIZATION_SQL} * h.gpu_hours::float8) / NULLIF(SUM(h.gpu_hours::float8) FILTER (WHERE h.utilization IS NOT NULL), 0) AS mean_utilization
        FROM gpu_hourly h
        JOIN workloads wk ON wk.id = h.workload_id AND wk.org_id = ${orgId} AND wk.kind = 'TRAINING_RUN'
        WHERE h.org_id = ${orgId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz AND ${rate} IS NOT NULL
        GROUP BY 1, 2
      ) x
      JOIN workloads w ON w.id = x.workload_id AND w.org_id = ${orgId}
      WHERE x.mean_utilization < ${STARVED_BELOW}
      ORDER BY x.unused DESC, w.name
      LIMIT ${limit}`,
  ]);
  return {
    idleThreshold: org.idleThreshold,
    starvedBelow: STARVED_BELOW,
    idleGpus: gpus.map((g) => ({ id: g.id, label: g.label, model: g.model, cluster: g.cluster, currency: g.currency, idleCost: g.idle_cost, idleGpuHours: Math.round(g.idle_gpu_hours * 1e6) / 1e6 })),
    starvedRuns: runs.map((r) => ({ id: r.id, name: r.name, namespace: r.namespace, currency: r.currency, unusedCost: r.unused_cost, gpuCost: r.gpu_cost, meanUtilization: r.mean_utilization })),
  };
}
