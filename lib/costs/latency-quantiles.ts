// Latency quantiles from Prometheus-style cumulative histograms, the way PromQL's histogram_quantile
// computes them: find the bucket the rank falls in and interpolate linearly inside it.
//
// A stored histogram (workload_hourly.latency_histogram) is { le: [finite upper bounds, ascending,
// seconds], counts: [cumulative count per bound..., +Inf total] } for one service and hour. Hours (and
// services) are merged by adding counts bound by bound. Where layouts differ (a server upgrade changed
// the buckets), only the bounds every contributing histogram has are kept: a cumulative count at a
// shared bound is exact for each of them, so the sum is exact; interpolating a missing bound would
// invent data. Histograms with no observations do not constrain the layout.

export type Histogram = { le: number[]; counts: number[] };

/** A histogram as stored, or null when it is malformed (lengths, order, non-finite values). */
export function parseHistogram(value: unknown): Histogram | null {
  if (!value || typeof value !== "object") return null;
  const { le, counts } = value as { le?: unknown; counts?: unknown };
  if (!Array.isArray(le) || !Array.isArray(counts) || counts.length !== le.length + 1) return null;
  const bounds = le.map(Number);
  const cs = counts.map(Number);
  if (!bounds.every(Number.isFinite) || !cs.every((c) => Number.isFinite(c) && c >= 0)) return null;
  for (let i = 1; i < bounds.length; i++) if (!(bounds[i]! > bounds[i - 1]!)) return null;
  return { le: bounds, counts: cs };
}

const total = (h: Histogram) => h.counts[h.counts.length - 1] ?? 0;

/** Sums histograms bound by bound over the bounds they all share (see the header). Null if none has data. */
export function mergeHistograms(histograms: Iterable<Histogram>): Histogram | null {
  const withData = [...histograms].filter((h) => total(h) > 0);
  if (withData.length === 0) return null;
  let shared = new Set(withData[0]!.le);
  for (const h of withData.slice(1)) {
    const mine = new Set(h.le);
    shared = new Set([...shared].filter((b) => mine.has(b)));
  }
  const le = [...shared].sort((a, b) => a - b);
  const counts = new Array<number>(le.length + 1).fill(0);
  for (const h of withData) {
    const at = new Map(h.le.map((b, i) => [b, h.counts[i]!]));
    le.forEach((b, i) => (counts[i]! += at.get(b)!));
    counts[le.length]! += total(h);
  }
  return { le, counts };
}

/**
 * The q-quantile (0 < q < 1) of a cumulative histogram, in the histogram's unit, as PromQL's
 * histogram_quantile: linear interpolation inside the bucket holding rank q × total; the lowest bucket
 * starts at 0 (unless its bound is ≤ 0); a rank in the +Inf bucket returns the highest finite bound.
 * Cumulative counts that decrease (float noise in summed increases) are forced monotonic, as PromQL does.
 * Null when there are no observations or no finite bucket.
 */
export function histogramQuantile(q: number, h: Histogram): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be within [0, 1], got ${q}`);
  const n = h.le.length;
  const observations = total(h);
  if (n === 0 || !(observations > 0)) return null;
  const cum: number[] = [];
  let max = 0;
  for (let i = 0; i <= n; i++) {
    max = Math.max(max, h.counts[i]!);
    cum.push(max);
  }
  const rank = q * cum[n]!;
  let b = 0;
  while (b < n && cum[b]! < rank) b++;
  if (b === n) return h.le[n - 1]!;
  if (b === 0 && h.le[0]! <= 0) return h.le[0]!;
  const start = b === 0 ? 0 : h.le[b - 1]!;
  const below = b === 0 ? 0 : cum[b - 1]!;
  const inBucket = cum[b]! - below;
  if (inBucket <= 0) return start;
  return start + (h.le[b]! - start) * ((rank - below) / inBucket);
}

/** p50, p95 and p99 in milliseconds (bounds in seconds), rounded to 0.001 ms. */
export function latencyQuantilesMs(h: Histogram | null): { p50LatencyMs: number | null; p95LatencyMs: number | null; p99LatencyMs: number | null } {
  const ms = (q: number) => {
    const v = h ? histogramQuantile(q, h) : null;
    return v === null ? null : Math.round(v * 1e6) / 1e3;
  };
  return { p50LatencyMs: ms(0.5), p95LatencyMs: ms(0.95), p99LatencyMs: ms(0.99) };
}
