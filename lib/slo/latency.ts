// Good requests of a latency SLO from a cumulative histogram: requests that took ≤ x seconds. At a
// bucket bound the count is exact; between bounds it is interpolated linearly inside the bucket, the
// same assumption histogram_quantile makes, so "pN ≤ X" and "share ≤ X is ≥ N" agree. Beyond the
// highest finite bound nothing more is known: only the requests under it count as good.
import type { Histogram } from "../costs/latency-quantiles";

export function countAtOrBelow(h: Histogram, x: number): number {
  const n = h.le.length;
  if (n === 0) return 0;
  let prevBound = 0;
  let prevCount = 0;
  for (let i = 0; i < n; i++) {
    const bound = h.le[i]!;
    const count = Math.max(h.counts[i]!, prevCount);
    if (x === bound) return count;
    if (x < bound) {
      if (x <= prevBound) return prevCount;
      return prevCount + ((x - prevBound) / (bound - prevBound)) * (count - prevCount);
    }
    prevBound = bound;
    prevCount = count;
  }
  return prevCount;
}
