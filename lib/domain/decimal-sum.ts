// Exact sums of decimal strings (money as the API returns it) without floats: BigInt at 10^-12.
const SCALE = 12;

function toUnits(s: string): bigint {
  const m = /^(-)?(\d*)(?:\.(\d*))?$/.exec(s.trim());
  if (!m) throw new Error(`not a decimal: ${s}`);
  const frac = (m[3] ?? "").padEnd(SCALE, "0");
  if (frac.length > SCALE && /[1-9]/.test(frac.slice(SCALE))) throw new Error(`more than ${SCALE} decimals: ${s}`);
  const v = BigInt((m[2] || "0") + frac.slice(0, SCALE));
  return m[1] ? -v : v;
}

function fromUnits(v: bigint): string {
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(SCALE + 1, "0");
  const int = digits.slice(0, -SCALE);
  const frac = digits.slice(-SCALE).replace(/0+$/, "");
  return `${neg ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
}

/** Σ of decimal strings, nulls skipped; "0" for none. */
export function sumDecimals(values: Iterable<string | null | undefined>): string {
  let total = 0n;
  for (const v of values) if (v !== null && v !== undefined && v !== "") total += toUnits(v);
  return fromUnits(total);
}
