// The training-runs report: one row per training run (workloads of kind TRAINING_RUN) active in the
// window: GPU-hours it held, duration, mean utilization, idle share, GPU cost + CPU/RAM cost, cost per
// useful GPU-hour, GPU energy and (where the GPUs' cluster has a $/kWh) its cost.
//
// GPU figures come from gpu_hourly rows attributed to the run (so either cost basis works and every
// GPU-hour is counted once); CPU/RAM cost from workload_hourly (written by the allocation connector).
// A run whose GPU cost is in two currencies gives two rows (currencies are never added); its unpriced
// GPU-hours join its org-currency row (else its first currency's). Duration and first/last hour are
// the run's, whichever row. Training runs are many (15,000 a year on a 1,024-GPU fleet): the SQL
// returns one part per (run, currency) and the folding of unpriced parts happens in JS.
import { Prisma, type PrismaClient } from "../../db/client";
import type { TrainingRunMetrics, TrainingRunRow, TrainingRunTotals } from "../../domain/reports";
import { combineCurrencyTotals, compareText, mergeUnpriced, money, num, ratio, round6 } from "../report-totals";
import {
  filterConditions,
  HOURLY_SOURCES,
  inReportTransaction,
  loadReportOrg,
  moneySql,
  unitPriceSql,
  workloadGpuCpuCtes,
  WORKLOAD_DIMENSION_SQL,
  type ReportInput,
} from "./common";
import { currencyOrder } from "./gpu-hours";

/** One (run, currency) part (t = 0) or one currency's totals (t = 1), as the SQL returns it. */
type SqlRow = {
  t: number;
  wid: string | null;
  currency: string | null;
  gpu_hours: number;
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
  run_id: string | null;
  namespace: string | null;
  team: string | null;
  cluster: string | null;
};

const HOUR_MS = 3_600_000;

/** The columns of a part or a total: `agg` is the identity for a part, SUM for a total. */
function partColumns(agg: (x: Prisma.Sql) => Prisma.Sql, hour: (fn: "MIN" | "MAX", x: Prisma.Sql) => Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    COALESCE(${agg(Prisma.sql`pw.gh`)}, 0)::float8 AS gpu_hours,
    COALESCE(${agg(Prisma.sql`pw.known_gh`)}, 0)::float8 AS known_gpu_hours,
    COALESCE(${agg(Prisma.sql`pw.useful`)}, 0)::float8 AS useful_gpu_hours,
    COALESCE(${agg(Prisma.sql`pw.idle_gh`)}, 0)::float8 AS idle_gpu_hours,
    COALESCE(${agg(Prisma.sql`pw.wh`)}, 0)::float8 AS energy_wh,
    ${hour("MIN", Prisma.sql`pw.first_hour`)} AS first_hour,
    ${hour("MAX", Prisma.sql`pw.last_hour`)} AS last_hour,
    CASE WHEN pw.cur IS NOT NULL THEN ${moneySql(Prisma.sql`COALESCE(${agg(Prisma.sql`pw.gpu_cost`)}, 0)`)} END AS gpu_cost,
    CASE WHEN pw.cur IS NOT NULL THEN ${moneySql(Prisma.sql`COALESCE(${agg(Prisma.sql`pw.cpu_ram`)}, 0)`)} END AS cpu_ram_cost,
    CASE WHEN pw.cur IS NOT NULL THEN ${moneySql(Prisma.sql`COALESCE(${agg(Prisma.sql`pw.gpu_cost`)}, 0) + COALESCE(${agg(Prisma.sql`pw.cpu_ram`)}, 0)`)} END AS cost,
    ${unitPriceSql(agg(Prisma.sql`pw.known_cost`), agg(Prisma.sql`pw.useful`))} AS cost_per_useful_gpu_hour,
    ${moneySql(Prisma.sql`round(${agg(Prisma.sql`pw.energy_cost`)}, 8)`)} AS energy_cost`;
}

function metrics(r: SqlRow): TrainingRunMetrics {
  const gpuHours = num(r.gpu_hours);
  const known = num(r.known_gpu_hours);
  return finish({
    currency: r.currency,
    gpuHours,
    unpricedGpuHours: r.currency === null ? gpuHours : 0,
    knownUtilizationGpuHours: known,
    gapGpuHours: 0,
    usefulGpuHours: num(r.useful_gpu_hours),
    meanUtilization: null,
    idleGpuHours: num(r.idle_gpu_hours),
    idleShare: null,
    gpuCost: money(r.gpu_cost),
    cpuRamCost: money(r.cpu_ram_cost),
    cost: money(r.cost),
    costPerUsefulGpuHour: money(r.cost_per_useful_gpu_hour),
    energyKwh: num(r.energy_wh) / 1000,
    energyCost: money(r.energy_cost),
  });
}

/** Rounds the quantities and derives gaps, mean utilization and idle share from them. */
function finish<M extends TrainingRunMetrics>(m: M): M {
  return {
    ...m,
    gpuHours: round6(m.gpuHours),
    unpricedGpuHours: round6(m.unpricedGpuHours),
    knownUtilizationGpuHours: round6(m.knownUtilizationGpuHours),
    gapGpuHours: round6(m.gpuHours - m.knownUtilizationGpuHours),
    usefulGpuHours: round6(m.usefulGpuHours),
    idleGpuHours: round6(m.idleGpuHours),
    energyKwh: round6(m.energyKwh),
    meanUtilization: ratio(m.usefulGpuHours, m.knownUtilizationGpuHours),
    idleShare: ratio(m.idleGpuHours, m.knownUtilizationGpuHours),
  };
}

/** Adds an unpriced part's quantities to a priced part (money stays the priced part's). */
function addQuantities<M extends TrainingRunMetrics>(priced: M, unpriced: M): M {
  return finish({
    ...priced,
    gpuHours: priced.gpuHours + unpriced.gpuHours,
    unpricedGpuHours: priced.unpricedGpuHours + unpriced.unpricedGpuHours,
    knownUtilizationGpuHours: priced.knownUtilizationGpuHours + unpriced.knownUtilizationGpuHours,
    usefulGpuHours: priced.usefulGpuHours + unpriced.usefulGpuHours,
    idleGpuHours: priced.idleGpuHours + unpriced.idleGpuHours,
    energyKwh: priced.energyKwh + unpriced.energyKwh,
  });
}

export async function trainingRunsReport(
  prisma: PrismaClient,
  { orgId, from, to, costBasis = "effective", filters = {}, sources = HOURLY_SOURCES }: ReportInput,
): Promise<{ rows: TrainingRunRow[]; totals: TrainingRunTotals }> {
  const org = await loadReportOrg(prisma, orgId);
  // Per (run, priced currency) in SQL, money exact; folding a run's unpriced GPU-hours into its priced
  // row (quantities only) is done below in JS, which keeps 15,000 runs a year out of window sorts.
  const sql = Prisma.sql`
    WITH scope AS MATERIALIZED (
      SELECT w.id, w.name AS run_id, w.namespace, ${WORKLOAD_DIMENSION_SQL.team!} AS team, ${WORKLOAD_DIMENSION_SQL.cluster!} AS cluster
      FROM workloads w
      LEFT JOIN clusters c ON c.id = w.cluster_id AND c.org_id = ${orgId}
      WHERE w.org_id = ${orgId} AND w.kind = 'TRAINING_RUN'
        ${filterConditions(filters, WORKLOAD_DIMENSION_SQL)}
    ),
    ${workloadGpuCpuCtes({ org, from, to, costBasis, sources })},
    pw AS (
      SELECT COALESCE(gpu.wid, cpu.wid) AS wid, COALESCE(gpu.cur, cpu.cur) AS cur,
             gpu.gh, gpu.known_gh, gpu.useful, gpu.idle_gh, gpu.wh, gpu.first_hour, gpu.last_hour,
             gpu.gpu_cost, gpu.known_cost, gpu.energy_cost, cpu.cpu_ram
      FROM gpu FULL JOIN cpu ON cpu.wid = gpu.wid AND cpu.cur = gpu.cur
    )
    SELECT 0 AS t, pw.wid, pw.cur AS currency, ${partColumns((x) => x, (_, x) => x)},
           s.run_id, s.namespace, s.team, s.cluster
    FROM pw
    JOIN scope s ON s.id = pw.wid
    UNION ALL
    SELECT 1, NULL, pw.cur, ${partColumns((x) => Prisma.sql`SUM(${x})`, (fn, x) => Prisma.sql`${Prisma.raw(fn)}(${x})`)},
           NULL, NULL, NULL, NULL
    FROM pw
    GROUP BY pw.cur`;
  const result = await inReportTransaction(prisma, (tx) => tx.$queryRaw<SqlRow[]>(sql));

  // Runs: each run's parts (one per currency) → rows, the unpriced part folded into the primary one.
  // Written as one pass with plain loops: at 15,000 runs, object spreads and string sorts showed.
  const byRun = new Map<string, SqlRow[]>();
  for (const r of result) {
    if (num(r.t) !== 0 || !r.wid) continue;
    const list = byRun.get(r.wid);
    if (list) list.push(r);
    else byRun.set(r.wid, [r]);
  }
  const keyed: Array<{ cost: number; runId: string; row: TrainingRunRow }> = [];
  for (const list of byRun.values()) {
    let first: number | null = null;
    let last: number | null = null;
    for (const r of list) {
      const f = r.first_hour?.getTime() ?? null;
      const l = r.last_hour?.getTime() ?? null;
      if (f !== null && (first === null || f < first)) first = f;
      if (l !== null && (last === null || l > last)) last = l;
    }
    const unpriced = list.find((r) => r.currency === null);
    const priced = list.filter((r) => r.currency !== null);
    const primary = priced.length ? priced.reduce((a, b) => (currencyOrder(b.currency, a.currency, org.currency) < 0 ? b : a)) : null;
    for (const r of priced.length ? priced : list) {
      let m = metrics(r);
      if (unpriced && r === primary) m = addQuantities(m, metrics(unpriced));
      const row: TrainingRunRow = {
        runId: r.run_id ?? "",
        namespace: r.namespace ?? "",
        team: r.team ?? "",
        cluster: r.cluster ?? "",
        durationHours: first !== null && last !== null ? Math.round((last - first) / HOUR_MS) + 1 : 0,
        firstHour: first !== null ? new Date(first).toISOString() : null,
        lastHour: last !== null ? new Date(last).toISOString() : null,
        ...m,
      };
      keyed.push({ cost: row.cost === null ? -Infinity : Number(row.cost), runId: row.runId, row });
    }
  }
  keyed.sort((a, b) => b.cost - a.cost || compareText(a.runId, b.runId) || currencyOrder(a.row.currency, b.row.currency, org.currency));
  const rows = keyed.map((k) => k.row);

  const perCurrency = mergeUnpriced(
    result.filter((r) => num(r.t) === 1).map(metrics),
    { key: () => "", orgCurrency: org.currency, add: addQuantities },
  ).sort((a, b) => currencyOrder(a.currency, b.currency, org.currency));
  const runs = byRun.size;
  const totals = combineCurrencyTotals(perCurrency, {
    quantities: ["gpuHours", "unpricedGpuHours", "knownUtilizationGpuHours", "gapGpuHours", "usefulGpuHours", "idleGpuHours", "energyKwh"],
    moneyKeys: ["gpuCost", "cpuRamCost", "cost", "costPerUsefulGpuHour", "energyCost"],
    empty: { ...metrics({} as SqlRow), currency: org.currency, gpuCost: "0", cpuRamCost: "0", cost: "0" },
    finish,
  });
  return { rows, totals: { ...totals, runs } };
}
