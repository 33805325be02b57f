// GPU spend over time: Σ rate × GPU-hours per hour or UTC day, per value of one dimension (or one
// series), per currency, over the gpu-hours report's facts and dimension rules, so the series of a
// window adds up exactly to the gpu-hours report's cost grouped the same way.
import { Prisma, type PrismaClient } from "../../db/client";
import type { CostBasis, ReportDimension, ReportFilters } from "../../domain/reports";
import type { SpendSeries } from "../../domain/dashboard-data";
import { filterConditions, gpuTeamCte, GPU_DIMENSION_SQL, inReportTransaction, loadReportOrg, rateColumn } from "./common";

type Input = { orgId: string; from: Date; to: Date; costBasis: CostBasis; filters: ReportFilters; groupBy: ReportDimension | null; bucket: "hour" | "day" };

export async function spendSeries(prisma: PrismaClient, { orgId, from, to, costBasis, filters, groupBy, bucket }: Input): Promise<SpendSeries> {
  const org = await loadReportOrg(prisma, orgId);
  const rate = rateColumn(costBasis);
  const needTeam = groupBy === "team" || Boolean(filters.team?.length);
  const key = groupBy ? GPU_DIMENSION_SQL[groupBy] : Prisma.sql`'all'::text`;
  const trunc = bucket === "hour" ? Prisma.sql`f.hour` : Prisma.sql`date_trunc('day', f.hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
  const rows = await inReportTransaction(prisma, (tx) =>
    tx.$queryRaw<Array<{ t: Date; key: string; currency: string | null; cost: string | null; gpu_hours: number }>>`
      WITH ${needTeam ? Prisma.sql`${gpuTeamCte(org, { from, to })},` : Prisma.empty}
      f AS (
        SELECT h.hour, g.cluster_id, g.model AS gpu_model, g.provider_instance_id AS pid, h.workload_id, h.namespace, h.pricing_category,
               h.gpu_hours, ${rate} * h.gpu_hours AS cost, CASE WHEN ${rate} IS NOT NULL THEN h.currency END AS cur
        FROM gpu_hourly h JOIN gpus g ON g.id = h.gpu_id AND g.org_id = ${orgId}
        WHERE h.org_id = ${orgId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz
      )
      SELECT ${trunc} AS t, ${key} AS key, f.cur AS currency, trim_scale(SUM(f.cost))::text AS cost, SUM(f.gpu_hours)::float8 AS gpu_hours
      FROM f
      LEFT JOIN clusters c ON c.id = f.cluster_id AND c.org_id = ${orgId}
      LEFT JOIN workloads w ON w.id = f.workload_id AND w.org_id = ${orgId}
      ${needTeam ? Prisma.sql`LEFT JOIN gpu_team gt ON gt.pid = f.pid` : Prisma.sql`LEFT JOIN (SELECT NULL::text AS pid, NULL::text AS team) gt ON false`}
      WHERE true ${filterConditions(filters, GPU_DIMENSION_SQL)}
      GROUP BY 1, 2, 3`,
  );
  return {
    window: { from: from.toISOString(), to: to.toISOString() },
    bucket,
    groupBy,
    costBasis,
    orgCurrency: org.currency,
    points: rows
      .map((r) => ({ t: r.t.toISOString(), key: r.key, currency: r.currency, cost: r.cost, gpuHours: Math.round(r.gpu_hours * 1e6) / 1e6 }))
      .sort((a, b) => a.t.localeCompare(b.t) || a.key.localeCompare(b.key) || String(a.currency).localeCompare(String(b.currency))),
  };
}
