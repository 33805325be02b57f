// GPU spend over time: Σ rate × GPU-hours per hour or UTC day, per value of one dimension (or one
// series), per currency, over the gpu-hours report's facts and dimension rules, so the series of a
// window adds up exactly to the gpu-hours report's cost grouped the same way.
//
// Read through the daily rollup (daily-rollup.ts planWindow, docs/metrics.md "Speed"): a day bucket's
// whole days from gpu_daily, the window's partial edge days from gpu_hourly_groups (hour buckets read
// every hour there), stale days from gpu_hourly itself. gpu_daily and gpu_hourly_groups carry the
// numeric Σ rate × GPU-hours per day / hour and key, so every point has the hourly path's digits
// (source: "hourly" reads gpu_hourly row by row, for comparison).
import { Prisma, type PrismaClient } from "../../db/client";
import type { CostBasis, ReportDimension, ReportFilters } from "../../domain/reports";
import type { SpendSeries } from "../../domain/dashboard-data";
import { planWindow } from "../daily-rollup";
import { filterConditions, gpuTeamCte, GPU_DIMENSION_SQL, inReportTransaction, loadReportOrg, rateColumn } from "./common";
import { loadStaleDays } from "./stale-days";

type Input = {
  orgId: string;
  from: Date;
  to: Date;
  costBasis: CostBasis;
  filters: ReportFilters;
  groupBy: ReportDimension | null;
  bucket: "hour" | "day";
  /** "rollup" (default): the daily rollup per planWindow; "hourly": gpu_hourly row by row. */
  source?: "rollup" | "hourly";
};

const DAY_MS = 86_400_000;

/** Facts rows (t, cluster_id, gpu_model, pid, workload_id, namespace, pricing_category, gpu_hours, cost, cur) of the window. */
function hourlyFacts(orgId: string, costBasis: CostBasis, w: { from: Date; to: Date }): Prisma.Sql {
  const rate = rateColumn(costBasis);
  return Prisma.sql`
    SELECT h.hour AS t, g.cluster_id, g.model AS gpu_model, g.provider_instance_id AS pid, h.workload_id, h.namespace, h.pricing_category,
           h.gpu_hours, ${rate} * h.gpu_hours AS cost, CASE WHEN ${rate} IS NOT NULL THEN h.currency END AS cur
    FROM gpu_hourly h JOIN gpus g ON g.id = h.gpu_id AND g.org_id = ${orgId}
    WHERE h.org_id = ${orgId} AND h.hour >= ${w.from}::timestamptz AND h.hour < ${w.to}::timestamptz`;
}

function rollupFacts(orgId: string, costBasis: CostBasis, { from, to }: { from: Date; to: Date }, bucket: "hour" | "day", stale: ReadonlySet<string>): Prisma.Sql {
  const plan = planWindow({ from, to }, stale);
  const b = costBasis === "billed" ? "billed_" : "";
  const cols = Prisma.raw(`d.cluster_id, d.gpu_model, d.provider_instance_id AS pid, d.workload_id, d.namespace, d.pricing_category,
           d.gpu_hours, d.${b}cost AS cost, d.${b}currency AS cur`);
  const groups = [...plan.groups];
  const parts: Prisma.Sql[] = plan.raw.map((w) => hourlyFacts(orgId, costBasis, w));
  if (plan.daily && bucket === "hour") {
    // hour buckets: the whole days' hours from gpu_hourly_groups too
    const skip = new Set(plan.daily.skip);
    for (let t = Date.parse(`${plan.daily.dayFrom}T00:00:00Z`); t < Date.parse(`${plan.daily.dayTo}T00:00:00Z`); t += DAY_MS) {
      if (!skip.has(new Date(t).toISOString().slice(0, 10))) groups.push({ from: new Date(t), to: new Date(t + DAY_MS) });
    }
  } else if (plan.daily) {
    const d = plan.daily;
    parts.push(Prisma.sql`
      SELECT (d.day::timestamp AT TIME ZONE 'UTC') AS t, ${cols}
      FROM gpu_daily d
      WHERE d.org_id = ${orgId} AND d.day >= ${d.dayFrom}::date AND d.day < ${d.dayTo}::date
        ${d.skip.length ? Prisma.sql`AND d.day <> ALL(${d.skip}::date[])` : Prisma.empty}`);
  }
  for (const w of groups) {
    parts.push(Prisma.sql`
      SELECT d.hour AS t, ${cols}
      FROM gpu_hourly_groups d
      WHERE d.org_id = ${orgId} AND d.hour >= ${w.from}::timestamptz AND d.hour < ${w.to}::timestamptz`);
  }
  return parts.length ? Prisma.join(parts, " UNION ALL ") : hourlyFacts(orgId, costBasis, { from, to });
}

export async function spendSeries(prisma: PrismaClient, { orgId, from, to, costBasis, filters, groupBy, bucket, source = "rollup" }: Input): Promise<SpendSeries> {
  const org = await loadReportOrg(prisma, orgId);
  const needTeam = groupBy === "team" || Boolean(filters.team?.length);
  const needWorkload = needTeam || groupBy === "namespace" || Boolean(filters.namespace?.length);
  const needCluster = groupBy === "cluster" || Boolean(filters.cluster?.length);
  const key = groupBy ? GPU_DIMENSION_SQL[groupBy] : Prisma.sql`'all'::text`;
  const trunc = bucket === "hour" ? Prisma.sql`f.t` : Prisma.sql`date_trunc('day', f.t AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
  const facts = source === "hourly" ? hourlyFacts(orgId, costBasis, { from, to }) : rollupFacts(orgId, costBasis, { from, to }, bucket, await loadStaleDays(prisma, { orgId, from, to }));
  const rows = await inReportTransaction(prisma, (tx) =>
    tx.$queryRaw<Array<{ t: Date; key: string; currency: string | null; cost: string | null; gpu_hours: number }>>`
      WITH ${needTeam ? Prisma.sql`${gpuTeamCte(org, { from, to })},` : Prisma.empty}
      f AS (${facts})
      SELECT ${trunc} AS t, ${key} AS key, f.cur AS currency, trim_scale(SUM(f.cost))::text AS cost, SUM(f.gpu_hours)::float8 AS gpu_hours
      FROM f
      ${needCluster ? Prisma.sql`LEFT JOIN clusters c ON c.id = f.cluster_id AND c.org_id = ${orgId}` : Prisma.empty}
      ${needWorkload ? Prisma.sql`LEFT JOIN workloads w ON w.id = f.workload_id AND w.org_id = ${orgId}` : Prisma.empty}
      ${needTeam ? Prisma.sql`LEFT JOIN gpu_team gt ON gt.pid = f.pid` : Prisma.empty}
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
