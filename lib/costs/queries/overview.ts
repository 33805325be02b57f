// The Overview page's figures, computed from the database for one org.
//
// Windows (UTC): "month to date" is [first day of this month, tomorrow 00:00); "last 30 days" is the
// 30 calendar days ending today, [today − 29 days 00:00, tomorrow 00:00), so the daily trend's 30
// points add up exactly to the 30-day figure. A bill line counts on the day its charge period starts.
// Cost basis: FOCUS EffectiveCost. Money stays per billing currency (never summed across currencies)
// and is returned as exact decimal strings.
import type { PrismaClient } from "../../db/client";
import { loadDailySources } from "../daily-rollup";
import { HOURLY_SOURCES, loadReportOrg } from "./common";

export type Money = { currency: string; amount: string };
export type DailySpend = { day: string; currency: string; total: string; gpu: string };

export type Overview = {
  window: { monthStart: string; last30Start: string; end: string };
  hasBills: boolean;
  currencies: string[];
  monthToDate: Money[];
  last30Days: Money[];
  gpuLast30Days: Money[];
  gpuCount: number;
  /** Σ utilization × GPU-hours / Σ GPU-hours over hours with a known utilization; null when none. */
  fleetUtilization: number | null;
  /** GPU-hours that had a known utilization (the denominator above), as a decimal string. */
  utilizationGpuHours: string;
  /** One row per day and currency, 30 days, zeros filled in. */
  daily: DailySpend[];
};

const DAY_MS = 24 * 3600 * 1000;

export function overviewWindow(now: Date) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const end = new Date(today + DAY_MS);
  return {
    monthStart: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    last30Start: new Date(today - 29 * DAY_MS),
    end,
  };
}

type SpendRow = { currency: string; month_to_date: string; last_30_days: string; gpu_last_30_days: string };
type DailyRow = { day: string; currency: string; total: string; gpu: string };
type FleetRow = { gpu_count: number; utilization: number | null; known_hours: string };

/**
 * The GPUs seen in the window, and Σ utilization × GPU-hours / Σ GPU-hours over the hours with a known
 * utilization, read through the daily rollup (gpu_daily's useful and known GPU-hours per day, numeric
 * sums of the hourly facts; stale days from gpu_hourly: daily-rollup.ts planWindow) or, with source
 * "hourly", from gpu_hourly row by row: the same numeric sums, the same figures.
 */
async function fleetUtilization(
  prisma: PrismaClient,
  { orgId, from, to, source }: { orgId: string; from: Date; to: Date; source: "rollup" | "hourly" },
): Promise<FleetRow[]> {
  const [org, sources] = await Promise.all([loadReportOrg(prisma, orgId), source === "hourly" ? HOURLY_SOURCES : loadDailySources(prisma, { orgId, from, to })]);
  return prisma.$queryRaw<FleetRow[]>`
    SELECT (SELECT COUNT(DISTINCT uuid)::int
              FROM gpus
             WHERE org_id = ${orgId}
               AND last_seen_at >= ${from}::timestamptz
               AND first_seen_at < ${to}::timestamptz) AS gpu_count,
           (SUM(f.useful) / NULLIF(SUM(f.known_gh), 0))::float8 AS utilization,
           COALESCE(trim_scale(SUM(f.known_gh)), 0)::text AS known_hours
      FROM (${sources.gpuFacts({ org, from, to, costBasis: "effective", scoped: false })}) f`;
}

export async function getOverview(
  prisma: PrismaClient,
  { orgId, now, source = "rollup" }: { orgId: string; now: Date; source?: "rollup" | "hourly" },
): Promise<Overview> {
  const { monthStart, last30Start, end } = overviewWindow(now);
  const from = monthStart < last30Start ? monthStart : last30Start;

  const [spend, daily, fleet, any] = await Promise.all([
    prisma.$queryRaw<SpendRow[]>`
      SELECT billing_currency AS currency,
             COALESCE(trim_scale(SUM(effective_cost) FILTER (WHERE charge_period_start >= ${monthStart}::timestamptz)), 0)::text AS month_to_date,
             COALESCE(trim_scale(SUM(effective_cost) FILTER (WHERE charge_period_start >= ${last30Start}::timestamptz)), 0)::text AS last_30_days,
             COALESCE(trim_scale(SUM(effective_cost) FILTER (WHERE charge_period_start >= ${last30Start}::timestamptz AND gpu_model IS NOT NULL)), 0)::text AS gpu_last_30_days
        FROM bill_line_items
       WHERE org_id = ${orgId}
         AND charge_period_start >= ${from}::timestamptz
         AND charge_period_start < ${end}::timestamptz
       GROUP BY billing_currency
       ORDER BY billing_currency`,
    prisma.$queryRaw<DailyRow[]>`
      SELECT to_char(date_trunc('day', charge_period_start AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
             billing_currency AS currency,
             trim_scale(SUM(effective_cost))::text AS total,
             COALESCE(trim_scale(SUM(effective_cost) FILTER (WHERE gpu_model IS NOT NULL)), 0)::text AS gpu
        FROM bill_line_items
       WHERE org_id = ${orgId}
         AND charge_period_start >= ${last30Start}::timestamptz
         AND charge_period_start < ${end}::timestamptz
       GROUP BY 1, 2`,
    fleetUtilization(prisma, { orgId, from: last30Start, to: end, source }),
    prisma.$queryRaw<{ has_bills: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM bill_line_items WHERE org_id = ${orgId}) AS has_bills`,
  ]);

  const currencies = spend.map((r) => r.currency);
  const byKey = new Map(daily.map((r) => [`${r.day}|${r.currency}`, r]));
  const days: DailySpend[] = [];
  for (let t = last30Start.getTime(); t < end.getTime(); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    for (const currency of currencies) {
      const row = byKey.get(`${day}|${currency}`);
      days.push({ day, currency, total: row?.total ?? "0", gpu: row?.gpu ?? "0" });
    }
  }
  const money = (pick: (r: SpendRow) => string) => spend.map((r) => ({ currency: r.currency, amount: pick(r) }));
  const f = fleet[0];

  return {
    window: { monthStart: monthStart.toISOString(), last30Start: last30Start.toISOString(), end: end.toISOString() },
    hasBills: any[0]?.has_bills ?? false,
    currencies,
    monthToDate: money((r) => r.month_to_date),
    last30Days: money((r) => r.last_30_days),
    gpuLast30Days: money((r) => r.gpu_last_30_days),
    gpuCount: f?.gpu_count ?? 0,
    fleetUtilization: f?.utilization ?? null,
    utilizationGpuHours: f?.known_hours ?? "0",
    daily: days,
  };
}
