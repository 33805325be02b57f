// Increases of Prometheus counters per UTC hour, from a query_range answer of the raw counter at a
// fixed step (the value at each step is the latest sample at or before it).
//
// The increase between two consecutive points is attributed to the hour of the later point's
// interval (t_prev, t]: a point exactly on 11:00:00 closes hour 10. A counter that went down was
// reset (process restart) and counts from zero again, so the increase is the new value (as
// Prometheus' increase() does, without its extrapolation). A missing stretch (scrape gap longer than
// the lookback) is bridged: the increase across it lands in the hour where the counter reappears.
// The first point of a series only sets the baseline: what happened before it is unknown.
import { HOUR_MS } from "./types";

/** Map of hour start (epoch ms) → increase, with an entry (possibly 0) for every hour that has a point after the first. */
export function hourlyIncreases(t: readonly number[], v: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  forEachHourlyIncrease(t, v, (hour, inc) => out.set(hour, (out.get(hour) ?? 0) + inc));
  return out;
}

/**
 * The same increases without a map: `emit(hour, increase)` once per run of consecutive points in one
 * hour, in order (once per hour for a series in time order, as Prometheus answers). The increases of
 * a run are added in point order, as hourlyIncreases adds them.
 */
export function forEachHourlyIncrease(t: readonly number[], v: readonly number[], emit: (hour: number, increase: number) => void): void {
  let prev: number | undefined;
  let hour = Number.NaN;
  let sum = 0;
  for (let i = 0; i < t.length; i++) {
    const value = v[i]!;
    if (!Number.isFinite(value)) continue;
    if (prev !== undefined) {
      const d = value >= prev ? value - prev : value;
      const h = Math.floor((t[i]! - 1) / HOUR_MS) * HOUR_MS;
      if (h !== hour) {
        if (!Number.isNaN(hour)) emit(hour, sum);
        hour = h;
        sum = 0;
      }
      sum += d;
    }
    prev = value;
  }
  if (!Number.isNaN(hour)) emit(hour, sum);
}
