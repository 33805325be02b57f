// The daily rollup the reports read for whole UTC days (docs/metrics.md "Speed").
//
// Three daily tables, keyed by (org, UTC day, ...) and indexed (org_id, day), hold the same partial sums the
// report sources (queries/common.ts ReportSources) give per gpu_hourly / workload_hourly row, summed
// per day:
//   gpu_daily               per (cluster, GPU model, instance, workload, namespace, pricing category,
//                           priced currency of each cost basis), both cost bases;
//   workload_daily          traffic and CPU/RAM cost per (workload, currency);
//   workload_latency_daily  latency histogram counts per (workload, bucket layout);
// and gpu_hourly_groups, gpu_daily's sums per hour (gpu_hourly grouped by the same keys: ~140 rows an
// hour for 1,024 GPUs instead of 1,024), built first, gpu_daily being summed from it.
// A report reads whole days from the daily tables, the partial days at the window's edges from
// gpu_hourly_groups and workload_hourly, and any stale day from the hourly tables themselves
// (planWindow), so every whole-hour window gives the hourly path's numbers exactly: the sums
// are numeric (float utilization and energy are taken as numeric per hour first), so adding per day
// and then per window gives the same digits as adding per window; traffic and histogram counts are
// whole numbers, exact in float8 in any order.
//
// Maintenance: rebuildDailyRollups replaces the days a rollup refresh touches, inside the refresh's
// transaction, after the hourly rollup of the same window, so the daily tables are never older than
// the hourly ones. Rows carry what the hourly path reads at query time from elsewhere (a GPU's
// cluster, model and instance; the org's idle threshold): when those change, the days concerned are
// marked in rollup_stale_days (a trigger on gpus; markOrgDaysStale for the threshold). Reports read
// stale days from the hourly tables, and the rollups job refreshes them (workers/processors/rollups.ts).
import { Prisma, type PrismaClient } from "../db/client";
import {
  hourlyGpuFacts,
  hourlyLatencyFacts,
  hourlyWorkloadFacts,
  type GpuFactsArgs,
  type ReportSources,
  type WindowArgs,
} from "./queries/common";

const DAY_MS = 86_400_000;
type Tx = Prisma.TransactionClient | PrismaClient;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The columns gpu_daily and gpu_hourly_groups share, after their time key. */
const GPU_GROUP_COLUMNS = (time: "day" | "hour") =>
  Prisma.raw(`org_id, ${time}, cluster_id, gpu_model, provider_instance_id, workload_id, namespace, pricing_category, currency, billed_currency,
    gpu_hours, known_gpu_hours, useful_gpu_hours, idle_gpu_hours, cost, billed_cost, gap_cost, billed_gap_cost, idle_cost,
    billed_idle_cost, useful_cost, billed_useful_cost, energy_wh, first_hour, last_hour`);
const dayStart = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

export type RebuildDailyResult = { gpuHourlyGroupRows: number; gpuDailyRows: number; workloadDailyRows: number; latencyDailyRows: number; staleDaysCleared: number };

/**
 * Replaces the org's daily rows for the UTC days [dayFrom, dayTo) from the hourly tables, and clears
 * the stale marks of the days in [clearFrom, clearTo) (default: all of them). Run it in the transaction
 * that wrote the hourly rows. Reads the org's current idle threshold.
 */
export async function rebuildDailyRollups(
  tx: Tx,
  { orgId, dayFrom, dayTo, clearFrom = dayFrom, clearTo = dayTo }: { orgId: string; dayFrom: Date; dayTo: Date; clearFrom?: Date; clearTo?: Date },
): Promise<RebuildDailyResult> {
  const [df, dt] = [isoDay(dayFrom), isoDay(dayTo)];
  // Grouping a day of 1,024 GPUs' hours sorts ~25,000 rows: in memory, not in a temp file (ends with
  // the caller's transaction).
  await tx.$executeRaw`SET LOCAL work_mem = '64MB'`;
  // Group by hashing, not sorting: without statistics (right after a load) the planner expects one
  // row and sorts; hashing the window's rows is a quarter faster, and every sum below is exact in any
  // order (numeric, or whole counts in float8). Ordered aggregates (array_agg ... ORDER BY) still sort
  // their own input. Switched back at the end: the caller's float sums (workload energy) are not.
  await tx.$executeRaw`SET LOCAL enable_sort = off`;
  const hours = Prisma.sql`h.org_id = ${orgId} AND h.hour >= ${dayFrom}::timestamptz AND h.hour < ${dayTo}::timestamptz`;
  await tx.$executeRaw`DELETE FROM gpu_daily WHERE org_id = ${orgId} AND day >= ${df}::date AND day < ${dt}::date`;
  await tx.$executeRaw`DELETE FROM workload_daily WHERE org_id = ${orgId} AND day >= ${df}::date AND day < ${dt}::date`;
  await tx.$executeRaw`DELETE FROM workload_latency_daily WHERE org_id = ${orgId} AND day >= ${df}::date AND day < ${dt}::date`;
  await tx.$executeRaw`DELETE FROM gpu_hourly_groups WHERE org_id = ${orgId} AND hour >= ${dayFrom}::timestamptz AND hour < ${dayTo}::timestamptz`;
  // The facts of hourlyGpuFacts (queries/common.ts), summed per hour and key. u: utilization clamped to
  // 0-1, NULL for a gap; the threshold compares as float8, as the reports do. The per-row terms are
  // computed once in a subquery (OFFSET 0 keeps it from being flattened, which would convert u and
  // energy to numeric once per aggregate that uses them), the threshold once for the statement.
  const gpuHourlyGroupRows = await tx.$executeRaw`
    INSERT INTO gpu_hourly_groups (${GPU_GROUP_COLUMNS("hour")})
    SELECT h.org_id, h.hour, g.cluster_id, g.model, g.provider_instance_id, h.workload_id, h.namespace, h.pricing_category,
           h.currency, h.billed_currency,
           SUM(h.gpu_hours),
           COALESCE(SUM(h.gpu_hours) FILTER (WHERE h.utilization IS NOT NULL), 0),
           COALESCE(SUM(h.un * h.gpu_hours), 0),
           COALESCE(SUM(h.gpu_hours) FILTER (WHERE h.idle), 0),
           SUM(h.cost), SUM(h.billed_cost),
           SUM(h.cost) FILTER (WHERE h.utilization IS NULL),
           SUM(h.billed_cost) FILTER (WHERE h.utilization IS NULL),
           SUM(h.cost) FILTER (WHERE h.idle),
           SUM(h.billed_cost) FILTER (WHERE h.idle),
           SUM(h.cost * h.un), SUM(h.billed_cost * h.un),
           SUM(h.wh),
           MIN(h.hour) FILTER (WHERE h.gpu_hours > 0), MAX(h.hour) FILTER (WHERE h.gpu_hours > 0)
    FROM (
      SELECT h.org_id, h.gpu_id, h.hour, h.workload_id, h.namespace, h.pricing_category, h.utilization, h.gpu_hours,
             CASE WHEN h.rate IS NOT NULL THEN h.currency END AS currency,
             CASE WHEN h.billed_rate IS NOT NULL THEN h.currency END AS billed_currency,
             h.rate * h.gpu_hours AS cost, h.billed_rate * h.gpu_hours AS billed_cost,
             u.u::numeric AS un,
             u.u < (SELECT idle_threshold::float8 FROM orgs WHERE id = ${orgId}) AS idle,
             h.energy_wh::numeric AS wh
      FROM gpu_hourly h
      CROSS JOIN LATERAL (SELECT CASE WHEN h.utilization IS NOT NULL THEN LEAST(GREATEST(h.utilization, 0), 1) END AS u) u
      WHERE ${hours}
      OFFSET 0
    ) h
    JOIN gpus g ON g.id = h.gpu_id AND g.org_id = ${orgId}
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`;
  // The days from the hours: numeric sums of sums, the same digits.
  const gpuDailyRows = await tx.$executeRaw`
    INSERT INTO gpu_daily (${GPU_GROUP_COLUMNS("day")})
    SELECT org_id, (hour AT TIME ZONE 'UTC')::date, cluster_id, gpu_model, provider_instance_id, workload_id, namespace, pricing_category,
           currency, billed_currency, SUM(gpu_hours), SUM(known_gpu_hours), SUM(useful_gpu_hours), SUM(idle_gpu_hours),
           SUM(cost), SUM(billed_cost), SUM(gap_cost), SUM(billed_gap_cost), SUM(idle_cost), SUM(billed_idle_cost),
           SUM(useful_cost), SUM(billed_useful_cost), SUM(energy_wh), MIN(first_hour), MAX(last_hour)
    FROM gpu_hourly_groups
    WHERE org_id = ${orgId} AND hour >= ${dayFrom}::timestamptz AND hour < ${dayTo}::timestamptz
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`;
  const workloadDailyRows = await tx.$executeRaw`
    INSERT INTO workload_daily (org_id, day, workload_id, currency, cpu_ram_cost, inferences, failures, prompt_tokens, generation_tokens)
    SELECT h.org_id, (h.hour AT TIME ZONE 'UTC')::date, h.workload_id, h.currency, SUM(h.cpu_cost + h.ram_cost),
           SUM(h.inferences), SUM(h.failures), SUM(h.prompt_tokens), SUM(h.generation_tokens)
    FROM workload_hourly h
    WHERE ${hours}
    GROUP BY 1, 2, 3, 4`;
  // Well-formed histograms only, as hourlyLatencyFacts reads them; a count that is not a number is NULL
  // and SUM skips it, as the report's SUM over the hourly rows does.
  const latencyDailyRows = await tx.$executeRaw`
    INSERT INTO workload_latency_daily (org_id, day, workload_id, le, counts)
    SELECT ${orgId}, day, wid, le, array_agg(v ORDER BY ord)
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
    GROUP BY day, wid, le`;
  await tx.$executeRaw`SET LOCAL enable_sort = on`;
  const staleDaysCleared =
    clearFrom < clearTo
      ? await tx.$executeRaw`DELETE FROM rollup_stale_days WHERE org_id = ${orgId} AND day >= ${isoDay(clearFrom)}::date AND day < ${isoDay(clearTo)}::date`
      : 0;
  return { gpuHourlyGroupRows, gpuDailyRows, workloadDailyRows, latencyDailyRows, staleDaysCleared };
}

/**
 * Marks every day of the org that has daily GPU rows stale (their idle sums used the old threshold).
 * Run it in the transaction that changes the threshold; the rollups job rebuilds the days.
 */
export async function markOrgDaysStale(tx: Tx, orgId: string): Promise<number> {
  return tx.$executeRaw`
    INSERT INTO rollup_stale_days (org_id, day)
    SELECT DISTINCT org_id, day FROM gpu_daily WHERE org_id = ${orgId}
    ON CONFLICT DO NOTHING`;
}

/** The org's stale days as contiguous [from, to) windows of at most maxDays whole days each. */
export async function staleWindows(prisma: Tx, orgId: string, maxDays = 31): Promise<{ from: Date; to: Date }[]> {
  const rows = await prisma.$queryRaw<{ day: string }[]>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day FROM rollup_stale_days WHERE org_id = ${orgId} ORDER BY day`;
  return daysToWindows(rows.map((r) => r.day), maxDays);
}

/** Orgs with stale days marked before the given time. */
export async function orgsWithStaleDays(prisma: Tx, markedBefore: Date): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ org_id: string }[]>`
    SELECT DISTINCT org_id FROM rollup_stale_days WHERE marked_at < ${markedBefore}::timestamptz ORDER BY org_id`;
  return rows.map((r) => r.org_id);
}

/** Sorted ISO days → contiguous [from, to) windows of at most maxDays days. */
export function daysToWindows(days: string[], maxDays = Infinity): { from: Date; to: Date }[] {
  const out: { from: Date; to: Date }[] = [];
  for (const iso of days) {
    const start = dayStart(iso);
    const last = out.at(-1);
    if (last && last.to.getTime() === start.getTime() && (last.to.getTime() - last.from.getTime()) / DAY_MS < maxDays) {
      last.to = new Date(start.getTime() + DAY_MS);
    } else {
      out.push({ from: start, to: new Date(start.getTime() + DAY_MS) });
    }
  }
  return out;
}

/**
 * How a window [from, to) of whole hours is read, day by day: a whole day that is not stale from the
 * daily tables (daily: [dayFrom, dayTo) minus `skip`); the hours of a partial day that is not stale
 * from gpu_hourly_groups (`groups`); a stale day's hours from gpu_hourly itself (`raw`). Workload and
 * latency facts have no hourly groups: they read `groups` and `raw` windows alike from workload_hourly.
 */
export type WindowPlan = {
  daily: { dayFrom: string; dayTo: string; skip: string[] } | null;
  groups: { from: Date; to: Date }[];
  raw: { from: Date; to: Date }[];
};

export function planWindow({ from, to }: { from: Date; to: Date }, staleDays: ReadonlySet<string>): WindowPlan {
  const plan: WindowPlan = { daily: null, groups: [], raw: [] };
  const push = (list: { from: Date; to: Date }[], w: { from: Date; to: Date }) => {
    const last = list.at(-1);
    if (last && last.to.getTime() === w.from.getTime()) last.to = w.to;
    else list.push({ ...w });
  };
  const whole: string[] = [];
  for (let t = Math.floor(from.getTime() / DAY_MS) * DAY_MS; t < to.getTime(); t += DAY_MS) {
    const w = { from: new Date(Math.max(t, from.getTime())), to: new Date(Math.min(t + DAY_MS, to.getTime())) };
    const iso = isoDay(new Date(t));
    const isWhole = w.to.getTime() - w.from.getTime() === DAY_MS;
    if (staleDays.has(iso)) push(plan.raw, w);
    else if (isWhole) whole.push(iso);
    else push(plan.groups, w);
  }
  if (whole.length) {
    const [first, last] = [whole[0]!, whole.at(-1)!];
    const skip: string[] = [];
    for (let t = dayStart(first).getTime(); t <= dayStart(last).getTime(); t += DAY_MS) {
      const iso = isoDay(new Date(t));
      if (!whole.includes(iso)) skip.push(iso);
    }
    plan.daily = { dayFrom: first, dayTo: isoDay(new Date(dayStart(last).getTime() + DAY_MS)), skip };
  }
  return plan;
}

/** Every window a source reads hour by hour (groups and raw), merged where adjacent. */
function hourWindows(plan: WindowPlan): { from: Date; to: Date }[] {
  const all = [...plan.groups, ...plan.raw].sort((a, b) => a.from.getTime() - b.from.getTime());
  const out: { from: Date; to: Date }[] = [];
  for (const w of all) {
    const last = out.at(-1);
    if (last && last.to.getTime() === w.from.getTime()) last.to = w.to;
    else out.push({ ...w });
  }
  return out;
}

/**
 * The parts of a source, restricted to the workloads of scope(id) once, outside the union: a semi join
 * per part would hash the org's 15,000 training runs once per part (most of a 30-day report's time).
 */
const unionAll = (parts: Prisma.Sql[], scopeColumn?: string) => {
  const union = Prisma.join(parts, " UNION ALL ");
  return scopeColumn ? Prisma.sql`SELECT * FROM (${union}) u WHERE u.${Prisma.raw(scopeColumn)} IN (SELECT id FROM scope)` : union;
};

/** Report sources reading the daily rollup per `planWindow`, given the org's stale days. */
export function dailySources(staleDays: ReadonlySet<string>): ReportSources {
  const dayWhere = (alias: string, orgId: string, d: NonNullable<WindowPlan["daily"]>) => {
    const a = Prisma.raw(alias);
    return Prisma.sql`${a}.org_id = ${orgId} AND ${a}.day >= ${d.dayFrom}::date AND ${a}.day < ${d.dayTo}::date
      ${d.skip.length ? Prisma.sql`AND ${a}.day <> ALL(${d.skip}::date[])` : Prisma.empty}`;
  };
  return {
    gpuFacts: (args: GpuFactsArgs) => {
      const plan = planWindow(args, staleDays);
      const b = args.costBasis === "billed" ? "billed_" : "";
      const columns = Prisma.sql`d.cluster_id, d.gpu_model, d.provider_instance_id AS pid, d.workload_id, d.namespace, d.pricing_category,
                 ${Prisma.raw(b ? "d.billed_currency" : "d.currency")} AS cur,
                 d.gpu_hours AS gh, d.known_gpu_hours AS known_gh, d.useful_gpu_hours AS useful, d.idle_gpu_hours AS idle_gh,
                 ${Prisma.raw(`d.${b}cost AS cost, d.${b}gap_cost AS gap_cost, d.${b}idle_cost AS idle_cost, d.${b}useful_cost AS useful_cost`)},
                 d.energy_wh AS wh, d.first_hour, d.last_hour`;
      const parts = plan.raw.map((w) => hourlyGpuFacts({ ...args, ...w, scoped: false }));
      for (const w of plan.groups) {
        parts.push(Prisma.sql`
          SELECT ${columns}
          FROM gpu_hourly_groups d
          WHERE d.org_id = ${args.org.orgId} AND d.hour >= ${w.from}::timestamptz AND d.hour < ${w.to}::timestamptz`);
      }
      if (plan.daily) {
        parts.push(Prisma.sql`
          SELECT ${columns}
          FROM gpu_daily d
          WHERE ${dayWhere("d", args.org.orgId, plan.daily)}`);
      }
      return unionAll(parts, args.scoped ? "workload_id" : undefined);
    },
    workloadFacts: (args: WindowArgs) => {
      const plan = planWindow(args, staleDays);
      const parts = hourWindows(plan).map((w) => hourlyWorkloadFacts({ ...args, ...w, scoped: false }));
      if (plan.daily) {
        parts.unshift(Prisma.sql`
          SELECT d.workload_id, d.currency AS cur, d.cpu_ram_cost AS cpu_ram, d.inferences, d.failures, d.prompt_tokens, d.generation_tokens
          FROM workload_daily d
          WHERE ${dayWhere("d", args.org.orgId, plan.daily)}`);
      }
      return unionAll(parts, "workload_id");
    },
    latencyFacts: (args: WindowArgs) => {
      const plan = planWindow(args, staleDays);
      const parts = hourWindows(plan).map((w) => hourlyLatencyFacts({ ...args, ...w, scoped: false }));
      if (plan.daily) {
        parts.unshift(Prisma.sql`
          SELECT d.workload_id AS wid, d.le, c.ord, c.v
          FROM workload_latency_daily d
          CROSS JOIN LATERAL unnest(d.counts) WITH ORDINALITY AS c(v, ord)
          WHERE ${dayWhere("d", args.org.orgId, plan.daily)}`);
      }
      return unionAll(parts, "wid");
    },
  };
}

/** The daily sources for one org and window: looks up the stale days inside it first. */
export async function loadDailySources(prisma: Tx, { orgId, from, to }: { orgId: string; from: Date; to: Date }): Promise<ReportSources> {
  const rows = await prisma.$queryRaw<{ day: string }[]>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day FROM rollup_stale_days
    WHERE org_id = ${orgId} AND day >= ${isoDay(from)}::date AND day <= ${isoDay(to)}::date`;
  return dailySources(new Set(rows.map((r) => r.day)));
}
