// Prototype of the daily rollup the reports need to meet their targets (docs/metrics.md "Speed"),
// built in the bench database only: the schema change it stands for is proposed, not migrated.
//
// Three tables, each keyed by (org, UTC day, ...) and indexed (org_id, day):
//   gpu_daily               GPU-hour partial sums per (day, cluster, GPU model, instance, workload,
//                           namespace, pricing category, priced currency), for both cost bases;
//   workload_daily          traffic and CPU/RAM cost per (day, workload, currency);
//   workload_latency_daily  latency histogram counts summed per (day, workload, bucket layout).
// A report reads whole days from them and the partial days at the window's edges from the hourly
// tables (same column contract, lib/costs/queries/common.ts ReportSources), so any whole-hour window
// gives exactly the numbers of the hourly path. Maintained by replacing the days a refresh touches
// (refreshDaily below), in the rollup job's transaction, after the hourly rollup of the same window.
// The idle threshold is the org's at refresh time: changing it must rebuild the org's days.
import pg from "pg";
import { Prisma, type PrismaClient } from "../lib/db/client";
import {
  hourlyGpuFacts,
  hourlyLatencyFacts,
  hourlyWorkloadFacts,
  type GpuFactsSource,
  type LatencyFactsSource,
  type ReportSources,
  type WorkloadFactsSource,
} from "../lib/costs/queries/common";
import type { ReportKind, ReportQuery } from "../lib/domain/reports";
import { CASES, timeIt } from "./reports-cases";

const DAY = 86_400_000;
const HOUR = 3_600_000;

export const DAILY_ROLLUP_DDL = `
CREATE TABLE IF NOT EXISTS gpu_daily (
  id                   bigserial PRIMARY KEY,
  org_id               text NOT NULL,
  day                  date NOT NULL,
  cluster_id           text,
  gpu_model            text NOT NULL,
  provider_instance_id text,
  workload_id          text,
  namespace            text,
  pricing_category     text,
  currency             varchar(3),
  gpu_hours            numeric NOT NULL,
  known_gpu_hours      numeric NOT NULL,
  useful_gpu_hours     float8 NOT NULL,
  idle_gpu_hours       numeric NOT NULL,
  cost                 numeric,
  billed_cost          numeric,
  gap_cost             numeric,
  billed_gap_cost      numeric,
  idle_cost            numeric,
  billed_idle_cost     numeric,
  useful_cost          float8,
  billed_useful_cost   float8,
  energy_wh            float8,
  first_hour           timestamptz,
  last_hour            timestamptz
);
CREATE INDEX IF NOT EXISTS gpu_daily_org_id_day_idx ON gpu_daily (org_id, day);
CREATE TABLE IF NOT EXISTS workload_daily (
  id                bigserial PRIMARY KEY,
  org_id            text NOT NULL,
  day               date NOT NULL,
  workload_id       text NOT NULL,
  currency          varchar(3) NOT NULL,
  cpu_ram_cost      numeric NOT NULL,
  inferences        float8 NOT NULL,
  failures          float8 NOT NULL,
  prompt_tokens     float8 NOT NULL,
  generation_tokens float8 NOT NULL
);
CREATE INDEX IF NOT EXISTS workload_daily_org_id_day_idx ON workload_daily (org_id, day);
CREATE TABLE IF NOT EXISTS workload_latency_daily (
  id          bigserial PRIMARY KEY,
  org_id      text NOT NULL,
  day         date NOT NULL,
  workload_id text NOT NULL,
  le          jsonb NOT NULL,
  counts      float8[] NOT NULL
);
CREATE INDEX IF NOT EXISTS workload_latency_daily_org_id_day_idx ON workload_latency_daily (org_id, day);`;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Replaces the org's daily rows for the UTC days [dayFrom, dayTo) from the hourly tables. */
export async function refreshDaily(client: pg.PoolClient | pg.Client, { orgId, dayFrom, dayTo }: { orgId: string; dayFrom: Date; dayTo: Date }) {
  const args = [orgId, isoDay(dayFrom), isoDay(dayTo)];
  const hours = `h.org_id = $1 AND h.hour >= $2::date::timestamp AT TIME ZONE 'UTC' AND h.hour < $3::date::timestamp AT TIME ZONE 'UTC'`;
  await client.query("BEGIN");
  await client.query("SET LOCAL jit = off");
  await client.query("SET LOCAL enable_sort = off");
  await client.query("SET LOCAL work_mem = '64MB'");
  for (const t of ["gpu_daily", "workload_daily", "workload_latency_daily"]) await client.query(`DELETE FROM ${t} WHERE org_id = $1 AND day >= $2::date AND day < $3::date`, args);
  await client.query(
    `INSERT INTO gpu_daily (org_id, day, cluster_id, gpu_model, provider_instance_id, workload_id, namespace, pricing_category, currency,
       gpu_hours, known_gpu_hours, useful_gpu_hours, idle_gpu_hours, cost, billed_cost, gap_cost, billed_gap_cost, idle_cost, billed_idle_cost,
       useful_cost, billed_useful_cost, energy_wh, first_hour, last_hour)
     SELECT h.org_id, (h.hour AT TIME ZONE 'UTC')::date, g.cluster_id, g.model, g.provider_instance_id, h.workload_id, h.namespace, h.pricing_category,
            CASE WHEN h.rate IS NOT NULL THEN h.currency END,
            SUM(h.gpu_hours), COALESCE(SUM(h.gpu_hours) FILTER (WHERE h.utilization IS NOT NULL), 0),
            COALESCE(SUM(u.u * h.gpu_hours::float8), 0), COALESCE(SUM(h.gpu_hours) FILTER (WHERE u.u < o.thr), 0),
            SUM(h.rate * h.gpu_hours), SUM(h.billed_rate * h.gpu_hours),
            SUM(h.rate * h.gpu_hours) FILTER (WHERE h.utilization IS NULL), SUM(h.billed_rate * h.gpu_hours) FILTER (WHERE h.utilization IS NULL),
            SUM(h.rate * h.gpu_hours) FILTER (WHERE u.u < o.thr), SUM(h.billed_rate * h.gpu_hours) FILTER (WHERE u.u < o.thr),
            SUM((h.rate * h.gpu_hours)::float8 * u.u), SUM((h.billed_rate * h.gpu_hours)::float8 * u.u),
            SUM(h.energy_wh), MIN(h.hour) FILTER (WHERE h.gpu_hours > 0), MAX(h.hour) FILTER (WHERE h.gpu_hours > 0)
     FROM gpu_hourly h
     JOIN gpus g ON g.id = h.gpu_id AND g.org_id = $1
     CROSS JOIN (SELECT idle_threshold::float8 AS thr FROM orgs WHERE id = $1) o
     CROSS JOIN LATERAL (SELECT CASE WHEN h.utilization IS NOT NULL THEN LEAST(GREATEST(h.utilization, 0), 1) END AS u) u
     WHERE ${hours}
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
    args,
  );
  await client.query(
    `INSERT INTO workload_daily (org_id, day, workload_id, currency, cpu_ram_cost, inferences, failures, prompt_tokens, generation_tokens)
     SELECT h.org_id, (h.hour AT TIME ZONE 'UTC')::date, h.workload_id, h.currency, SUM(h.cpu_cost + h.ram_cost),
            SUM(h.inferences), SUM(h.failures), SUM(h.prompt_tokens), SUM(h.generation_tokens)
     FROM workload_hourly h
     WHERE ${hours}
       AND (h.cpu_cost <> 0 OR h.ram_cost <> 0 OR h.inferences <> 0 OR h.failures <> 0 OR h.prompt_tokens <> 0 OR h.generation_tokens <> 0)
     GROUP BY 1, 2, 3, 4`,
    args,
  );
  await client.query(
    `INSERT INTO workload_latency_daily (org_id, day, workload_id, le, counts)
     SELECT $1, day, wid, le, array_agg(v ORDER BY ord)
     FROM (
       SELECT (h.hour AT TIME ZONE 'UTC')::date AS day, h.workload_id AS wid, h.latency_histogram -> 'le' AS le, c.ord,
              SUM(CASE WHEN jsonb_typeof(c.v) = 'number' THEN c.v::float8 END) AS v
       FROM workload_hourly h
       CROSS JOIN LATERAL jsonb_array_elements(h.latency_histogram -> 'counts') WITH ORDINALITY AS c(v, ord)
       WHERE ${hours} AND h.latency_histogram IS NOT NULL
         AND CASE WHEN jsonb_typeof(h.latency_histogram -> 'le') = 'array' AND jsonb_typeof(h.latency_histogram -> 'counts') = 'array'
                  THEN jsonb_array_length(h.latency_histogram -> 'counts') = jsonb_array_length(h.latency_histogram -> 'le') + 1
                  ELSE false END
       GROUP BY 1, 2, 3, 4
     ) x
     GROUP BY day, wid, le`,
    args,
  );
  await client.query("COMMIT");
}

/** Whole UTC days inside [from, to), and the hourly edges around them. */
function split(from: Date, to: Date) {
  const dayFrom = new Date(Math.ceil(from.getTime() / DAY) * DAY);
  const dayTo = new Date(Math.floor(to.getTime() / DAY) * DAY);
  if (dayFrom >= dayTo) return null;
  const edges = [
    ...(from < dayFrom ? [{ from, to: dayFrom }] : []),
    ...(dayTo < to ? [{ from: dayTo, to }] : []),
  ];
  return { dayFrom: isoDay(dayFrom), dayTo: isoDay(dayTo), edges };
}

const dailyGpuFacts: GpuFactsSource = (args) => {
  const w = split(args.from, args.to);
  if (!w) return hourlyGpuFacts(args);
  const b = args.costBasis === "billed" ? "billed_" : "";
  const daily = Prisma.sql`
    SELECT d.cluster_id, d.gpu_model, d.provider_instance_id AS pid, d.workload_id, d.namespace, d.pricing_category, d.currency AS cur,
           d.gpu_hours AS gh, d.known_gpu_hours AS known_gh, d.useful_gpu_hours AS useful, d.idle_gpu_hours AS idle_gh,
           ${Prisma.raw(`d.${b}cost AS cost, d.${b}gap_cost AS gap_cost, d.${b}idle_cost AS idle_cost, d.${b}useful_cost AS useful_cost`)},
           d.energy_wh AS wh, d.first_hour, d.last_hour
    FROM gpu_daily d
    WHERE d.org_id = ${args.org.orgId} AND d.day >= ${w.dayFrom}::date AND d.day < ${w.dayTo}::date
      ${args.scoped ? Prisma.sql`AND d.workload_id IN (SELECT id FROM scope)` : Prisma.empty}`;
  return Prisma.join([daily, ...w.edges.map((e) => hourlyGpuFacts({ ...args, ...e }))], " UNION ALL ");
};

const dailyWorkloadFacts: WorkloadFactsSource = (args) => {
  const w = split(args.from, args.to);
  if (!w) return hourlyWorkloadFacts(args);
  const daily = Prisma.sql`
    SELECT d.workload_id, d.currency AS cur, d.cpu_ram_cost AS cpu_ram, d.inferences, d.failures, d.prompt_tokens, d.generation_tokens
    FROM workload_daily d
    WHERE d.org_id = ${args.org.orgId} AND d.day >= ${w.dayFrom}::date AND d.day < ${w.dayTo}::date AND d.workload_id IN (SELECT id FROM scope)`;
  return Prisma.join([daily, ...w.edges.map((e) => hourlyWorkloadFacts({ ...args, ...e }))], " UNION ALL ");
};

const dailyLatencyFacts: LatencyFactsSource = (args) => {
  const w = split(args.from, args.to);
  if (!w) return hourlyLatencyFacts(args);
  const daily = Prisma.sql`
    SELECT d.workload_id AS wid, d.le, c.ord, c.v
    FROM workload_latency_daily d
    CROSS JOIN LATERAL unnest(d.counts) WITH ORDINALITY AS c(v, ord)
    WHERE d.org_id = ${args.org.orgId} AND d.day >= ${w.dayFrom}::date AND d.day < ${w.dayTo}::date AND d.workload_id IN (SELECT id FROM scope)`;
  return Prisma.join([daily, ...w.edges.map((e) => hourlyLatencyFacts({ ...args, ...e }))], " UNION ALL ");
};

export const DAILY_SOURCES: ReportSources = { gpuFacts: dailyGpuFacts, workloadFacts: dailyWorkloadFacts, latencyFacts: dailyLatencyFacts };

const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;

/** Builds the rollup for the whole fleet, times a one-day refresh, then every report on it (checked against the hourly path). */
export async function benchDailyRollup({ prisma, pool, orgId, end, windows, runs }: { prisma: PrismaClient; pool: pg.Pool; orgId: string; end: Date; windows: number[]; runs: number }) {
  const { runReport } = await import("../lib/costs/run-report");
  const client = await pool.connect();
  try {
    await client.query(DAILY_ROLLUP_DDL);
    const [{ min }] = (await client.query<{ min: Date }>("SELECT min(hour) AS min FROM gpu_hourly WHERE org_id = $1", [orgId])).rows as [{ min: Date }];
    const first = new Date(Math.floor(min.getTime() / DAY) * DAY);
    let t0 = performance.now();
    // Month by month, as a backfill job would (each one transaction).
    for (let d = first; d < end; d = new Date(Math.min(end.getTime(), d.getTime() + 31 * DAY))) {
      await refreshDaily(client, { orgId, dayFrom: d, dayTo: new Date(Math.min(end.getTime(), d.getTime() + 31 * DAY)) });
    }
    const build = performance.now() - t0;
    await client.query("VACUUM ANALYZE gpu_daily, workload_daily, workload_latency_daily");
    const counts = (await client.query<{ g: string; w: string; l: string; size: string }>(
      `SELECT (SELECT count(*) FROM gpu_daily WHERE org_id = $1) AS g, (SELECT count(*) FROM workload_daily WHERE org_id = $1) AS w,
              (SELECT count(*) FROM workload_latency_daily WHERE org_id = $1) AS l,
              pg_size_pretty(pg_total_relation_size('gpu_daily') + pg_total_relation_size('workload_daily') + pg_total_relation_size('workload_latency_daily')) AS size`,
      [orgId],
    )).rows[0]!;
    t0 = performance.now();
    const lastDay = new Date(end.getTime() - DAY);
    await refreshDaily(client, { orgId, dayFrom: lastDay, dayTo: end });
    const oneDay = performance.now() - t0;
    console.log(`\ndaily rollup (prototype, bench database only): built in ${(build / 1000).toFixed(1)} s; ${Number(counts.g).toLocaleString("en-US")} gpu_daily, ${Number(counts.w).toLocaleString("en-US")} workload_daily, ${Number(counts.l).toLocaleString("en-US")} latency rows, ${counts.size}; refreshing one day: ${oneDay.toFixed(0)} ms`);
  } finally {
    client.release();
  }

  const rows: string[][] = [];
  for (const d of windows) {
    const to = new Date(end.getTime() - 5 * HOUR);
    const from = new Date(to.getTime() - d * DAY);
    for (const c of CASES) {
      const query: Omit<ReportQuery, "format"> = { from, to, groupBy: c.groupBy ?? [], filters: {}, costBasis: "effective" };
      const kind: ReportKind = c.kind;
      // Same numbers as the hourly path (money exactly; float-derived figures to 1e-6).
      const [viaRollup, viaHourly] = [await runReport(prisma, { orgId, kind, query, sources: DAILY_SOURCES }), await runReport(prisma, { orgId, kind, query })];
      const same = sameNumbers(viaRollup.totals, viaHourly.totals) && viaRollup.rows.length === viaHourly.rows.length;
      const timing = await timeIt(runs, async () => JSON.stringify(await runReport(prisma, { orgId, kind, query, sources: DAILY_SOURCES })));
      rows.push([`${d} d`, c.label, ms(timing.p50), ms(timing.p95), same ? "same" : "DIFFERENT", timing.p95 < (d <= 30 ? 300 : 1000) ? "ok" : "MISSED"]);
      console.log(rows.at(-1)!.join("  "));
    }
  }
  console.log("\nwindow  report (daily rollup + hourly edges)  p50 report  p95 report  vs hourly path  target");
  for (const r of rows) console.log(`${r[0]!.padEnd(7)} ${r[1]!.padEnd(37)} ${r[2]}   ${r[3]}   ${r[4]!.padEnd(14)}  ${r[5]}`);
}

function sameNumbers(a: unknown, b: unknown): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k of Object.keys(y)) {
    if (k === "byCurrency") continue;
    const [p, q] = [x[k], y[k]];
    if (typeof p === "number" && typeof q === "number") {
      if (Math.abs(p - q) > 1e-6 * Math.max(1, Math.abs(q))) return false;
    } else if (k === "unusedCapacityCost" && typeof p === "string" && typeof q === "string") {
      if (Math.abs(Number(p) - Number(q)) > 1e-4) return false;
    } else if (p !== q) return false;
  }
  return true;
}
