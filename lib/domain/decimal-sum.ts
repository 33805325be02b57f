// Exact sums of decimal strings (money as the API returns it) without floats: BigInt at the largest
// scale among the terms, so any number of decimals adds exactly (rates are unscaled numerics, so
// costs can carry 16 or more decimals).

type Units = { v: bigint; scale: number };

function parse(s: string): Units {
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(s.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new Error(`not a decimal: ${s}`);
  const frac = m[3] ?? "";
  const v = BigInt((m[2] || "0") + frac);
  return { v: m[1] === "-" ? -v : v, scale: frac.length };
}

function rescale(u: Units, scale: number): bigint {
  return u.v * 10n ** BigInt(scale - u.scale);
}

function format({ v, scale }: Units): string {
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(scale + 1, "0");
  const int = scale > 0 ? digits.slice(0, -scale) : digits;
  const frac = scale > 0 ? digits.slice(-scale).replace(/0+$/, "") : "";
  return `${neg && (int !== "0" || frac) ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
}

/** Σ of decimal strings, nulls skipped; "0" for none. */
export function sumDecimals(values: Iterable<string | null | undefined>): string {
  let total: Units = { v: 0n, scale: 0 };
  for (const s of values) {
    if (s === null || s === undefined || s === "") continue;
    const u = parse(s);
    const scale = Math.max(total.scale, u.scale);
    total = { v: rescale(total, scale) + rescale(u, scale), scale };
  }
  return format(total);
}
