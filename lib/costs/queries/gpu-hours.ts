// The gpu-hours report: provisioned GPU-hours, their cost, utilization, idle and unused capacity, over
// a window, grouped by any of cluster, GPU model, pricing category, team, namespace.
//
// One pass over the GPU facts of the window (gpu_hourly by its (org_id, hour) index, see GpuFactsSource):
//   1. s0: partial sums per (group, priced currency), the currency null where a GPU-hour has no rate in
//      the chosen basis; the group's dimension values read through clusters, workloads, bill team tags;
//   2. s1: those rows plus per-currency totals (t = 1) summed from them;
//   3. s2/final: a group's unpriced GPU-hours join the group's priced row (the org's currency if the
//      group has it, else the first currency alphabetically), so a single-currency org gets exactly one
//      row per group. Money sums only over priced GPU-hours; GPU-hour sums over all.
// Definitions (DOMAIN.md, docs/metrics.md): idle = known utilization < org threshold; unused capacity
// = rate × GPU-hours × (1 − utilization) over known hours; gaps (unknown utilization) are neither.
import { Prisma, type PrismaClient } from "../../db/client";
import type { GpuHoursMetrics, GpuHoursRow, GpuHoursTotals, ReportDimension } from "../../domain/reports";
import { combineCurrencyTotals, compareMoneyDesc, compareText, money, num, ratio, round6 } from "../report-totals";
import {
  filterConditions,
  gpuTeamCte,
  GPU_DIMENSION_SQL,
  HOURLY_SOURCES,
  inReportTransaction,
  loadReportOrg,
  moneySql,
  unitPriceSql,
  type ReportInput,
  type ReportOrg,
} from "./common";

export type GpuHoursInput = ReportInput & { groupBy?: ReportDimension[] };

/** What the SQL returns per (group, currency) and per currency (t = 1). */
type AggregateSqlRow = {
  t: number;
  currency: string | null;
  gpu_hours: number;
  unpriced_gpu_hours: number;
  known_gpu_hours: number;
  useful_gpu_hours: number;
  idle_gpu_hours: number;
  idle_unpriced_gpu_hours: number;
  unattributed_gpu_hours: number;
  energy_wh: number;
  cost: string | null;
  cost_per_gpu_hour: string | null;
  cost_per_useful_gpu_hour: string | null;
  idle_cost: string | null;
  unused_cost: string | null;
  gap_cost: string | null;
  unattributed_cost: string | null;
} & Record<`d_${ReportDimension}`, string | undefined>;

/** GpuHoursMetrics plus what the idle report needs. */
export type GpuHourAggregate = GpuHoursMetrics & { idleUnpricedGpuHours: number };

export const GPU_HOURS_MONEY_KEYS = [
  "cost",
  "costPerGpuHour",
  "costPerUsefulGpuHour",
  "idleCost",
  "unusedCapacityCost",
  "gapCost",
  "unattributedCost",
] as const satisfies readonly (keyof GpuHoursMetrics)[];

const QUANTITY_KEYS = [
  "gpuHours",
  "unpricedGpuHours",
  "knownUtilizationGpuHours",
  "gapGpuHours",
  "usefulGpuHours",
  "idleGpuHours",
  "unattributedGpuHours",
  "energyKwh",
  "idleUnpricedGpuHours",
] as const satisfies readonly (keyof GpuHourAggregate)[];

function dimCol(d: ReportDimension) {
  return Prisma.raw(`"d_${d}"`);
}

/** Per-group and per-currency GPU-hour aggregates: the engine behind the gpu-hours and idle reports. */
export async function gpuHourAggregates(
  prisma: PrismaClient,
  org: ReportOrg,
  { from, to, costBasis = "effective", filters = {}, groupBy = [], sources = HOURLY_SOURCES }: Omit<GpuHoursInput, "orgId">,
): Promise<{ rows: Array<Partial<Record<ReportDimension, string>> & GpuHourAggregate>; totals: GpuHourAggregate & { byCurrency: GpuHourAggregate[] } }> {
  const used = new Set<ReportDimension>([...groupBy, ...(Object.keys(filters) as ReportDimension[])]);
  const needTeam = used.has("team");
  const needWorkload = needTeam || used.has("namespace");
  const grouped = groupBy.length > 0;
  const cols = groupBy.map(dimCol);
  const colList = grouped ? Prisma.sql`${Prisma.join(cols)},` : Prisma.empty;
  const dimSelect = grouped ? Prisma.sql`${Prisma.join(groupBy.map((d) => Prisma.sql`${GPU_DIMENSION_SQL[d]} AS ${dimCol(d)}`))},` : Prisma.empty;
  const sql = Prisma.sql`
    WITH ${needTeam ? Prisma.sql`${gpuTeamCte(org, { from, to })},` : Prisma.empty}
    facts AS (${sources.gpuFacts({ org, from, to, costBasis, scoped: false })}),
    -- One hash aggregate over the facts, in a subquery referenced once (so it can run in parallel);
    -- each of its few rows is then read twice: as its group's row (t = 0) and toward the totals (t = 1).
    s1 AS (
      SELECT x.t, ${grouped ? Prisma.sql`${Prisma.join(cols.map((c) => Prisma.sql`CASE WHEN x.t = 0 THEN x.${c} END AS ${c}`))},` : Prisma.empty}
             x.cur, x.gh, x.known_gh, x.useful, x.idle_gh, x.unattributed_gh, x.wh, x.cost, x.gap_cost,
             x.idle_cost, x.useful_cost, x.unattributed_cost
      FROM (
        -- (a set-returning function, not a join: a join here would keep the aggregate from running in parallel)
        SELECT unnest(${grouped ? Prisma.sql`ARRAY[0, 1]` : Prisma.sql`ARRAY[0]`}) AS t, s0.*
        FROM (
          SELECT ${dimSelect} f.cur,
                 SUM(f.gh) AS gh, SUM(f.known_gh) AS known_gh, SUM(f.useful) AS useful, SUM(f.idle_gh) AS idle_gh,
                 SUM(f.gh) FILTER (WHERE f.workload_id IS NULL) AS unattributed_gh, SUM(f.wh) AS wh,
                 SUM(f.cost) AS cost, SUM(f.gap_cost) AS gap_cost, SUM(f.idle_cost) AS idle_cost, SUM(f.useful_cost) AS useful_cost,
                 SUM(f.cost) FILTER (WHERE f.workload_id IS NULL) AS unattributed_cost
          FROM facts f
          ${used.has("cluster") ? Prisma.sql`LEFT JOIN clusters c ON c.id = f.cluster_id AND c.org_id = ${org.orgId}` : Prisma.empty}
          ${needWorkload ? Prisma.sql`LEFT JOIN workloads w ON w.id = f.workload_id AND w.org_id = ${org.orgId}` : Prisma.empty}
          ${needTeam ? Prisma.sql`LEFT JOIN gpu_team gt ON gt.pid = f.pid` : Prisma.empty}
          WHERE TRUE ${filterConditions(filters, GPU_DIMENSION_SQL)}
          GROUP BY ${grouped ? Prisma.sql`${Prisma.join(cols)},` : Prisma.empty} f.cur
        ) s0
      ) x
    ),
    -- a group's unpriced GPU-hours join its primary currency: the org's if the group has it, else the first
    s2 AS (
      SELECT s1.*,
             COALESCE(cur, FIRST_VALUE(cur) OVER (
               PARTITION BY t ${grouped ? Prisma.sql`, ${Prisma.join(cols)}` : Prisma.empty}
               ORDER BY cur IS NULL, cur = ${org.currency} DESC, cur)) AS fcur
      FROM s1
    )
    SELECT t, ${colList} fcur AS currency,
           COALESCE(SUM(gh), 0)::float8 AS gpu_hours,
           COALESCE(SUM(gh) FILTER (WHERE cur IS NULL), 0)::float8 AS unpriced_gpu_hours,
           COALESCE(SUM(known_gh), 0)::float8 AS known_gpu_hours,
           COALESCE(SUM(useful), 0)::float8 AS useful_gpu_hours,
           COALESCE(SUM(idle_gh), 0)::float8 AS idle_gpu_hours,
           COALESCE(SUM(idle_gh) FILTER (WHERE cur IS NULL), 0)::float8 AS idle_unpriced_gpu_hours,
           COALESCE(SUM(unattributed_gh), 0)::float8 AS unattributed_gpu_hours,
           COALESCE(SUM(wh), 0)::float8 AS energy_wh,
           CASE WHEN fcur IS NOT NULL THEN ${moneySql(Prisma.sql`COALESCE(SUM(cost), 0)`)} END AS cost,
           ${unitPriceSql(Prisma.sql`SUM(cost)`, Prisma.sql`SUM(gh) FILTER (WHERE cur IS NOT NULL)`)} AS cost_per_gpu_hour,
           ${unitPriceSql(Prisma.sql`SUM(cost) - COALESCE(SUM(gap_cost), 0)`, Prisma.sql`SUM(useful) FILTER (WHERE cur IS NOT NULL)`)} AS cost_per_useful_gpu_hour,
           CASE WHEN fcur IS NOT NULL THEN ${moneySql(Prisma.sql`COALESCE(SUM(idle_cost), 0)`)} END AS idle_cost,
           CASE WHEN fcur IS NOT NULL THEN ${moneySql(Prisma.sql`round(COALESCE(SUM(cost), 0) - COALESCE(SUM(gap_cost), 0) - COALESCE(SUM(useful_cost), 0), 8)`)} END AS unused_cost,
           CASE WHEN fcur IS NOT NULL THEN ${moneySql(Prisma.sql`COALESCE(SUM(gap_cost), 0)`)} END AS gap_cost,
           CASE WHEN fcur IS NOT NULL THEN ${moneySql(Prisma.sql`COALESCE(SUM(unattributed_cost), 0)`)} END AS unattributed_cost
    FROM s2
    GROUP BY t, ${colList} fcur`;

  const result = await inReportTransaction(prisma, (tx) => tx.$queryRaw<AggregateSqlRow[]>(sql));

  const toMetrics = (r: AggregateSqlRow): GpuHourAggregate => {
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
      cost: money(r.cost),
      costPerGpuHour: money(r.cost_per_gpu_hour),
      costPerUsefulGpuHour: money(r.cost_per_useful_gpu_hour),
      idleCost: money(r.idle_cost),
      unusedCapacityCost: money(r.unused_cost),
      gapCost: money(r.gap_cost),
      unattributedGpuHours: round6(num(r.unattributed_gpu_hours)),
      unattributedCost: money(r.unattributed_cost),
      energyKwh: round6(num(r.energy_wh) / 1000),
      idleUnpricedGpuHours: round6(num(r.idle_unpriced_gpu_hours)),
    };
  };

  const groupRows = result.filter((r) => num(r.t) === 0 || !grouped);
  const totalRows = result.filter((r) => num(r.t) === 1 || !grouped);
  const rows = groupRows.map((r) => {
    const keys: Partial<Record<ReportDimension, string>> = {};
    for (const d of groupBy) keys[d] = r[`d_${d}`] ?? undefined;
    return { ...keys, ...toMetrics(r) };
  });
  rows.sort(byCostThenKeys(groupBy));

  const perCurrency = totalRows.map(toMetrics).sort((a, b) => currencyOrder(a.currency, b.currency, org.currency));
  const totals = combineCurrencyTotals(perCurrency, {
    quantities: [...QUANTITY_KEYS],
    moneyKeys: [...GPU_HOURS_MONEY_KEYS],
    empty: emptyGpuHourAggregate(org.currency),
    finish: (m) => ({ ...m, meanUtilization: ratio(m.usefulGpuHours, m.knownUtilizationGpuHours) }),
  });
  return { rows, totals };
}

export function emptyGpuHourAggregate(currency: string): GpuHourAggregate {
  return {
    currency,
    gpuHours: 0,
    unpricedGpuHours: 0,
    knownUtilizationGpuHours: 0,
    gapGpuHours: 0,
    usefulGpuHours: 0,
    meanUtilization: null,
    idleGpuHours: 0,
    cost: "0",
    costPerGpuHour: null,
    costPerUsefulGpuHour: null,
    idleCost: "0",
    unusedCapacityCost: "0",
    gapCost: "0",
    unattributedGpuHours: 0,
    unattributedCost: "0",
    energyKwh: 0,
    idleUnpricedGpuHours: 0,
  };
}

/** The org's currency first, then alphabetical, unpriced (null) last. */
export function currencyOrder(a: string | null, b: string | null, orgCurrency: string): number {
  const rank = (c: string | null) => (c === null ? 2 : c === orgCurrency ? 0 : 1);
  return rank(a) - rank(b) || compareText(a ?? "", b ?? "");
}

/** Highest cost first (unpriced rows last), then by the group keys: a stable order for diffs and CSV. */
export function byCostThenKeys(groupBy: ReportDimension[], costKey: "cost" | "idleCost" = "cost") {
  return (a: Partial<Record<string, unknown>>, b: Partial<Record<string, unknown>>) => {
    const byCost = compareMoneyDesc(a[costKey] as string | null, b[costKey] as string | null);
    if (byCost) return byCost;
    for (const d of groupBy) {
      const c = compareText(String(a[d] ?? ""), String(b[d] ?? ""));
      if (c) return c;
    }
    return compareText(String(a.currency ?? ""), String(b.currency ?? ""));
  };
}

function strip<T extends { idleUnpricedGpuHours: number }>({ idleUnpricedGpuHours: _, ...m }: T): Omit<T, "idleUnpricedGpuHours"> {
  return m;
}

export async function gpuHoursReport(prisma: PrismaClient, input: GpuHoursInput): Promise<{ rows: GpuHoursRow[]; totals: GpuHoursTotals }> {
  const org = await loadReportOrg(prisma, input.orgId);
  const { rows, totals } = await gpuHourAggregates(prisma, org, input);
  return {
    rows: rows.map(strip),
    totals: { ...strip(totals), byCurrency: totals.byCurrency.map(strip) },
  };
}
