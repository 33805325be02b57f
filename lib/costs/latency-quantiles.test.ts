import { describe, expect, it } from "vitest";
import { histogramQuantile, latencyQuantilesMs, mergeHistograms, parseHistogram } from "./latency-quantiles";

describe("histogramQuantile (PromQL histogram_quantile semantics)", () => {
  // 100 observations: 10 ≤ 0.1 s, 50 in (0.1, 0.5], 30 in (0.5, 1], 10 above 1 s.
  const h = { le: [0.1, 0.5, 1], counts: [10, 60, 90, 100] };

  it("interpolates linearly inside the bucket holding the rank", () => {
    // rank 50 falls in (0.1, 0.5]: 0.1 + 0.4 × (50 − 10) / 50 = 0.42
    expect(histogramQuantile(0.5, h)).toBeCloseTo(0.42, 12);
    // rank 75 falls in (0.5, 1]: 0.5 + 0.5 × (75 − 60) / 30 = 0.75
    expect(histogramQuantile(0.75, h)).toBeCloseTo(0.75, 12);
    // rank 5 in the first bucket, which starts at 0: 0.1 × 5 / 10 = 0.05
    expect(histogramQuantile(0.05, h)).toBeCloseTo(0.05, 12);
  });

  it("returns the highest finite bound when the rank is in the +Inf bucket", () => {
    expect(histogramQuantile(0.95, h)).toBe(1);
    expect(histogramQuantile(0.99, h)).toBe(1);
  });

  it("is exact on a bucket boundary", () => {
    expect(histogramQuantile(0.6, h)).toBeCloseTo(0.5, 12);
  });

  it("returns null without observations and rejects q outside [0, 1]", () => {
    expect(histogramQuantile(0.5, { le: [1], counts: [0, 0] })).toBeNull();
    expect(histogramQuantile(0.5, { le: [], counts: [5] })).toBeNull();
    expect(() => histogramQuantile(1.5, h)).toThrow(RangeError);
  });

  it("forces decreasing cumulative counts monotonic, as PromQL does", () => {
    expect(histogramQuantile(0.5, { le: [1, 2, 3], counts: [40, 39.999999, 80, 100] })).toBeCloseTo(2 + (50 - 40) / 40, 9);
  });

  it("gives milliseconds for p50/p95/p99", () => {
    expect(latencyQuantilesMs(h)).toEqual({ p50LatencyMs: 420, p95LatencyMs: 1000, p99LatencyMs: 1000 });
    expect(latencyQuantilesMs(null)).toEqual({ p50LatencyMs: null, p95LatencyMs: null, p99LatencyMs: null });
  });
});

describe("mergeHistograms", () => {
  it("adds counts bound by bound", () => {
    const m = mergeHistograms([
      { le: [0.1, 1], counts: [1, 3, 4] },
      { le: [0.1, 1], counts: [2, 2, 6] },
    ]);
    expect(m).toEqual({ le: [0.1, 1], counts: [3, 5, 10] });
  });

  it("keeps only the bounds every histogram with data shares, so sums stay exact", () => {
    const m = mergeHistograms([
      { le: [0.1, 0.5, 1], counts: [1, 3, 4, 5] },
      { le: [0.1, 1, 2], counts: [2, 2, 6, 6] },
      { le: [0.25], counts: [0, 0] }, // no observations: does not narrow the layout
    ]);
    expect(m).toEqual({ le: [0.1, 1], counts: [3, 6, 11] });
  });

  it("is null when nothing was observed", () => {
    expect(mergeHistograms([])).toBeNull();
    expect(mergeHistograms([{ le: [1], counts: [0, 0] }])).toBeNull();
  });
});

describe("parseHistogram", () => {
  it("accepts the stored shape and rejects malformed ones", () => {
    expect(parseHistogram({ le: [0.1, 1], counts: [1, 2, 3] })).toEqual({ le: [0.1, 1], counts: [1, 2, 3] });
    expect(parseHistogram({ le: [0.1, 1], counts: [1, 2] })).toBeNull();
    expect(parseHistogram({ le: [1, 0.1], counts: [1, 2, 3] })).toBeNull();
    expect(parseHistogram({ le: [0.1], counts: [1, -2] })).toBeNull();
    expect(parseHistogram(null)).toBeNull();
    expect(parseHistogram("x")).toBeNull();
  });
});
