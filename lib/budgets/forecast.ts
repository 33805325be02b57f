// Period-end spend forecast for a budget: pure, no I/O.
//
// Model: daily spend = level × weekday factor × noise (multiplicative weekly seasonality), fitted on
// the complete days seen (this period's, plus up to eight weeks before it when given, which pins the
// weekly pattern down early in the month). The projection is the actual spend so far plus, for every
// day left, level × that weekday's factor; the level is the mean of the last (up to) 14 deseasonalized
// days, with a linear trend once three weeks of history exist (halved: extrapolating a trend a month
// out overshoots more often than it helps). The range is a 90% interval from the residual spread:
// day-to-day noise over the days left, plus the uncertainty of the level itself.
//
// Money here is a projection, so floats are fine; actual spend that gates alerts is summed exactly in
// SQL (see spend.ts) and only compared to the budget as a decimal.
import { DAY_MS, isoDay, utcDay } from "./period";

export type DailyAmount = { day: string; amount: number };

export type ForecastInput = {
  periodStart: Date;
  /** Exclusive end of the period. */
  periodEnd: Date;
  /** Start of the first incomplete day (today 00:00 UTC); days before it are complete. */
  asOf: Date;
  /** Daily spend, any days (missing days inside the observed range count as 0). */
  daily: DailyAmount[];
  /** How many days before the period may be used for the weekly pattern (default 56). */
  lookbackDays?: number;
  /** z of the interval; default 1.645 (90%). */
  z?: number;
};

export type ForecastPoint = { day: string; actual: number | null; forecast: number | null; low: number | null; high: number | null };

export type Forecast = {
  method: "none" | "flat" | "weekly-seasonal";
  /** Spend in the period so far (complete days plus what today shows). */
  actual: number;
  /** Projected period-end spend, and its 90% range. */
  projected: number;
  low: number;
  high: number;
  daysSeen: number;
  daysLeft: number;
  /** Multiplicative factor per UTC weekday, 0 = Sunday; mean 1. */
  weekdayFactors: number[];
  /** Residual spread (coefficient of variation) of daily spend around the fit. */
  residualCv: number;
  /** One point per day of the period: actual cumulative spend, then the projected cumulative path. */
  points: ForecastPoint[];
};

const MIN_DAYS_FOR_WEEKLY = 7;
const LEVEL_WINDOW = 14;
const TREND_MIN_DAYS = 21;
const TREND_DAMPING = 0.5;

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

/** Weekday factors of a series by alternating estimates of level and factors (a few rounds converge). */
export function weekdayFactors(series: Array<{ dow: number; x: number }>): number[] {
  const f = [1, 1, 1, 1, 1, 1, 1];
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (const p of series) counts[p.dow]!++;
  if (series.length < MIN_DAYS_FOR_WEEKLY || counts.some((c) => c === 0)) return f;
  for (let round = 0; round < 6; round++) {
    const level = mean(series.map((p) => p.x / f[p.dow]!));
    if (level <= 0) return [1, 1, 1, 1, 1, 1, 1];
    const sums = [0, 0, 0, 0, 0, 0, 0];
    for (const p of series) sums[p.dow]! += p.x / level;
    for (let d = 0; d < 7; d++) f[d] = sums[d]! / counts[d]!;
    const norm = mean(f);
    for (let d = 0; d < 7; d++) f[d] = norm > 0 ? f[d]! / norm : 1;
  }
  return f;
}

export function forecastPeriodEnd(input: ForecastInput): Forecast {
  const { periodStart, periodEnd } = input;
  const z = input.z ?? 1.645;
  const asOf = utcDay(new Date(Math.min(Math.max(input.asOf.getTime(), periodStart.getTime()), periodEnd.getTime())));
  const lookbackStart = new Date(periodStart.getTime() - (input.lookbackDays ?? 56) * DAY_MS);
  const byDay = new Map<string, number>();
  for (const d of input.daily) byDay.set(d.day, (byDay.get(d.day) ?? 0) + d.amount);

  // The observed series: complete days from the first day with data (not before lookbackStart) to asOf.
  const firstData = [...byDay.keys()].filter((k) => k >= isoDay(lookbackStart) && k < isoDay(asOf)).sort()[0];
  const series: Array<{ t: number; dow: number; x: number }> = [];
  if (firstData) {
    for (let t = Date.parse(`${firstData}T00:00:00Z`); t < asOf.getTime(); t += DAY_MS) {
      const d = new Date(t);
      series.push({ t, dow: d.getUTCDay(), x: byDay.get(isoDay(d)) ?? 0 });
    }
  }
  const inPeriod = (t: number) => t >= periodStart.getTime() && t < periodEnd.getTime();
  const completeActual = series.filter((p) => inPeriod(p.t)).reduce((a, p) => a + p.x, 0);
  const today = asOf.getTime() < periodEnd.getTime() ? (byDay.get(isoDay(asOf)) ?? 0) : 0;
  const actual = completeActual + today;
  const daysSeen = Math.round((asOf.getTime() - periodStart.getTime()) / DAY_MS);
  const futureDays: number[] = [];
  for (let t = asOf.getTime(); t < periodEnd.getTime(); t += DAY_MS) futureDays.push(t);

  const factors = weekdayFactors(series);
  const method: Forecast["method"] = series.length === 0 ? "none" : factors.every((f) => f === 1) ? "flat" : "weekly-seasonal";
  const deseason = series.map((p) => ({ t: p.t, y: p.x / factors[p.dow]! }));
  const recent = deseason.slice(-LEVEL_WINDOW);
  const level = mean(recent.map((p) => p.y));
  const levelT = mean(recent.map((p) => p.t));

  let slopePerDay = 0;
  if (deseason.length >= TREND_MIN_DAYS) {
    const pts = deseason.slice(-28);
    const mt = mean(pts.map((p) => p.t));
    const my = mean(pts.map((p) => p.y));
    let num = 0;
    let den = 0;
    for (const p of pts) {
      num += (p.t - mt) * (p.y - my);
      den += (p.t - mt) ** 2;
    }
    slopePerDay = den > 0 ? (num / den) * DAY_MS * TREND_DAMPING : 0;
  }
  const expected = (t: number) => Math.max(0, (level + (slopePerDay * (t - levelT)) / DAY_MS) * factors[new Date(t).getUTCDay()]!);

  // Residual spread around the fit (relative), for the range.
  const rel = series.map((p) => {
    const e = expected(p.t);
    return e > 0 ? p.x / e - 1 : 0;
  });
  const residualCv = rel.length > 1 ? Math.sqrt(rel.reduce((a, r) => a + r * r, 0) / (rel.length - 1)) : 0;

  let remaining = 0;
  let noiseVar = 0;
  const future = new Map<number, number>();
  for (const t of futureDays) {
    let e = expected(t);
    // Today's spend so far is known: the day ends at no less than that.
    if (t === asOf.getTime()) e = Math.max(0, e - today);
    future.set(t, e);
    remaining += e;
    noiseVar += (e * residualCv) ** 2;
  }
  const levelVar = (remaining * residualCv) ** 2 / Math.max(1, recent.length);
  const sd = method === "none" ? 0 : Math.sqrt(noiseVar + levelVar);
  const projected = actual + remaining;
  const low = Math.max(actual, projected - z * sd);
  const high = projected + z * sd;

  const points: ForecastPoint[] = [];
  let cum = 0;
  let cumLow = 0;
  let cumHigh = 0;
  let elapsed = 0;
  for (let t = periodStart.getTime(); t < periodEnd.getTime(); t += DAY_MS) {
    const day = isoDay(new Date(t));
    if (t < asOf.getTime()) {
      cum += byDay.get(day) ?? 0;
      points.push({ day, actual: round2(cum), forecast: null, low: null, high: null });
      if (t + DAY_MS === asOf.getTime()) points[points.length - 1]!.forecast = round2(cum);
      cumLow = cum;
      cumHigh = cum;
      continue;
    }
    if (t === asOf.getTime()) cum += today;
    cum += future.get(t) ?? 0;
    elapsed += future.get(t) ?? 0;
    // The band widens with the share of the remaining spend already projected.
    const share = remaining > 0 ? elapsed / remaining : 1;
    cumLow = cum - (projected - low) * share;
    cumHigh = cum + (high - projected) * share;
    points.push({ day, actual: t === asOf.getTime() ? round2(actual) : null, forecast: round2(cum), low: round2(cumLow), high: round2(cumHigh) });
  }

  return {
    method,
    actual,
    projected,
    low,
    high,
    daysSeen,
    daysLeft: futureDays.length,
    weekdayFactors: factors,
    residualCv,
    points,
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
