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

/**
 * Code-point order of two strings: deterministic everywhere (localeCompare depends on the ICU locale)
 * and ~100× faster, which matters when sorting 15,000 runs.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Highest money first, null (unpriced) last; NaN-free. */
export function compareMoneyDesc(a: string | null | undefined, b: string | null | undefined): number {
  const x = a == null ? -Infinity : Number(a);
  const y = b == null ? -Infinity : Number(b);
  return x === y ? 0 : y > x ? 1 : -1;
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

/**
 * Folds each group's unpriced part (currency null: GPU-hours without a rate) into the group's primary
 * priced part (the org's currency if the group has it, else the first currency alphabetically), so a
 * single-currency group is one row. Only quantities move (`add`); money belongs to priced parts alone.
 * A group with no priced part keeps its unpriced part (currency null). Order of first appearance is kept.
 */
export function mergeUnpriced<P extends { currency: string | null }>(
  parts: P[],
  { key, orgCurrency, add }: { key: (p: P) => string; orgCurrency: string; add: (priced: P, unpriced: P) => P },
): P[] {
  const groups = new Map<string, P[]>();
  for (const p of parts) {
    const k = key(p);
    const g = groups.get(k);
    if (g) g.push(p);
    else groups.set(k, [p]);
  }
  const out: P[] = [];
  for (const g of groups.values()) {
    const priced = g.filter((p) => p.currency !== null);
    const unpriced = g.filter((p) => p.currency === null);
    if (priced.length === 0 || unpriced.length === 0) {
      out.push(...g);
      continue;
    }
    const primary = [...priced].sort((a, b) => Number(b.currency === orgCurrency) - Number(a.currency === orgCurrency) || compareText(a.currency!, b.currency!))[0]!;
    for (const p of priced) out.push(p === primary ? unpriced.reduce(add, p) : p);
  }
  return out;
}
