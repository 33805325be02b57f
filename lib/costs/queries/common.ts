// What every cost report query shares: the org's settings, how a dimension is read from the hourly
// tables, filters, the cost basis column, and the transaction the SQL runs in.
//
// Every query takes orgId and a [from, to) window of whole UTC hours and reads the hourly rollups
// (gpu_hourly through its (org_id, hour) index, workload_hourly through its (org_id, hour) index).
// Money is summed in SQL numeric and leaves the database as text; nothing is summed as a JS float.
import { Prisma, type PrismaClient } from "../../db/client";
import {
  UNASSIGNED_CLUSTER,
  UNATTRIBUTED,
  UNPRICED_CATEGORY,
  type CostBasis,
  type ReportDimension,
  type ReportFilters,
} from "../../domain/reports";

export type ReportOrg = {
  orgId: string;
  currency: string;
  /** Utilization fraction below which a GPU-hour is idle. */
  idleThreshold: number;
  /** Bill tag key whose value names a GPU's team when no workload says. */
  teamTagKey: string;
};

export type ReportInput = {
  orgId: string;
  from: Date;
  to: Date;
  costBasis?: CostBasis;
  filters?: ReportFilters;
  /** Where the hourly facts are read from (default here: the hourly tables row by row, HOURLY_SOURCES; runReport defaults to the daily rollup). */
  sources?: ReportSources;
};

export async function loadReportOrg(prisma: PrismaClient, orgId: string): Promise<ReportOrg> {
  const org = await prisma.org.findUnique({ where: { id: orgId }, select: { id: true, currency: true, idleThreshold: true, teamTagKey: true } });
  if (!org) throw new Error(`report: org ${orgId} does not exist`);
  return { orgId: org.id, currency: org.currency, idleThreshold: Number(org.idleThreshold), teamTagKey: org.teamTagKey };
}

/** The rate column of the chosen cost basis: FOCUS EffectiveCost (default) or BilledCost per GPU-hour. */
export function rateColumn(basis: CostBasis = "effective"): Prisma.Sql {
  return basis === "billed" ? Prisma.sql`h.billed_rate` : Prisma.sql`h.rate`;
}

/**
 * A facts row's value for each dimension, over `facts f` (see GpuFactsSource), `clusters c` (on
 * f.cluster_id), `workloads w` (on f.workload_id) and `gpu_team gt` (on f.pid, see gpuTeamCte). Missing
 * values get a name so they can be grouped and filtered like any other:
 *   cluster          the GPU's cluster name, else "unassigned";
 *   gpuModel         the GPU's model;
 *   pricingCategory  on-demand | spot | committed | on-prem | other, else "unpriced";
 *   team             the workload's team, else the team tag on the GPU's instance bill, else "unattributed";
 *   namespace        the pod's namespace, else the workload's, else "unattributed".
 */
export const GPU_DIMENSION_SQL: Record<ReportDimension, Prisma.Sql> = {
  cluster: Prisma.sql`COALESCE(c.name, ${UNASSIGNED_CLUSTER}::text)`,
  gpuModel: Prisma.sql`f.gpu_model`,
  pricingCategory: Prisma.sql`COALESCE(f.pricing_category, ${UNPRICED_CATEGORY}::text)`,
  team: Prisma.sql`COALESCE(NULLIF(w.team, ''), NULLIF(gt.team, ''), ${UNATTRIBUTED}::text)`,
  namespace: Prisma.sql`COALESCE(NULLIF(f.namespace, ''), NULLIF(w.namespace, ''), ${UNATTRIBUTED}::text)`,
};

/** A workload's own dimensions over `workloads w` and `clusters c` (its cluster). */
export const WORKLOAD_DIMENSION_SQL: Partial<Record<ReportDimension, Prisma.Sql>> = {
  cluster: Prisma.sql`COALESCE(c.name, ${UNASSIGNED_CLUSTER}::text)`,
  team: Prisma.sql`COALESCE(NULLIF(w.team, ''), ${UNATTRIBUTED}::text)`,
  namespace: Prisma.sql`COALESCE(NULLIF(w.namespace, ''), ${UNATTRIBUTED}::text)`,
};

/** `AND <dimension> = ANY(values)` for every filter, or nothing. */
export function filterConditions(filters: ReportFilters | undefined, sql: Partial<Record<ReportDimension, Prisma.Sql>>): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  for (const [dim, values] of Object.entries(filters ?? {}) as [ReportDimension, string[] | undefined][]) {
    if (!values?.length) continue;
    const expr = sql[dim];
    if (!expr) throw new Error(`report: cannot filter by ${dim} here`);
    parts.push(Prisma.sql`AND ${expr} = ANY(${values}::text[])`);
  }
  return parts.length ? Prisma.join(parts, " ") : Prisma.empty;
}

/** FOCUS charge periods never cross a billing period (≤ 31 days): bounds the bill scan for tags. */
const LONGEST_CHARGE_PERIOD = "32 days";

/**
 * `gpu_team(pid, team)`: for each cloud instance of the org, the team tag (org.teamTagKey) of its
 * latest Usage bill line charged before the window's end (one index probe per instance on
 * the partial bill_line_items (org_id, resource_id, charge_period_start) WHERE gpu_model IS NOT NULL
 * index: the tags of the instance's GPU lines). The team of a GPU-hour whose workload
 * names none. On-prem GPUs have no bill: their team comes from the workload only.
 */
export function gpuTeamCte(org: ReportOrg, { from, to }: { from: Date; to: Date }): Prisma.Sql {
  return Prisma.sql`gpu_team AS MATERIALIZED (
    SELECT i.pid, t.team
    FROM (SELECT DISTINCT provider_instance_id AS pid FROM gpus WHERE org_id = ${org.orgId} AND provider_instance_id IS NOT NULL) i
    CROSS JOIN LATERAL (
      SELECT b.tags ->> ${org.teamTagKey}::text AS team
      FROM bill_line_items b
      WHERE b.org_id = ${org.orgId} AND b.resource_id = i.pid AND b.gpu_model IS NOT NULL AND b.charge_category = 'Usage'
        AND b.charge_period_start >= ${from}::timestamptz - ${LONGEST_CHARGE_PERIOD}::interval
        AND b.charge_period_start < ${to}::timestamptz
      ORDER BY b.charge_period_start DESC
      LIMIT 1
    ) t
  )`;
}

export type GpuFactsArgs = {
  org: ReportOrg;
  from: Date;
  to: Date;
  costBasis: CostBasis;
  /** Only GPU-hours of the workloads in the CTE `scope(id)` the caller defines. */
  scoped: boolean;
};

/**
 * Where the reports read GPU-hours from: a SELECT of rows that each stand for a set of GPU-hours
 * sharing these keys, with partial sums:
 *   cluster_id, gpu_model, pid (provider instance id), workload_id, namespace, pricing_category,
 *   cur (currency when priced in the cost basis, else NULL),
 *   gh, known_gh, idle_gh (numeric GPU-hours: all, with known utilization, idle), useful (numeric
 *   Σ utilization × GPU-hours), cost, gap_cost, idle_cost (numeric Σ rate × GPU-hours: all, unknown
 *   utilization, idle), useful_cost (numeric Σ rate × GPU-hours × utilization, utilization taken as
 *   numeric; unused capacity cost is rounded to 8 decimals), wh (numeric energy, Wh), first_hour, last_hour.
 * The reports only ever SUM (MIN, MAX) these columns, so a source may pre-aggregate: `hourlyGpuFacts`
 * reads gpu_hourly row by row; the daily rollup (daily-rollup.ts dailySources) reads whole days from the
 * rollup and the partial days at the window's edges from gpu_hourly.
 */
export type GpuFactsSource = (args: GpuFactsArgs) => Prisma.Sql;

/** The GPU-hours of the window, one facts row per gpu_hourly row (the source until a daily rollup exists). */
export const hourlyGpuFacts: GpuFactsSource = ({ org, from, to, costBasis, scoped }) => {
  const rate = rateColumn(costBasis);
  const thr = Prisma.sql`${org.idleThreshold}::float8`;
  return Prisma.sql`
    SELECT g.cluster_id, g.model AS gpu_model, g.provider_instance_id AS pid, h.workload_id, h.namespace, h.pricing_category,
           CASE WHEN ${rate} IS NOT NULL THEN h.currency END AS cur,
           h.gpu_hours AS gh,
           CASE WHEN h.utilization IS NOT NULL THEN h.gpu_hours END AS known_gh,
           ${UTILIZATION_SQL}::numeric * h.gpu_hours AS useful,
           CASE WHEN ${UTILIZATION_SQL} < ${thr} THEN h.gpu_hours END AS idle_gh,
           ${rate} * h.gpu_hours AS cost,
           CASE WHEN h.utilization IS NULL THEN ${rate} * h.gpu_hours END AS gap_cost,
           CASE WHEN ${UTILIZATION_SQL} < ${thr} THEN ${rate} * h.gpu_hours END AS idle_cost,
           -- numeric, so the sum is exact whatever the order of additions (the daily rollup's sums of
           -- sums equal the hourly path's to the last digit); utilization::numeric keeps its 15 digits
           ${rate} * h.gpu_hours * ${UTILIZATION_SQL}::numeric AS useful_cost,
           h.energy_wh::numeric AS wh,
           CASE WHEN h.gpu_hours > 0 THEN h.hour END AS first_hour,
           CASE WHEN h.gpu_hours > 0 THEN h.hour END AS last_hour
    FROM gpu_hourly h
    JOIN gpus g ON g.id = h.gpu_id AND g.org_id = ${org.orgId}
    WHERE h.org_id = ${org.orgId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz
      ${scoped ? Prisma.sql`AND h.workload_id IN (SELECT id FROM scope)` : Prisma.empty}`;
};

export type WindowArgs = {
  org: ReportOrg;
  from: Date;
  to: Date;
  /** false: leave the restriction to scope(id) to the caller (a source that unions parts filters once). */
  scoped?: boolean;
};

/**
 * Workload-hour facts of the workloads in `scope(id)`: rows of workload_id, cur (currency of the
 * CPU/RAM cost), cpu_ram (numeric CPU + RAM allocation cost), inferences, failures, prompt_tokens,
 * generation_tokens (float8). Summed by the reports, so a source may pre-aggregate.
 */
export type WorkloadFactsSource = (args: WindowArgs) => Prisma.Sql;

/**
 * Latency histogram counts of the workloads in `scope(id)`, one row per (histogram, bucket): wid, le
 * (jsonb array of the layout's finite bounds), ord (1-based bucket position, the last is +Inf), v
 * (float8 cumulative count). The inference report sums v per (wid, le, ord).
 */
export type LatencyFactsSource = (args: WindowArgs) => Prisma.Sql;

export type ReportSources = { gpuFacts: GpuFactsSource; workloadFacts: WorkloadFactsSource; latencyFacts: LatencyFactsSource };

export const hourlyWorkloadFacts: WorkloadFactsSource = ({ org, from, to, scoped = true }) => Prisma.sql`
  SELECT wh.workload_id, wh.currency AS cur, wh.cpu_cost + wh.ram_cost AS cpu_ram,
         wh.inferences, wh.failures, wh.prompt_tokens, wh.generation_tokens
  FROM workload_hourly wh
  WHERE wh.org_id = ${org.orgId} AND wh.hour >= ${from}::timestamptz AND wh.hour < ${to}::timestamptz
    ${scoped ? Prisma.sql`AND wh.workload_id IN (SELECT id FROM scope)` : Prisma.empty}`;

export const hourlyLatencyFacts: LatencyFactsSource = ({ org, from, to, scoped = true }) => Prisma.sql`
  SELECT x.wid, x.le, c.ord, CASE WHEN jsonb_typeof(c.v) = 'number' THEN c.v::float8 END AS v
  FROM (
    SELECT wh.workload_id AS wid, wh.latency_histogram -> 'le' AS le, wh.latency_histogram -> 'counts' AS counts
    FROM workload_hourly wh
    WHERE wh.org_id = ${org.orgId} AND wh.hour >= ${from}::timestamptz AND wh.hour < ${to}::timestamptz
      ${scoped ? Prisma.sql`AND wh.workload_id IN (SELECT id FROM scope)` : Prisma.empty}
      AND wh.latency_histogram IS NOT NULL
      -- well-formed only: arrays, one count per bound plus +Inf (AND does not short-circuit in SQL)
      AND CASE WHEN jsonb_typeof(wh.latency_histogram -> 'le') = 'array' AND jsonb_typeof(wh.latency_histogram -> 'counts') = 'array'
               THEN jsonb_array_length(wh.latency_histogram -> 'counts') = jsonb_array_length(wh.latency_histogram -> 'le') + 1
               ELSE false END
  ) x
  CROSS JOIN LATERAL jsonb_array_elements(x.counts) WITH ORDINALITY AS c(v, ord)`;

/**
 * CTEs `facts`, `gpu` and `cpu` over the workloads of a CTE `scope(id)` the caller defines (the
 * sources restrict themselves to it):
 * `gpu(wid, cur, gh, known_gh, useful, idle_gh, wh, first_hour, last_hour, gpu_cost, known_cost,
 * energy_cost)` sums each workload's GPU facts per priced currency (energy cost where the GPUs' cluster
 * has a price per kWh, in that cluster's currency); `cpu(wid, cur, cpu_ram)` its CPU/RAM allocation cost.
 */
export function workloadGpuCpuCtes({ org, from, to, costBasis, sources }: WindowArgs & { costBasis: CostBasis; sources: ReportSources }): Prisma.Sql {
  const { orgId } = org;
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
      LEFT JOIN clusters gc ON gc.id = f.cluster_id AND gc.org_id = ${orgId}
      GROUP BY 1, 2
    ),
    cpu AS (
      SELECT wf.workload_id AS wid, wf.cur, SUM(wf.cpu_ram) AS cpu_ram
      FROM (${sources.workloadFacts({ org, from, to })}) wf
      WHERE wf.cpu_ram <> 0
      GROUP BY 1, 2
    )`;
}

/** Today's sources: the hourly tables, row by row. */
export const HOURLY_SOURCES: ReportSources = { gpuFacts: hourlyGpuFacts, workloadFacts: hourlyWorkloadFacts, latencyFacts: hourlyLatencyFacts };

/**
 * `h.utilization` clamped to 0-1, NULL for a gap. (GREATEST/LEAST skip NULLs, so clamping alone would
 * turn a gap into utilization 0: an idle hour that never was.)
 */
export const UTILIZATION_SQL = Prisma.sql`(CASE WHEN h.utilization IS NOT NULL THEN LEAST(GREATEST(h.utilization, 0), 1) END)`;

/** `trim_scale(x)::text`: an exact decimal string without trailing zeros. */
export function moneySql(expr: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`trim_scale(${expr})::text`;
}

/** A unit price (money per unit): numerator / denominator rounded to 6 decimals, null when nothing to divide by. */
export function unitPriceSql(numerator: Prisma.Sql, denominator: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`trim_scale(round((${numerator}) / NULLIF((${denominator})::numeric, 0), 6))::text`;
}

/**
 * Runs report SQL in one read-only transaction with JIT off: JIT compilation of a large aggregate
 * costs 100-500 ms, more than the aggregate itself on rollups, and reports must answer in
 * milliseconds. SET LOCAL ends with the transaction.
 */
export async function inReportTransaction<T>(prisma: PrismaClient, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return prisma.$transaction(
    async (tx) => {
      // One round trip for every setting (set_config(name, value, true) is SET LOCAL; read-only may be
      // switched on at any point of a transaction): six statements cost six round trips, which show
      // next to a 50 ms report on a loaded machine.
      // Report plans are hash-shaped: equality joins and a few groups out of up to millions of facts.
      // The planner misjudges CTE sizes and the groups of derived keys (COALESCE of joined columns),
      // and then sorts every fact row to group it (external merge sort, seconds) or nests loops over
      // thousands of workloads (a probe per workload, or a 1,000 × 15,000 join filter). With sorts and
      // nested loops priced out it hashes; where a nested loop or a sort is the only way (the LATERAL
      // team-tag probe, the window over the aggregated rows) Postgres still uses it. Hash tables spill
      // to disk if there really are that many groups.
      await tx.$queryRaw`
        SELECT set_config('transaction_read_only', 'on', true), set_config('jit', 'off', true),
               set_config('enable_sort', 'off', true), set_config('enable_nestloop', 'off', true),
               set_config('enable_mergejoin', 'off', true), set_config('work_mem', '64MB', true)`;
      return fn(tx);
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
}
