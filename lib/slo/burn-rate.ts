// SLO math on hourly SLI series: breaches, error budget and multiwindow burn-rate alerts. Pure.
//
// Event SLOs (latency, success ratio) count good and total events per hour:
//   success ratio ≥ Y:   good = successful inferences, total = successes + failures;
//   latency pN ≤ X ms:   good = requests that took ≤ X ms (from the hour's histogram), total = all
//                        requests; the objective is N (pN ≤ X ⟺ at least N of the requests are ≤ X).
// The error budget over the SLO window is (1 − objective) × total events; the budget consumed is
// bad events / that. The burn rate over a window is (bad / total) / (1 − objective): 1 spends the
// budget exactly over the SLO window.
//
// Level SLOs (GPU utilization ≥ Z of a pool, spend ≤ budget) have one value per hour; an hour misses
// the objective when value < objective (utilization) or value > objective (spend ratio).
//
// A breach is a run of consecutive hours that miss the objective; it ends at the start of the first
// hour that does not (an hour without traffic ends it too: nothing missed the objective). Its worst
// value is the worst hourly SLI in it (highest pN latency, lowest ratio or utilization); its error
// budget consumed is, for event SLOs, its bad events / the window's error budget, and for level SLOs
// its hours / the window's hours (the share of the window spent in breach).
//
// Multiwindow burn-rate alerting (Google SRE workbook, "Alerting on SLOs", table 5-8): an alert fires
// when the burn rate over a long window AND over a short window both exceed the threshold that spends
// a given share of the budget in the long window. The workbook's short windows (5 and 30 minutes) are
// below the hourly resolution of the rollups, so they become the last hour here:
//   page   (CRITICAL): 2% of the budget in 1 h (short 1 h), 5% in 6 h (short 1 h);
//   ticket (WARNING):  10% in 24 h (short 2 h), 10% in 72 h (short 6 h).
// Threshold = budget share × SLO window hours / long window hours (14.4 and 6 for a 30-day window).

export type EventHour = { hour: number; good: number; total: number; /** Hourly SLI for display: ratio, or pN in ms. */ value: number | null };
export type LevelHour = { hour: number; value: number | null };

export type BurnTier = { name: string; severity: "CRITICAL" | "WARNING"; budgetShare: number; longHours: number; shortHours: number };

export const BURN_TIERS: BurnTier[] = [
  { name: "1h", severity: "CRITICAL", budgetShare: 0.02, longHours: 1, shortHours: 1 },
  { name: "6h", severity: "CRITICAL", budgetShare: 0.05, longHours: 6, shortHours: 1 },
  { name: "24h", severity: "WARNING", budgetShare: 0.1, longHours: 24, shortHours: 2 },
  { name: "72h", severity: "WARNING", budgetShare: 0.1, longHours: 72, shortHours: 6 },
];

export function burnThreshold(tier: BurnTier, windowDays: number): number {
  return (tier.budgetShare * windowDays * 24) / tier.longHours;
}

const HOUR_MS = 3_600_000;

/** Burn rate over the `hours` hours ending at `end` (exclusive); null without traffic. */
export function burnRate(series: EventHour[], { end, hours, objective }: { end: number; hours: number; objective: number }): number | null {
  let good = 0;
  let total = 0;
  for (const h of series) {
    if (h.hour >= end - hours * HOUR_MS && h.hour < end) {
      good += h.good;
      total += h.total;
    }
  }
  if (total <= 0) return null;
  return (total - good) / total / (1 - objective);
}

export type TierStatus = { tier: string; severity: "CRITICAL" | "WARNING"; threshold: number; long: number | null; short: number | null; firing: boolean };

export function burnRateAlerts(series: EventHour[], { end, objective, windowDays }: { end: number; objective: number; windowDays: number }): TierStatus[] {
  return BURN_TIERS.map((tier) => {
    const threshold = burnThreshold(tier, windowDays);
    const long = burnRate(series, { end, hours: tier.longHours, objective });
    const short = burnRate(series, { end, hours: tier.shortHours, objective });
    return { tier: tier.name, severity: tier.severity, threshold, long, short, firing: long !== null && short !== null && long > threshold && short > threshold };
  });
}

export type ComputedBreach = {
  startedAt: number;
  /** Null while the last evaluated hour still misses the objective. */
  endedAt: number | null;
  worstValue: number;
  errorBudgetConsumed: number;
  hours: number;
  badEvents: number;
};

type Direction = "min" | "max";

function runs<T extends { hour: number }>(series: T[], isBad: (h: T) => boolean, end: number): Array<{ start: number; end: number | null; hours: T[] }> {
  const out: Array<{ start: number; end: number | null; hours: T[] }> = [];
  const sorted = [...series].sort((a, b) => a.hour - b.hour);
  let cur: { start: number; end: number | null; hours: T[] } | null = null;
  let expected = -1;
  for (const h of sorted) {
    if (h.hour >= end) break;
    // A missing hour (no row at all) ends a run like a good hour does.
    if (cur && h.hour !== expected) {
      cur.end = expected;
      out.push(cur);
      cur = null;
    }
    if (isBad(h)) {
      if (!cur) cur = { start: h.hour, end: null, hours: [] };
      cur.hours.push(h);
      expected = h.hour + HOUR_MS;
    } else if (cur) {
      cur.end = h.hour;
      out.push(cur);
      cur = null;
    }
  }
  if (cur) {
    // Open if it reaches the last complete hour; otherwise it ended where the data stops.
    cur.end = expected >= end ? null : expected;
    out.push(cur);
  }
  return out;
}

/** Breaches of an event SLO in the series (hours before `end`), with the window's error budget. */
export function eventBreaches(series: EventHour[], { objective, end, windowDays, worst }: { objective: number; end: number; windowDays: number; worst: Direction }): ComputedBreach[] {
  const windowStart = end - windowDays * 24 * HOUR_MS;
  const windowTotal = series.filter((h) => h.hour >= windowStart && h.hour < end).reduce((a, h) => a + h.total, 0);
  const budget = (1 - objective) * windowTotal;
  const isBad = (h: EventHour) => h.total > 0 && h.good / h.total < objective;
  return runs(series, isBad, end).map((r) => {
    const bad = r.hours.reduce((a, h) => a + (h.total - h.good), 0);
    const values = r.hours.map((h) => h.value).filter((v): v is number => v !== null);
    return {
      startedAt: r.start,
      endedAt: r.end,
      worstValue: values.length ? (worst === "max" ? Math.max(...values) : Math.min(...values)) : 0,
      errorBudgetConsumed: budget > 0 ? bad / budget : 0,
      hours: r.hours.length,
      badEvents: bad,
    };
  });
}

/** Breaches of a level SLO: hours whose value misses the objective (below it, or above for "max" SLOs). */
export function levelBreaches(series: LevelHour[], { objective, end, windowDays, direction }: { objective: number; end: number; windowDays: number; direction: "atLeast" | "atMost" }): ComputedBreach[] {
  const isBad = (h: LevelHour) => h.value !== null && (direction === "atLeast" ? h.value < objective : h.value > objective);
  return runs(series, isBad, end).map((r) => {
    const values = r.hours.map((h) => h.value!);
    return {
      startedAt: r.start,
      endedAt: r.end,
      worstValue: direction === "atLeast" ? Math.min(...values) : Math.max(...values),
      errorBudgetConsumed: r.hours.length / (windowDays * 24),
      hours: r.hours.length,
      badEvents: 0,
    };
  });
}

/** SLI and error budget over the SLO window ending at `end`. */
export function eventWindowStatus(series: EventHour[], { objective, end, windowDays }: { objective: number; end: number; windowDays: number }) {
  const start = end - windowDays * 24 * HOUR_MS;
  let good = 0;
  let total = 0;
  for (const h of series) {
    if (h.hour >= start && h.hour < end) {
      good += h.good;
      total += h.total;
    }
  }
  const budget = (1 - objective) * total;
  return { good, total, sli: total > 0 ? good / total : null, errorBudgetLeft: budget > 0 ? 1 - (total - good) / budget : total > 0 ? (good === total ? 1 : 0) : null };
}

export function levelWindowStatus(series: LevelHour[], { objective, end, windowDays, direction }: { objective: number; end: number; windowDays: number; direction: "atLeast" | "atMost" }) {
  const start = end - windowDays * 24 * HOUR_MS;
  const inWindow = series.filter((h) => h.hour >= start && h.hour < end && h.value !== null);
  const bad = inWindow.filter((h) => (direction === "atLeast" ? h.value! < objective : h.value! > objective)).length;
  return { hoursWithData: inWindow.length, badHours: bad, sli: inWindow.length ? inWindow.reduce((a, h) => a + h.value!, 0) / inWindow.length : null, errorBudgetLeft: 1 - bad / (windowDays * 24) };
}
