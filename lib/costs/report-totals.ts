// Small pure helpers shared by the report queries: rounding of quantities, safe ratios, and the rule
// that turns per-currency totals into one `totals` object without ever adding two currencies.

/** Quantities (GPU-hours, kWh, ratios) are JSON numbers rounded to 6 decimals (a MIG 1/7 is 0.142857). */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** a / b rounded to 6 decimals, or null when b is not positive (nothing to divide by). */
export function ratio(a: number, b: number): number | null {
  return b > 0 ? round6(a / b) : null;
}

/** Value of a SQL aggregate that may be null, bigint, string or number, as a number. */
export function num(v: unknown): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
}

/** Money from SQL (numeric cast to text) as a decimal string or null. */
export function money(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/**
 * One `totals` object from per-currency totals (unpriced GPU-hours already merged into one of them):
 * - one currency (or none): that currency's figures;
 * - several: quantities summed over all, every money figure null and `currency` null (amounts in
 *   different currencies are never added); `byCurrency` has each currency's figures;
 * - no rows at all: `empty` (zeros in the org's currency).
 * `finish` recomputes the ratio quantities (mean utilization, shares) from the summed quantities.
 */
export function combineCurrencyTotals<M extends { currency: string | null }>(
  perCurrency: M[],
  { quantities, moneyKeys, empty, finish }: { quantities: (keyof M)[]; moneyKeys: (keyof M)[]; empty: M; finish: (m: M) => M },
): M & { byCurrency: M[] } {
  if (perCurrency.length === 0) return { ...empty, byCurrency: [] };
  if (perCurrency.length === 1) return { ...perCurrency[0]!, byCurrency: perCurrency };
  const sum = { ...perCurrency[0]!, currency: null } as M;
  for (const k of quantities) (sum as Record<keyof M, unknown>)[k] = round6(perCurrency.reduce((s, m) => s + num(m[k]), 0));
  for (const k of moneyKeys) (sum as Record<keyof M, unknown>)[k] = null;
  return { ...finish(sum), byCurrency: perCurrency };
}
