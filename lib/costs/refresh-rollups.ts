// Recomputes the hourly rollups of one org for a window of whole UTC hours, in one transaction:
//   1. gpu_hourly: rate, billed_rate, currency, pricing_category (from bills or on-prem inputs) and
//      energy_wh (power × GPU-hours);
//   2. workload_hourly: GPU-hours, useful GPU-hours, GPU cost and energy per workload and hour,
//      upserted so the traffic columns other ingesters write survive;
//   3. the daily rollup (daily-rollup.ts) of every UTC day the window touches, rebuilt from the hourly
//      tables, so reports never read a day older than its hours; stale marks of the days the window
//      covers whole are cleared (a partly covered stale day stays stale: its other hours were not
//      recomputed);
//   4. a rollup_refreshes row.
// Idempotent and set-based: running it twice leaves the same rows (and rewrites none the second time).
//
// Rate semantics (docs: DOMAIN.md "GPU hourly rate"): `rate` is the price of one whole GPU for one hour,
// i.e. effective cost of the instance in the hour / GPUs on the instance (p5.48xlarge at $55.04/h →
// $6.88). A MIG slice's share enters through gpu_hours, which already carries its fraction (3g.40gb on
// an H100 = 3/7 GPU-hour per hour), so cost = rate × gpu_hours everywhere. Multiplying the rate by the
// fraction as well would count the fraction twice.
import type { PrismaClient } from "../db/client";
import { rebuildDailyRollups } from "./daily-rollup";

export const MAX_REFRESH_WINDOW_HOURS = 31 * 24;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** FOCUS charge periods never cross a billing period (≤ 31 days): bounds the bill-line scan from below. */
const LONGEST_CHARGE_PERIOD = "32 days";

export type RefreshRollupsInput = {
  orgId: string;
  /** Inclusive, a whole UTC hour. */
  from: Date;
  /** Exclusive, a whole UTC hour. */
  to: Date;
};

export type RefreshRollupsResult = {
  refreshId: string;
  orgId: string;
  from: Date;
  to: Date;
  /** gpu_hourly rows in the window. */
  gpuHourRows: number;
  /** Of those, rows with a rate. */
  ratedGpuHourRows: number;
  /** Rows whose rate, currency, category or energy actually changed. */
  gpuHourRowsChanged: number;
  /** (workload, hour) pairs with GPU sources in the window. */
  workloadHourRows: number;
  workloadHourRowsChanged: number;
  /** Rows without any GPU source left: zeroed when they carry traffic, deleted otherwise. */
  workloadHourRowsZeroed: number;
  workloadHourRowsDeleted: number;
  /** Workload-hours whose GPUs were billed in more than one currency (only one is summed, see below). */
  mixedCurrencyWorkloadHours: number;
  /** UTC days of the daily rollup rebuilt ([from, to) widened to whole days). */
  dailyDays: number;
  gpuDailyRows: number;
  /** Stale days cleared (those the window covers whole). */
  staleDaysCleared: number;
  durationMs: number;
};

function assertWindow({ from, to }: { from: Date; to: Date }) {
  for (const [name, d] of [["from", from], ["to", to]] as const) {
    if (!Number.isFinite(d.getTime()) || d.getTime() % HOUR_MS !== 0) {
      throw new Error(`refreshRollups: ${name} must be a whole UTC hour (got ${String(d)})`);
    }
  }
  const hours = (to.getTime() - from.getTime()) / HOUR_MS;
  if (hours < 1) throw new Error("refreshRollups: from must be before to");
  if (hours > MAX_REFRESH_WINDOW_HOURS) {
    throw new Error(`refreshRollups: window of ${hours} hours exceeds ${MAX_REFRESH_WINDOW_HOURS}; split it`);
  }
}

const n = (v: bigint | number | null | undefined) => Number(v ?? 0);

export async function refreshRollups(prisma: PrismaClient, { orgId, from, to }: RefreshRollupsInput): Promise<RefreshRollupsResult> {
  assertWindow({ from, to });
  const started = performance.now();

  return prisma.$transaction(
    async (tx) => {
      // Refreshes of one org run one at a time (overlapping windows would update the same rows in
      // different orders and deadlock); other orgs are not blocked.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`refresh-rollups:${orgId}`}, 0))`;
      // Every join below is an equality join over a whole window: hash-join shaped. Right after a bulk
      // load (ingestion, the demo seed) the tables have no statistics yet, the planner expects one row
      // everywhere and picks nested loops that rescan CTEs per row, or merge joins on half the key
      // (minutes instead of milliseconds). Ruling both out for this transaction keeps every plan linear
      // whatever the statistics; where a nested loop is the only way (generate_series per bill line)
      // Postgres still uses it. The penalty cost of a disabled node would then trigger JIT compilation
      // (seconds of LLVM for a millisecond query), so JIT is off too. SET LOCAL ends with the transaction.
      await tx.$executeRaw`SET LOCAL enable_nestloop = off`;
      await tx.$executeRaw`SET LOCAL enable_mergejoin = off`;
      await tx.$executeRaw`SET LOCAL jit = off`;

      const orgs = await tx.$queryRaw<{ currency: string }[]>`SELECT currency FROM orgs WHERE id = ${orgId}`;
      const org = orgs[0];
      if (!org) throw new Error(`refreshRollups: org ${orgId} does not exist`);

      // Cloud instances with GPU-hours in the window: their GPU bill lines are read through the
      // partial (org_id, resource_id, charge_period_start) WHERE gpu_model IS NOT NULL index, one
      // probe per instance.
      const instances = await tx.$queryRaw<{ id: string }[]>`
        SELECT DISTINCT g.provider_instance_id AS id
        FROM gpus g
        LEFT JOIN clusters c ON c.id = g.cluster_id AND c.org_id = g.org_id
        WHERE g.org_id = ${orgId} AND g.provider_instance_id IS NOT NULL AND c.provider IS DISTINCT FROM 'onprem'
          AND EXISTS (SELECT 1 FROM gpu_hourly h WHERE h.gpu_id = g.id AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz)`;
      const instanceIds = instances.map((i) => i.id);

      // ── 1. rates and energy on gpu_hourly ──
      const [gpu] = await tx.$queryRaw<{ total: bigint; rated: bigint; changed: bigint }[]>`
        WITH gh AS (
          SELECT h.gpu_id, h.hour, g.provider_instance_id, g.instance_type, c.provider AS cluster_provider,
                 c.id AS cluster_id
          FROM gpu_hourly h
          JOIN gpus g ON g.id = h.gpu_id AND g.org_id = h.org_id
          LEFT JOIN clusters c ON c.id = g.cluster_id AND c.org_id = g.org_id
          WHERE h.org_id = ${orgId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz
        ),
        -- Usage lines of those instances that overlap the window, each spread over the UTC hours it
        -- overlaps, prorated by overlap / line duration (an hourly line maps to its hour, a daily line
        -- gives each hour 1/24).
        lines AS (
          SELECT b.resource_id, b.charge_period_start AS cs, b.charge_period_end AS ce, b.effective_cost,
                 b.billed_cost, b.billing_currency, b.gpu_count, b.instance_type,
                 CASE b.pricing_category
                   WHEN 'Standard' THEN 'on-demand'
                   WHEN 'Dynamic' THEN 'spot'
                   WHEN 'Committed' THEN 'committed'
                   ELSE 'other'
                 END AS pricing_category
          FROM bill_line_items b
          WHERE b.org_id = ${orgId}
            AND b.resource_id = ANY(${instanceIds}::text[])
            AND b.gpu_model IS NOT NULL
            AND b.charge_category = 'Usage'
            AND b.charge_period_start >= ${from}::timestamptz - ${LONGEST_CHARGE_PERIOD}::interval
            AND b.charge_period_start < ${to}::timestamptz
            AND b.charge_period_end > ${from}::timestamptz
            AND b.charge_period_end > b.charge_period_start
        ),
        line_shares AS (
          SELECT l.resource_id, hr.hour, l.billing_currency, l.gpu_count, l.instance_type, l.pricing_category,
                 l.effective_cost * s.overlap / s.duration AS effective_share,
                 l.billed_cost * s.overlap / s.duration AS billed_share
          FROM lines l
          CROSS JOIN LATERAL generate_series(
            date_trunc('hour', GREATEST(l.cs, ${from}::timestamptz), 'UTC'),
            LEAST(l.ce, ${to}::timestamptz) - interval '1 microsecond',
            interval '1 hour'
          ) AS hr(hour)
          CROSS JOIN LATERAL (
            SELECT EXTRACT(EPOCH FROM LEAST(l.ce, hr.hour + interval '1 hour') - GREATEST(l.cs, hr.hour)) AS overlap,
                   EXTRACT(EPOCH FROM l.ce - l.cs) AS duration
          ) s
        ),
        instance_hours AS (
          SELECT resource_id, hour,
                 SUM(effective_share) AS effective_cost,
                 SUM(billed_share) AS billed_cost,
                 MIN(billing_currency) AS currency,
                 COUNT(DISTINCT billing_currency) AS currencies,
                 MAX(gpu_count) AS gpu_count,
                 MAX(instance_type) AS instance_type,
                 -- the category of the line that carries most of the hour's cost
                 (ARRAY_AGG(pricing_category ORDER BY effective_share DESC NULLS LAST, pricing_category))[1] AS pricing_category
          FROM line_shares
          GROUP BY resource_id, hour
        ),
        -- GPUs per instance when the bill line does not say: the org's catalog, by the GPU's own
        -- instance type first, then by the bill line's.
        catalog AS (
          SELECT DISTINCT ON (key) key, gpu_count
          FROM gpu_catalog
          WHERE org_id = ${orgId}
          ORDER BY key, provider
        ),
        -- On-prem clusters: the admin's rate per GPU-hour, else amortization (DOMAIN.md): capex over its
        -- life, power × PUE × price, colocation, per server, divided by GPUs per server. Missing opex
        -- inputs count as zero; missing capex, life or GPUs per server leave the rate unknown.
        onprem AS (
          SELECT c.id, c.currency,
                 COALESCE(
                   c.on_prem_hourly_rate,
                   CASE WHEN c.capex_per_server IS NOT NULL AND c.life_years > 0 AND c.gpus_per_server > 0 THEN
                     ( c.capex_per_server / (c.life_years * 8760)
                       + COALESCE(c.power_kw_per_server * COALESCE(c.pue, 1) * c.price_per_kwh, 0)
                       + COALESCE(c.colocation_hourly, 0)
                     ) / c.gpus_per_server
                   END
                 ) AS rate
          FROM clusters c
          WHERE c.org_id = ${orgId} AND c.provider = 'onprem'
        ),
        priced AS (
          SELECT gh.gpu_id, gh.hour, gh.cluster_provider, op.rate AS onprem_rate, op.currency AS onprem_currency,
                 ih.effective_cost, ih.billed_cost, ih.currency, ih.currencies, ih.pricing_category,
                 NULLIF(COALESCE(ih.gpu_count, cg.gpu_count, cl.gpu_count), 0) AS gpus_per_instance
          FROM gh
          LEFT JOIN onprem op ON op.id = gh.cluster_id
          LEFT JOIN instance_hours ih
            ON gh.cluster_provider IS DISTINCT FROM 'onprem' AND ih.resource_id = gh.provider_instance_id AND ih.hour = gh.hour
          LEFT JOIN catalog cg ON cg.key = gh.instance_type
          LEFT JOIN catalog cl ON cl.key = ih.instance_type
        ),
        rates AS (
          SELECT gpu_id, hour,
                 CASE WHEN cluster_provider = 'onprem' THEN onprem_rate
                      WHEN currencies = 1 THEN effective_cost / gpus_per_instance
                 END AS rate,
                 CASE WHEN cluster_provider = 'onprem' THEN onprem_rate
                      WHEN currencies = 1 THEN billed_cost / gpus_per_instance
                 END AS billed_rate,
                 CASE WHEN cluster_provider = 'onprem' THEN CASE WHEN onprem_rate IS NOT NULL THEN onprem_currency END
                      WHEN currencies = 1 AND gpus_per_instance IS NOT NULL THEN currency
                 END AS currency,
                 CASE WHEN cluster_provider = 'onprem' THEN 'on-prem' ELSE pricing_category END AS pricing_category
          FROM priced
        ),
        updated AS (
          UPDATE gpu_hourly h
          SET rate = r.rate,
              billed_rate = r.billed_rate,
              currency = r.currency,
              pricing_category = r.pricing_category,
              energy_wh = CASE WHEN h.power_w IS NOT NULL THEN h.power_w * h.gpu_hours::float8 ELSE h.energy_wh END
          FROM rates r
          WHERE h.org_id = ${orgId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz
            AND h.gpu_id = r.gpu_id AND h.hour = r.hour
            AND (h.rate, h.billed_rate, h.currency, h.pricing_category, h.energy_wh)
                IS DISTINCT FROM
                (r.rate, r.billed_rate, r.currency, r.pricing_category,
                 CASE WHEN h.power_w IS NOT NULL THEN h.power_w * h.gpu_hours::float8 ELSE h.energy_wh END)
          RETURNING 1
        )
        SELECT COUNT(*) AS total,
               COUNT(*) FILTER (WHERE rate IS NOT NULL) AS rated,
               (SELECT COUNT(*) FROM updated) AS changed
        FROM rates`;

      // ── 2a. workload-hours whose GPU sources are gone: zero them if they carry traffic, else delete ──
      // The window bound inside NOT EXISTS is redundant for the result (w.hour is in the window) but not
      // for the plan: with nested loops off the anti join hashes its inner side, and unbounded that is
      // all of the org's gpu_hourly (9 million rows a year on 1,024 GPUs: 37 s instead of 50 ms).
      const [stale] = await tx.$queryRaw<{ deleted: bigint; zeroed: bigint }[]>`
        WITH deleted AS (
          DELETE FROM workload_hourly w
          WHERE w.org_id = ${orgId} AND w.hour >= ${from}::timestamptz AND w.hour < ${to}::timestamptz
            AND w.inferences = 0 AND w.failures = 0 AND w.prompt_tokens = 0 AND w.generation_tokens = 0
            AND w.cpu_cost = 0 AND w.ram_cost = 0
            AND (w.latency_histogram IS NULL OR w.latency_histogram = 'null'::jsonb)
            AND NOT EXISTS (
              SELECT 1 FROM gpu_hourly h
              WHERE h.org_id = ${orgId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz
                AND h.workload_id = w.workload_id AND h.hour = w.hour
            )
          RETURNING 1
        ),
        zeroed AS (
          UPDATE workload_hourly w
          SET gpu_hours = 0, useful_gpu_hours = 0, gpu_cost = 0, energy_wh = 0
          WHERE w.org_id = ${orgId} AND w.hour >= ${from}::timestamptz AND w.hour < ${to}::timestamptz
            AND (w.gpu_hours <> 0 OR w.useful_gpu_hours <> 0 OR w.gpu_cost <> 0 OR w.energy_wh <> 0)
            AND NOT EXISTS (
              SELECT 1 FROM gpu_hourly h
              WHERE h.org_id = ${orgId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz
                AND h.workload_id = w.workload_id AND h.hour = w.hour
            )
          RETURNING 1
        )
        SELECT (SELECT COUNT(*) FROM deleted) AS deleted, (SELECT COUNT(*) FROM zeroed) AS zeroed`;

      // ── 2b. workload-hours from gpu_hourly (after step 1, so rates and energy are fresh) ──
      // Currencies are never added together: a workload-hour on GPUs billed in two currencies sums
      // only one of them (the org's if present, else the larger amount) and is counted as mixed.
      const [wl] = await tx.$queryRaw<{ total: bigint; changed: bigint; mixed: bigint }[]>`
        WITH per_currency AS (
          SELECT h.workload_id, h.hour,
                 CASE WHEN h.rate IS NOT NULL THEN h.currency END AS currency,
                 SUM(h.gpu_hours) AS gpu_hours,
                 COALESCE(SUM(h.utilization::numeric * h.gpu_hours) FILTER (WHERE h.utilization IS NOT NULL), 0) AS useful_gpu_hours,
                 COALESCE(SUM(h.energy_wh), 0) AS energy_wh,
                 SUM(h.rate * h.gpu_hours) AS cost
          FROM gpu_hourly h
          JOIN workloads wk ON wk.id = h.workload_id AND wk.org_id = h.org_id
          WHERE h.org_id = ${orgId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz
          GROUP BY 1, 2, 3
        ),
        src AS (
          SELECT workload_id, hour,
                 SUM(gpu_hours) AS gpu_hours,
                 SUM(useful_gpu_hours) AS useful_gpu_hours,
                 SUM(energy_wh) AS energy_wh,
                 (ARRAY_AGG(cost ORDER BY currency = ${org.currency} DESC, cost DESC, currency)
                   FILTER (WHERE currency IS NOT NULL AND cost IS NOT NULL))[1] AS gpu_cost,
                 (ARRAY_AGG(currency ORDER BY currency = ${org.currency} DESC, cost DESC, currency)
                   FILTER (WHERE currency IS NOT NULL AND cost IS NOT NULL))[1] AS currency,
                 COUNT(*) FILTER (WHERE currency IS NOT NULL AND cost IS NOT NULL) AS currencies
          FROM per_currency
          GROUP BY workload_id, hour
        ),
        upserted AS (
          INSERT INTO workload_hourly AS w (org_id, workload_id, hour, gpu_hours, useful_gpu_hours, gpu_cost, currency, energy_wh)
          SELECT ${orgId}, s.workload_id, s.hour, s.gpu_hours, s.useful_gpu_hours, COALESCE(s.gpu_cost, 0),
                 COALESCE(s.currency, ${org.currency}), s.energy_wh
          FROM src s
          ON CONFLICT (workload_id, hour) DO UPDATE
          SET gpu_hours = EXCLUDED.gpu_hours,
              useful_gpu_hours = EXCLUDED.useful_gpu_hours,
              gpu_cost = EXCLUDED.gpu_cost,
              -- keep the currency the traffic ingesters wrote when there is no GPU cost to speak for
              currency = CASE WHEN EXCLUDED.gpu_cost <> 0 THEN EXCLUDED.currency ELSE w.currency END,
              energy_wh = EXCLUDED.energy_wh
          WHERE w.org_id = EXCLUDED.org_id
            AND (w.gpu_hours, w.useful_gpu_hours, w.gpu_cost, w.energy_wh,
                 CASE WHEN EXCLUDED.gpu_cost <> 0 THEN EXCLUDED.currency ELSE w.currency END)
                IS DISTINCT FROM
                (EXCLUDED.gpu_hours::numeric(12, 6), EXCLUDED.useful_gpu_hours::numeric(12, 6),
                 EXCLUDED.gpu_cost::numeric(18, 8), EXCLUDED.energy_wh, w.currency)
          RETURNING 1
        )
        SELECT (SELECT COUNT(*) FROM src) AS total,
               (SELECT COUNT(*) FROM upserted) AS changed,
               (SELECT COUNT(*) FROM src WHERE currencies > 1) AS mixed`;

      // ── 3. the daily rollup of the touched days ──
      const dayFrom = new Date(Math.floor(from.getTime() / DAY_MS) * DAY_MS);
      const dayTo = new Date(Math.ceil(to.getTime() / DAY_MS) * DAY_MS);
      const daily = await rebuildDailyRollups(tx, {
        orgId,
        dayFrom,
        dayTo,
        clearFrom: new Date(Math.ceil(from.getTime() / DAY_MS) * DAY_MS),
        clearTo: new Date(Math.floor(to.getTime() / DAY_MS) * DAY_MS),
      });

      const durationMs = Math.round(performance.now() - started);
      const result = {
        orgId,
        from,
        to,
        gpuHourRows: n(gpu?.total),
        ratedGpuHourRows: n(gpu?.rated),
        gpuHourRowsChanged: n(gpu?.changed),
        workloadHourRows: n(wl?.total),
        workloadHourRowsChanged: n(wl?.changed),
        workloadHourRowsZeroed: n(stale?.zeroed),
        workloadHourRowsDeleted: n(stale?.deleted),
        mixedCurrencyWorkloadHours: n(wl?.mixed),
        dailyDays: (dayTo.getTime() - dayFrom.getTime()) / DAY_MS,
        gpuDailyRows: daily.gpuDailyRows,
        staleDaysCleared: daily.staleDaysCleared,
        durationMs,
      };
      const refresh = await tx.rollupRefresh.create({
        data: {
          orgId,
          windowStart: from,
          windowEnd: to,
          gpuHours: result.gpuHourRows,
          workloadHours: result.workloadHourRows,
          durationMs,
        },
        select: { id: true },
      });
      return { refreshId: refresh.id, ...result };
    },
    { maxWait: 10_000, timeout: 120_000 },
  );
}
