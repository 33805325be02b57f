// The training-runs report: one row per training run (workloads of kind TRAINING_RUN) active in the
// window: GPU-hours it held, duration, mean utilization, idle share, GPU cost + CPU/RAM cost, cost per
// useful GPU-hour, GPU energy and (where the GPUs' cluster has a $/kWh) its cost.
//
// GPU figures come from gpu_hourly rows attributed to the run (so either cost basis works and every
// GPU-hour is counted once); CPU/RAM cost from workload_hourly (written by the allocation connector).
// A run whose GPU cost is in two currencies gives two rows (currencies are never added); its unpriced
// GPU-hours join its org-currency row (else its first currency's). Duration and first/last hour are
// the run's, whichever row.
import { Prisma, type PrismaClient } from "../../db/client";
import type { CostBasis, TrainingRunMetrics, TrainingRunRow, TrainingRunTotals } from "../../domain/reports";
import { combineCurrencyTotals, money, num, ratio, round6 } from "../report-totals";
import {
  filterConditions,
  HOURLY_SOURCES,
  inReportTransaction,
  loadReportOrg,
  moneySql,
  unitPriceSql,
  WORKLOAD_DIMENSION_SQL,
  type ReportInput,
  type ReportSources,
  type ReportOrg,
} from "./common";
import { currencyOrder } from "./gpu-hours";

type SqlRow = {
  t: number;
  wid: string | null;
  currency: string | null;
  gpu_hours: number;
  unpriced_gpu_hours: number;
  known_gpu_hours: number;
  useful_gpu_hours: number;
  idle_gpu_hours: number;
  energy_wh: number;
  first_hour: Date | null;
  last_hour: Date | null;
  gpu_cost: string | null;
  cpu_ram_cost: string | null;
  cost: string | null;
  cost_per_useful_gpu_hour: string | null;
  energy_cost: string | null;
};

const HOUR_MS = 3_600_000;

/**
 * The GPU and CPU/RAM sums of the workloads in `scope` (a CTE `scope(id)` defined by the caller), per
 * (workload, currency) with a group's unpriced GPU-hours merged into its primary currency, plus the
 * per-currency totals (t = 1). Shared by the training-runs and inference reports.
 */
export function workloadCostSql({
  org,
  from,
  to,
  costBasis,
  sources = HOURLY_SOURCES,
}: {
  org: ReportOrg;
  from: Date;
  to: Date;
  costBasis: CostBasis;
  sources?: ReportSources;
}): Prisma.Sql {
  const { orgId, currency: orgCurrency } = org;
  return Prisma.sql`
    facts AS (${sources.gpuFacts({ org, from, to, costBasis, scoped: true })}),
    gpu AS (
      SELECT f.workload_id AS wid, f.cur,
             SUM(f.gh) AS gh, SUM(f.known_gh) AS known_gh, SUM(f.useful) AS useful, SUM(f.idle_gh) AS idle_gh, SUM(f.wh) AS wh,
             MIN(f.first_hour) AS first_hour, MAX(f.last_hour) AS last_hour,
             SUM(f.cost) AS gpu_cost,
             SUM(f.cost) - COALESCE(SUM(f.gap_cost), 0) AS known_cost,
             SUM(f.wh::numeric / 1000 * COALESCE(gc.pue, 1) * gc.price_per_kwh)
               FILTER (WHERE gc.price_per_kwh IS NOT NULL AND f.wh IS NOT NULL AND gc.currency = f.cur) AS energy_cost
      FROM facts f
      JOIN scope s ON s.id = f.workload_id
      LEFT JOIN clusters gc ON gc.id = f.cluster_id AND gc.org_id = ${orgId}
      GROUP BY 1, 2
    ),
    cpu AS (
      SELECT wf.workload_id AS wid, wf.cur, SUM(wf.cpu_ram) AS cpu_ram
      FROM (${sources.workloadFacts({ org, from, to })}) wf
      WHERE wf.cpu_ram <> 0
      GROUP BY 1, 2
    ),
    s1 AS (
      SELECT COALESCE(gpu.wid, cpu.wid) AS wid, COALESCE(gpu.cur, cpu.cur) AS cur,
             gpu.gh, gpu.known_gh, gpu.useful, gpu.idle_gh, gpu.wh, gpu.first_hour, gpu.last_hour,
             gpu.gpu_cost, gpu.known_cost, gpu.energy_cost, cpu.cpu_ram
      FROM gpu FULL JOIN cpu ON cpu.wid = gpu.wid AND cpu.cur = gpu.cur
    ),
    s2 AS (
      SELECT s1.*,
             COALESCE(cur, FIRST_VALUE(cur) OVER (PARTITION BY wid ORDER BY cur IS NULL, cur = ${orgCurrency} DESC, cur)) AS fcur,
             MIN(first_hour) OVER (PARTITION BY wid) AS run_first_hour,
             MAX(last_hour) OVER (PARTITION BY wid) AS run_last_hour
      FROM s1
    ),
    per_workload AS (
      SELECT wid, fcur,
             SUM(gh) AS gh,
             SUM(gh) FILTER (WHERE cur IS NULL) AS unpriced_gh,
             SUM(known_gh) AS known_gh,
             SUM(useful) AS useful,
             SUM(useful) FILTER (WHERE cur IS NOT NULL) AS priced_useful,
             SUM(idle_gh) AS idle_gh,
             SUM(wh) AS wh,
             MIN(run_first_hour) AS first_hour,
             MAX(run_last_hour) AS last_hour,
             SUM(gpu_cost) AS gpu_cost,
             SUM(known_cost) AS known_cost,
             SUM(cpu_ram) AS cpu_ram,
             SUM(energy_cost) AS energy_cost
      FROM s2
      GROUP BY wid, fcur
    ),
    -- totals per currency: unpriced-only workloads join the org's currency (else the first one)
    tot AS (
      SELECT COALESCE(fcur, (SELECT fcur FROM per_workload WHERE fcur IS NOT NULL ORDER BY fcur = ${orgCurrency} DESC, fcur LIMIT 1)) AS fcur,
             SUM(gh) AS gh, SUM(unpriced_gh) AS unpriced_gh, SUM(known_gh) AS known_gh, SUM(useful) AS useful,
             SUM(priced_useful) AS priced_useful, SUM(idle_gh) AS idle_gh, SUM(wh) AS wh,
             NULL::timestamptz AS first_hour, NULL::timestamptz AS last_hour,
             SUM(gpu_cost) AS gpu_cost, SUM(known_cost) AS known_cost, SUM(cpu_ram) AS cpu_ram, SUM(energy_cost) AS energy_cost
      FROM per_workload
      GROUP BY 1
    ),
    out AS (
      SELECT 0 AS t, wid, fcur, gh, unpriced_gh, known_gh, useful, priced_useful, idle_gh, wh, first_hour, last_hour, gpu_cost, known_cost, cpu_ram, energy_cost FROM per_workload
      UNION ALL
      SELECT 1 AS t, NULL, fcur, gh, unpriced_gh, known_gh, useful, priced_useful, idle_gh, wh, first_hour, last_hour, gpu_cost, known_cost, cpu_ram, energy_cost FROM tot
    )`;
}

/** The SELECT list over `out` (see workloadCostSql). */
export const WORKLOAD_COST_COLUMNS = Prisma.sql`
  out.t, out.wid, out.fcur AS currency,
  COALESCE(out.gh, 0)::float8 AS gpu_hours,
  COALESCE(out.unpriced_gh, 0)::float8 AS unpriced_gpu_hours,
  COALESCE(out.known_gh, 0)::float8 AS known_gpu_hours,
  COALESCE(out.useful, 0)::float8 AS useful_gpu_hours,
  COALESCE(out.idle_gh, 0)::float8 AS idle_gpu_hours,
  COALESCE(out.wh, 0)::float8 AS energy_wh,
  out.first_hour, out.last_hour,
  CASE WHEN out.fcur IS NOT NULL THEN ${moneySql(Prisma.sql`COALESCE(out.gpu_cost, 0)`)} END AS gpu_cost,
  CASE WHEN out.fcur IS NOT NULL THEN ${moneySql(Prisma.sql`COALESCE(out.cpu_ram, 0)`)} END AS cpu_ram_cost,
  CASE WHEN out.fcur IS NOT NULL THEN ${moneySql(Prisma.sql`COALESCE(out.gpu_cost, 0) + COALESCE(out.cpu_ram, 0)`)} END AS cost,
  ${unitPriceSql(Prisma.sql`out.known_cost`, Prisma.sql`out.priced_useful`)} AS cost_per_useful_gpu_hour,
  ${moneySql(Prisma.sql`round(out.energy_cost, 8)`)} AS energy_cost`;

function metrics(r: SqlRow): TrainingRunMetrics {
  const gpuHours = round6(num(r.gpu_hours));
  const known = round6(num(r.known_gpu_hours));
  return {
    currency: r.currency,
    gpuHours,
    unpricedGpuHours: round6(num(r.unpriced_gpu_hours)),
    knownUtilizationGpuHours: known,
    gapGpuHours: round6(gpuHours - known),
    usefulGpuHours: round6(num(r.useful_gpu_hours)),
    meanUtilization: ratio(num(r.useful_gpu_hours), num(r.known_gpu_hours)),
    idleGpuHours: round6(num(r.idle_gpu_hours)),
    idleShare: ratio(num(r.idle_gpu_hours), num(r.known_gpu_hours)),
    gpuCost: money(r.gpu_cost),
    cpuRamCost: money(r.cpu_ram_cost),
    cost: money(r.cost),
    costPerUsefulGpuHour: money(r.cost_per_useful_gpu_hour),
    energyKwh: round6(num(r.energy_wh) / 1000),
    energyCost: money(r.energy_cost),
  };
}

export async function trainingRunsReport(
  prisma: PrismaClient,
  { orgId, from, to, costBasis = "effective", filters = {}, sources }: ReportInput,
): Promise<{ rows: TrainingRunRow[]; totals: TrainingRunTotals }> {
  const org = await loadReportOrg(prisma, orgId);
  const sql = Prisma.sql`
    WITH scope AS MATERIALIZED (
      SELECT w.id FROM workloads w
      LEFT JOIN clusters c ON c.id = w.cluster_id AND c.org_id = ${orgId}
      WHERE w.org_id = ${orgId} AND w.kind = 'TRAINING_RUN'
        ${filterConditions(filters, WORKLOAD_DIMENSION_SQL)}
    ),
    ${workloadCostSql({ org, from, to, costBasis, sources })}
    SELECT ${WORKLOAD_COST_COLUMNS},
           w.name AS run_id, w.namespace, ${WORKLOAD_DIMENSION_SQL.team!} AS team, ${WORKLOAD_DIMENSION_SQL.cluster!} AS cluster
    FROM out
    LEFT JOIN workloads w ON w.id = out.wid AND w.org_id = ${orgId}
    LEFT JOIN clusters c ON c.id = w.cluster_id AND c.org_id = ${orgId}`;
  const result = await inReportTransaction(prisma, (tx) =>
    tx.$queryRaw<Array<SqlRow & { run_id: string; namespace: string; team: string; cluster: string }>>(sql),
  );

  const rows: TrainingRunRow[] = result
    .filter((r) => num(r.t) === 0)
    .map((r) => ({
      runId: r.run_id,
      namespace: r.namespace,
      team: r.team,
      cluster: r.cluster,
      durationHours: r.first_hour && r.last_hour ? Math.round((r.last_hour.getTime() - r.first_hour.getTime()) / HOUR_MS) + 1 : 0,
      firstHour: r.first_hour?.toISOString() ?? null,
      lastHour: r.last_hour?.toISOString() ?? null,
      ...metrics(r),
    }))
    .sort((a, b) => (b.cost === null ? -Infinity : Number(b.cost)) - (a.cost === null ? -Infinity : Number(a.cost)) || a.runId.localeCompare(b.runId) || currencyOrder(a.currency, b.currency, org.currency));

  const perCurrency = result
    .filter((r) => num(r.t) === 1)
    .map(metrics)
    .sort((a, b) => currencyOrder(a.currency, b.currency, org.currency));
  const runs = new Set(rows.map((r) => `${r.namespace}/${r.runId}`)).size;
  const totals = combineCurrencyTotals(perCurrency, {
    quantities: ["gpuHours", "unpricedGpuHours", "knownUtilizationGpuHours", "gapGpuHours", "usefulGpuHours", "idleGpuHours", "energyKwh"],
    moneyKeys: ["gpuCost", "cpuRamCost", "cost", "costPerUsefulGpuHour", "energyCost"],
    empty: { ...metrics({} as SqlRow), currency: org.currency, gpuCost: "0", cpuRamCost: "0", cost: "0" },
    finish: (m) => ({
      ...m,
      meanUtilization: ratio(m.usefulGpuHours, m.knownUtilizationGpuHours),
      idleShare: ratio(m.idleGpuHours, m.knownUtilizationGpuHours),
    }),
  });
  return { rows, totals: { ...totals, runs } };
}
