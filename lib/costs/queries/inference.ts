// The inference report: one row per inference service (workloads of kind INFERENCE_SERVICE, a model
// name in a namespace) active in the window: requests, tokens, the GPU cost of the GPU-hours serving
// it, cost per 1K inferences and per 1M tokens, latency quantiles from its merged histograms, success
// ratio, energy.
//
// Inferences are the hourly increases of the success counter that the telemetry connector stores on
// workload_hourly (counter resets are handled there, before storage); a window's inferences are their
// sum. Cost is GPU cost only (DOMAIN.md "Cost per 1K inferences"); CPU/RAM allocation cost is shown
// apart in cpuRamCost. Traffic sits on the service's primary row (org currency first) when its GPU
// cost spans currencies, so Σ rows never counts a request twice.
import { Prisma, type PrismaClient } from "../../db/client";
import type { CostBasis, InferenceMetrics, InferenceRow, InferenceTotals } from "../../domain/reports";
import { latencyQuantilesMs, mergeHistograms, parseHistogram, type Histogram } from "../latency-quantiles";
import { combineCurrencyTotals, compareMoneyDesc, compareText, money, num, ratio, round6 } from "../report-totals";
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
  type ReportOrg,
  type ReportSources,
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
  energy_wh: number;
  inferences: number;
  failures: number;
  prompt_tokens: number;
  generation_tokens: number;
  cost: string | null;
  cpu_ram_cost: string | null;
  energy_cost: string | null;
  cost_per_1k_inferences: string | null;
  cost_per_1m_tokens: string | null;
};

/**
 * The GPU and CPU/RAM sums of the services in `scope`, per (service, currency) with a service's
 * unpriced GPU-hours merged into its primary currency (CTE `out`, t = 0), plus per-currency totals (t = 1).
 */
function serviceCostSql({ org, from, to, costBasis, sources }: { org: ReportOrg; from: Date; to: Date; costBasis: CostBasis; sources: ReportSources }): Prisma.Sql {
  const orgCurrency = org.currency;
  return Prisma.sql`
    ${workloadGpuCpuCtes({ org, from, to, costBasis, sources })},
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

type HistogramPart = { wid: string; le: unknown; ord: bigint | number; count: number | null };

function metrics(r: SqlRow, latency: Histogram | null): InferenceMetrics {
  const inferences = round6(num(r.inferences));
  const failures = round6(num(r.failures));
  const promptTokens = round6(num(r.prompt_tokens));
  const generationTokens = round6(num(r.generation_tokens));
  return {
    currency: r.currency,
    gpuHours: round6(num(r.gpu_hours)),
    unpricedGpuHours: round6(num(r.unpriced_gpu_hours)),
    meanUtilization: ratio(num(r.useful_gpu_hours), num(r.known_gpu_hours)),
    inferences,
    failures,
    successRatio: ratio(inferences, inferences + failures),
    promptTokens,
    generationTokens,
    tokens: round6(promptTokens + generationTokens),
    cost: money(r.cost),
    costPer1kInferences: money(r.cost_per_1k_inferences),
    costPer1mTokens: money(r.cost_per_1m_tokens),
    cpuRamCost: money(r.cpu_ram_cost),
    energyKwh: round6(num(r.energy_wh) / 1000),
    energyCost: money(r.energy_cost),
    ...latencyQuantilesMs(latency),
  };
}

export async function inferenceReport(
  prisma: PrismaClient,
  { orgId, from, to, costBasis = "effective", filters = {}, sources = HOURLY_SOURCES }: ReportInput,
): Promise<{ rows: InferenceRow[]; totals: InferenceTotals }> {
  const org = await loadReportOrg(prisma, orgId);
  const scope = Prisma.sql`scope AS MATERIALIZED (
      SELECT w.id FROM workloads w
      LEFT JOIN clusters c ON c.id = w.cluster_id AND c.org_id = ${orgId}
      WHERE w.org_id = ${orgId} AND w.kind = 'INFERENCE_SERVICE'
        ${filterConditions(filters, WORKLOAD_DIMENSION_SQL)}
    )`;
  const primaryCurrency = Prisma.sql`ORDER BY fcur IS NULL, fcur = ${org.currency} DESC, fcur`;
  const sql = Prisma.sql`
    WITH ${scope},
    ${serviceCostSql({ org, from, to, costBasis, sources })},
    o AS (
      SELECT out.*, ROW_NUMBER() OVER (PARTITION BY wid ${primaryCurrency}) AS rn FROM out WHERE t = 0
    ),
    traffic AS (
      SELECT wf.workload_id AS wid, SUM(wf.inferences) AS inf, SUM(wf.failures) AS fail,
             SUM(wf.prompt_tokens) AS pt, SUM(wf.generation_tokens) AS gt
      FROM (${sources.workloadFacts({ org, from, to })}) wf
      GROUP BY 1
    ),
    svc AS (
      SELECT COALESCE(o.wid, tr.wid) AS wid, o.fcur, o.gh, o.unpriced_gh, o.known_gh, o.useful, o.wh,
             o.gpu_cost, o.cpu_ram, o.energy_cost, tr.inf, tr.fail, tr.pt, tr.gt
      FROM (SELECT * FROM o WHERE rn = 1) o
      FULL JOIN traffic tr ON tr.wid = o.wid
      UNION ALL
      SELECT wid, fcur, gh, unpriced_gh, known_gh, useful, wh, gpu_cost, cpu_ram, energy_cost, NULL, NULL, NULL, NULL
      FROM o WHERE rn > 1
    ),
    -- per-currency totals; a per-unit price divides the cost of the priced services that report that
    -- unit (requests, tokens) by their units: Triton services without token counters do not make
    -- the cost per 1M tokens of the vLLM ones look higher
    svc_tot AS (
      SELECT COALESCE(fcur, (SELECT fcur FROM svc WHERE fcur IS NOT NULL ${primaryCurrency} LIMIT 1)) AS fcur,
             SUM(gh) AS gh, SUM(unpriced_gh) AS unpriced_gh, SUM(known_gh) AS known_gh, SUM(useful) AS useful, SUM(wh) AS wh,
             SUM(gpu_cost) AS gpu_cost, SUM(cpu_ram) AS cpu_ram, SUM(energy_cost) AS energy_cost,
             SUM(inf) AS inf, SUM(fail) AS fail, SUM(pt) AS pt, SUM(gt) AS gt,
             SUM(inf) FILTER (WHERE fcur IS NOT NULL) AS priced_inf,
             SUM(pt + gt) FILTER (WHERE fcur IS NOT NULL) AS priced_tok,
             SUM(gpu_cost) FILTER (WHERE inf > 0) AS inf_cost,
             SUM(gpu_cost) FILTER (WHERE pt + gt > 0) AS tok_cost
      FROM svc
      GROUP BY 1
    ),
    fin AS (
      SELECT 0 AS t, wid, fcur, gh, unpriced_gh, known_gh, useful, wh, gpu_cost, cpu_ram, energy_cost, inf, fail, pt, gt,
             inf AS priced_inf, pt + gt AS priced_tok, gpu_cost AS inf_cost, gpu_cost AS tok_cost
      FROM svc
      UNION ALL
      SELECT 1, NULL, fcur, gh, unpriced_gh, known_gh, useful, wh, gpu_cost, cpu_ram, energy_cost, inf, fail, pt, gt,
             priced_inf, priced_tok, inf_cost, tok_cost
      FROM svc_tot
    )
    SELECT fin.t, fin.wid, fin.fcur AS currency,
           COALESCE(fin.gh, 0)::float8 AS gpu_hours,
           COALESCE(fin.unpriced_gh, 0)::float8 AS unpriced_gpu_hours,
           COALESCE(fin.known_gh, 0)::float8 AS known_gpu_hours,
           COALESCE(fin.useful, 0)::float8 AS useful_gpu_hours,
           COALESCE(fin.wh, 0)::float8 AS energy_wh,
           COALESCE(fin.inf, 0)::float8 AS inferences,
           COALESCE(fin.fail, 0)::float8 AS failures,
           COALESCE(fin.pt, 0)::float8 AS prompt_tokens,
           COALESCE(fin.gt, 0)::float8 AS generation_tokens,
           CASE WHEN fin.fcur IS NOT NULL THEN ${moneySql(Prisma.sql`COALESCE(fin.gpu_cost, 0)`)} END AS cost,
           CASE WHEN fin.fcur IS NOT NULL THEN ${moneySql(Prisma.sql`COALESCE(fin.cpu_ram, 0)`)} END AS cpu_ram_cost,
           ${moneySql(Prisma.sql`round(fin.energy_cost, 8)`)} AS energy_cost,
           ${unitPriceSql(Prisma.sql`COALESCE(fin.inf_cost, 0) * 1000`, Prisma.sql`fin.priced_inf`)} AS cost_per_1k_inferences,
           ${unitPriceSql(Prisma.sql`COALESCE(fin.tok_cost, 0) * 1000000`, Prisma.sql`fin.priced_tok`)} AS cost_per_1m_tokens,
           w.name AS service, w.namespace, w.model_name,
           ${WORKLOAD_DIMENSION_SQL.team!} AS team, ${WORKLOAD_DIMENSION_SQL.cluster!} AS cluster
    FROM fin
    LEFT JOIN workloads w ON w.id = fin.wid AND w.org_id = ${orgId}
    LEFT JOIN clusters c ON c.id = w.cluster_id AND c.org_id = ${orgId}`;

  // Latency: each histogram layout's counts summed position by position in SQL, layouts merged in JS.
  const histogramSql = Prisma.sql`
    WITH ${scope}
    SELECT l.wid, l.le, l.ord, SUM(l.v) AS count
    FROM (${sources.latencyFacts({ org, from, to })}) l
    GROUP BY l.wid, l.le, l.ord`;

  const [result, parts] = await inReportTransaction(prisma, async (tx) => [
    await tx.$queryRaw<Array<SqlRow & { service: string; namespace: string; model_name: string | null; team: string; cluster: string }>>(sql),
    await tx.$queryRaw<HistogramPart[]>(histogramSql),
  ]);

  const histograms = collectHistograms(parts);
  const merged = new Map([...histograms].map(([wid, hs]) => [wid, mergeHistograms(hs)]));

  const rows: InferenceRow[] = result
    .filter((r) => num(r.t) === 0)
    .map((r) => ({
      service: r.service,
      namespace: r.namespace,
      modelName: r.model_name,
      team: r.team,
      cluster: r.cluster,
      ...metrics(r, merged.get(r.wid!) ?? null),
    }))
    .sort(
      (a, b) =>
        compareMoneyDesc(a.cost, b.cost) ||
        compareText(a.service, b.service) ||
        compareText(a.namespace, b.namespace) ||
        currencyOrder(a.currency, b.currency, org.currency),
    );

  // Latency over every request of every service in scope (the currency does not split requests).
  const fleetLatency = mergeHistograms([...histograms.values()].flat());
  const perCurrency = result
    .filter((r) => num(r.t) === 1)
    .map((r) => metrics(r, fleetLatency))
    .sort((a, b) => currencyOrder(a.currency, b.currency, org.currency));
  const services = new Set(rows.map((r) => `${r.namespace}/${r.service}`)).size;
  const totals = combineCurrencyTotals(perCurrency, {
    quantities: ["gpuHours", "unpricedGpuHours", "inferences", "failures", "promptTokens", "generationTokens", "tokens", "energyKwh"],
    moneyKeys: ["cost", "costPer1kInferences", "costPer1mTokens", "cpuRamCost", "energyCost"],
    empty: { ...metrics({} as SqlRow, null), currency: org.currency, cost: "0", cpuRamCost: "0" },
    // meanUtilization cannot be re-derived from the per-currency figures alone: left as null when mixed.
    finish: (m) => ({ ...m, meanUtilization: null, successRatio: ratio(m.inferences, m.inferences + m.failures) }),
  });
  return { rows, totals: { ...totals, services } };
}

/** SQL parts (service, layout, position, summed count) → the histograms of each service, one per layout. */
export function collectHistograms(parts: HistogramPart[]): Map<string, Histogram[]> {
  const byLayout = new Map<string, { wid: string; le: unknown; counts: number[] }>();
  for (const p of parts) {
    const key = `${p.wid}|${JSON.stringify(p.le)}`;
    let h = byLayout.get(key);
    if (!h) byLayout.set(key, (h = { wid: p.wid, le: p.le, counts: [] }));
    h.counts[Number(p.ord) - 1] = num(p.count);
  }
  const out = new Map<string, Histogram[]>();
  for (const { wid, le, counts } of byLayout.values()) {
    const h = parseHistogram({ le, counts });
    if (!h) continue;
    out.set(wid, [...(out.get(wid) ?? []), h]);
  }
  return out;
}
