// The Overview's top wasters in a window: the GPUs with the highest idle cost (known utilization below
// the org's threshold, as in the idle report) and the training runs starved the most (mean utilization
// below 70 %, DOMAIN.md's sign of an input-pipeline bottleneck), ranked by unused capacity cost
// Σ rate × GPU-hours × (1 − utilization) over their known hours.
//
// Starved runs read the gpu-hours report's facts per workload (queries/common.ts ReportSources), by
// default through the daily rollup (daily-rollup.ts: whole days from gpu_daily, edge hours from
// gpu_hourly_groups, stale days from gpu_hourly): numeric sums, so the figures are the hourly path's
// to the last digit. Idle GPUs need per-GPU sums, which the rollup does not keep: one pass over the
// window's idle priced rows of gpu_hourly, grouped per GPU and summed in double precision (ranking
// only, no numeric arithmetic per row), then the exact numeric figures of the top 5 through the
// (gpu_id, hour) primary key.
import { Prisma, type PrismaClient } from "../../db/client";
import type { CostBasis } from "../../domain/reports";
import type { Wasters } from "../../domain/dashboard-data";
import { loadDailySources } from "../daily-rollup";
import { compareMoneyDesc } from "../report-totals";
import { HOURLY_SOURCES, inReportTransaction, loadReportOrg, rateColumn, UTILIZATION_SQL, type ReportSources } from "./common";

export const STARVED_BELOW = 0.7;

type Input = { orgId: string; from: Date; to: Date; costBasis: CostBasis; limit?: number; /** default "rollup" */ source?: "rollup" | "hourly" };

export async function topWasters(prisma: PrismaClient, { orgId, from, to, costBasis, limit = 5, source = "rollup" }: Input): Promise<Wasters> {
  const [org, sources] = await Promise.all([
    loadReportOrg(prisma, orgId),
    source === "hourly" ? Promise.resolve<ReportSources>(HOURLY_SOURCES) : loadDailySources(prisma, { orgId, from, to }),
  ]);
  const rate = rateColumn(costBasis);
  const thr = Prisma.sql`${org.idleThreshold}::float8`;
  const [gpus, runs] = await Promise.all([
    inReportTransaction(prisma, async (tx) => {
      const top = await tx.$queryRaw<Array<{ gpu_id: string; currency: string }>>`
        SELECT h.gpu_id, h.currency
        FROM gpu_hourly h
        WHERE h.org_id = ${orgId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz
          AND ${rate} IS NOT NULL AND ${UTILIZATION_SQL} < ${thr}
        GROUP BY 1, 2
        HAVING SUM(${rate}::float8 * h.gpu_hours::float8) > 0
        ORDER BY SUM(${rate}::float8 * h.gpu_hours::float8) DESC, 1, 2
        LIMIT ${limit}`;
      if (!top.length) return [];
      return tx.$queryRaw<Array<{ id: string; currency: string; idle_cost: string; idle_gh: number }>>`
        SELECT h.gpu_id AS id, h.currency, trim_scale(SUM(${rate} * h.gpu_hours))::text AS idle_cost, SUM(h.gpu_hours)::float8 AS idle_gh
        FROM gpu_hourly h
        WHERE h.org_id = ${orgId} AND h.gpu_id = ANY(${top.map((t) => t.gpu_id)}::text[]) AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz
          AND ${rate} IS NOT NULL AND ${UTILIZATION_SQL} < ${thr}
          AND (h.gpu_id, h.currency) IN (${Prisma.join(top.map((t) => Prisma.sql`(${t.gpu_id}, ${t.currency})`))})
        GROUP BY 1, 2`;
    }),
    // mean utilization and unused capacity over the run's priced GPU-hours (cur: priced in the basis)
    inReportTransaction(prisma, (tx) =>
      tx.$queryRaw<Array<{ id: string; name: string; namespace: string; currency: string; gpu_cost: string; unused_cost: string; mean_utilization: number }>>`
        SELECT w.id, w.name, w.namespace, s.cur AS currency, trim_scale(s.cost)::text AS gpu_cost,
               round(s.unused, 2)::text AS unused_cost, (s.useful / s.known_gh)::float8 AS mean_utilization
        FROM (
          SELECT f.workload_id, f.cur, SUM(f.cost) AS cost, SUM(f.useful) AS useful, SUM(f.known_gh) AS known_gh,
                 COALESCE(SUM(f.cost), 0) - COALESCE(SUM(f.gap_cost), 0) - COALESCE(SUM(f.useful_cost), 0) AS unused
          FROM (${sources.gpuFacts({ org, from, to, costBasis, scoped: false })}) f
          WHERE f.cur IS NOT NULL AND f.workload_id IS NOT NULL
          GROUP BY 1, 2
          HAVING SUM(f.known_gh) > 0 AND SUM(f.useful) / SUM(f.known_gh) < ${STARVED_BELOW}
        ) s
        JOIN workloads w ON w.id = s.workload_id AND w.org_id = ${orgId} AND w.kind = 'TRAINING_RUN'
        ORDER BY s.unused DESC, w.id, s.cur
        LIMIT ${limit}`,
    ),
  ]);
  const gpuIds = [...new Set(gpus.map((g) => g.id))];
  const gpuRows = await prisma.gpu.findMany({ where: { orgId, id: { in: gpuIds } }, include: { cluster: { select: { name: true } } } });
  const gpuById = new Map(gpuRows.map((g) => [g.id, g]));
  const idleGpus = gpus
    .map((x) => {
      const g = gpuById.get(x.id)!;
      return {
        id: g.id,
        label: `${g.hostname ? `${g.hostname}/${g.gpuIndex ?? g.uuid.slice(-6)}` : g.uuid}${g.migProfile ? ` ${g.migProfile}` : ""}`,
        model: g.model,
        cluster: g.cluster?.name ?? "unassigned",
        currency: x.currency,
        idleCost: x.idle_cost,
        idleGpuHours: Math.round(x.idle_gh * 1e6) / 1e6,
      };
    })
    // exact order of the top list (the float ranking only picked it)
    .sort((a, b) => compareMoneyDesc(a.idleCost, b.idleCost) || a.id.localeCompare(b.id) || a.currency.localeCompare(b.currency));
  return {
    idleThreshold: org.idleThreshold,
    starvedBelow: STARVED_BELOW,
    idleGpus,
    starvedRuns: runs.map((r) => ({ id: r.id, name: r.name, namespace: r.namespace, currency: r.currency, unusedCost: r.unused_cost, gpuCost: r.gpu_cost, meanUtilization: r.mean_utilization })),
  };
}
