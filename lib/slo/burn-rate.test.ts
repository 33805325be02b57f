// Hand-computed SLO cases: breaches, error budget, and the multiwindow burn-rate tiers.
import { describe, expect, it } from "vitest";
import { histogramQuantile } from "../costs/latency-quantiles";
import { burnRateAlerts, burnThreshold, BURN_TIERS, eventBreaches, eventWindowStatus, levelBreaches, type EventHour } from "./burn-rate";
import { countAtOrBelow } from "./latency";

const H = 3_600_000;
const T0 = Date.UTC(2026, 5, 1);
const at = (i: number) => T0 + i * H;

/** 72 hours of 1,000 requests: 999 good each (0.1% errors), except hours 70 and 71 with 800 good. */
function successSeries(extra: EventHour[] = []): EventHour[] {
  const s: EventHour[] = [];
  for (let i = 0; i < 72; i++) {
    const good = i >= 70 ? 800 : 999;
    s.push({ hour: at(i), good, total: 1000, value: good / 1000 });
  }
  return [...s, ...extra];
}

describe("burn-rate thresholds", () => {
  it("are the SRE workbook's for a 30-day window", () => {
    expect(BURN_TIERS.map((t) => burnThreshold(t, 30))).toEqual([expect.closeTo(14.4, 10), expect.closeTo(6, 10), expect.closeTo(3, 10), expect.closeTo(1, 10)]);
    expect(burnThreshold(BURN_TIERS[0]!, 28)).toBeCloseTo(13.44, 10);
  });
});

describe("success ratio ≥ 0.99 over 30 days", () => {
  const opts = { objective: 0.99, windowDays: 30 };

  it("burn rates per tier (hand-computed) and which tiers fire", () => {
    const tiers = burnRateAlerts(successSeries(), { ...opts, end: at(72) });
    // 1 h: 200 bad of 1,000 = 20% / 1% = 20 (> 14.4). 6 h: 4×1 + 2×200 = 404 of 6,000 → 6.7333 (> 6).
    // 24 h: 22 + 400 = 422 of 24,000 → 1.7583 (< 3). 72 h: 70 + 400 = 470 of 72,000 → 0.65278 (< 1).
    expect(tiers.map((t) => [t.tier, t.long, t.firing])).toEqual([
      ["1h", expect.closeTo(20, 9), true],
      ["6h", expect.closeTo(6.733333333, 8), true],
      ["24h", expect.closeTo(1.758333333, 8), false],
      ["72h", expect.closeTo(0.652777778, 8), false],
    ]);
    // Short windows: 1 h = 20; 2 h = 400 / 2,000 → 20; 6 h as above.
    expect(tiers.map((t) => t.short)).toEqual([expect.closeTo(20, 9), expect.closeTo(20, 9), expect.closeTo(20, 9), expect.closeTo(6.733333333, 8)]);
  });

  it("one open breach from hour 70, worst 0.8, 400 bad of a 720-request budget", () => {
    const b = eventBreaches(successSeries(), { ...opts, end: at(72), worst: "min" });
    expect(b).toEqual([{ startedAt: at(70), endedAt: null, worstValue: 0.8, errorBudgetConsumed: expect.closeTo(400 / 720, 10), hours: 2, badEvents: 400 }]);
    const w = eventWindowStatus(successSeries(), { ...opts, end: at(72) });
    expect(w.sli).toBeCloseTo(1 - 470 / 72000, 12);
    expect(w.errorBudgetLeft).toBeCloseTo(1 - 470 / 720, 12);
  });

  it("the breach ends at the first good hour, and the fast tier stops firing", () => {
    const s = successSeries([{ hour: at(72), good: 1000, total: 1000, value: 1 }]);
    const b = eventBreaches(s, { ...opts, end: at(73), worst: "min" });
    // The window now holds 73,000 requests: budget 730.
    expect(b).toEqual([{ startedAt: at(70), endedAt: at(72), worstValue: 0.8, errorBudgetConsumed: expect.closeTo(400 / 730, 10), hours: 2, badEvents: 400 }]);
    const tiers = burnRateAlerts(s, { ...opts, end: at(73) });
    // 1 h: 0 bad → 0. 6 h (67-72): 3 + 400 = 403 / 6,000 → 6.7167 long, but short (1 h) is 0: not firing.
    expect(tiers[0]).toMatchObject({ long: 0, firing: false });
    expect(tiers[1]!.long).toBeCloseTo(6.716666667, 8);
    expect(tiers[1]!.firing).toBe(false);
  });

  it("two separate breaches; an hour without traffic ends one", () => {
    const s: EventHour[] = [
      { hour: at(0), good: 90, total: 100, value: 0.9 },
      { hour: at(1), good: 0, total: 0, value: null },
      { hour: at(2), good: 50, total: 100, value: 0.5 },
      { hour: at(3), good: 95, total: 100, value: 0.95 },
      { hour: at(4), good: 100, total: 100, value: 1 },
    ];
    const b = eventBreaches(s, { objective: 0.99, end: at(5), windowDays: 30, worst: "min" });
    // Budget: 1% of 400 requests = 4. Breach 1: hour 0 (10 bad). Breach 2: hours 2-3 (50 + 5 bad).
    expect(b.map((x) => [x.startedAt, x.endedAt, x.worstValue, x.errorBudgetConsumed])).toEqual([
      [at(0), at(1), 0.9, expect.closeTo(2.5, 10)],
      [at(2), at(4), 0.5, expect.closeTo(13.75, 10)],
    ]);
  });
});

describe("latency p95 ≤ 300 ms from histograms", () => {
  // le (s): 0.1, 0.25, 0.5, 1; cumulative counts and the +Inf total.
  const h = { le: [0.1, 0.25, 0.5, 1], counts: [500, 900, 980, 1000, 1000] };

  it("good requests at the threshold, interpolated inside the bucket", () => {
    expect(countAtOrBelow(h, 0.25)).toBe(900);
    // 900 + (0.3 − 0.25) / (0.5 − 0.25) × 80 = 916
    expect(countAtOrBelow(h, 0.3)).toBeCloseTo(916, 10);
    expect(countAtOrBelow(h, 0.05)).toBeCloseTo(250, 10);
    expect(countAtOrBelow(h, 5)).toBe(1000);
    // p95: rank 950 in (0.25, 0.5]: 0.25 + 50/80 × 0.25 = 0.40625 s
    expect(histogramQuantile(0.95, h)).toBeCloseTo(0.40625, 10);
  });

  it("an hour with p95 = 406 ms is a breach hour: 916 good of 1,000 < 95%", () => {
    const good = countAtOrBelow(h, 0.3);
    const series: EventHour[] = [
      { hour: at(0), good: 990, total: 1000, value: 120 },
      { hour: at(1), good, total: 1000, value: 406.25 },
    ];
    const b = eventBreaches(series, { objective: 0.95, end: at(2), windowDays: 30, worst: "max" });
    // Budget 5% of 2,000 = 100 requests; 84 bad in the breach.
    expect(b).toEqual([{ startedAt: at(1), endedAt: null, worstValue: 406.25, errorBudgetConsumed: expect.closeTo(0.84, 10), hours: 1, badEvents: expect.closeTo(84, 10) }]);
    // 1 h burn = 8.4% / 5% = 1.68: below the 14.4 page threshold.
    expect(burnRateAlerts(series, { objective: 0.95, end: at(2), windowDays: 30 })[0]).toMatchObject({ long: expect.closeTo(1.68, 10), firing: false });
  });
});

describe("GPU utilization ≥ 70% of a pool", () => {
  it("breaches are runs of hours below the target; the worst is the lowest; budget = share of the window", () => {
    const vals = [0.8, 0.6, 0.5, 0.75, null, 0.65];
    const s = vals.map((value, i) => ({ hour: at(i), value }));
    const b = levelBreaches(s, { objective: 0.7, end: at(6), windowDays: 1, direction: "atLeast" });
    expect(b).toEqual([
      { startedAt: at(1), endedAt: at(3), worstValue: 0.5, errorBudgetConsumed: expect.closeTo(2 / 24, 12), hours: 2, badEvents: 0 },
      { startedAt: at(5), endedAt: null, worstValue: 0.65, errorBudgetConsumed: expect.closeTo(1 / 24, 12), hours: 1, badEvents: 0 },
    ]);
  });
});
