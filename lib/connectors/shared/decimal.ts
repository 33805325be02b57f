// Exact decimal text: costs travel from the bill to NUMERIC as strings and are never floats. Where a
// normalizer has to compute (GCP cost + credits, Azure price × quantity, a currency conversion), it
// does so on scaled BigInts, which is exact for addition and multiplication.

// Digits with an optional point and exponent: 12, -0.5, .5, 5., 1.2E-7, +3.
export const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,4})?$/;

/** DECIMAL.test(s) by hand: one scan of the characters, cheaper than the regular expression on the hot path (six decimals a row). */
export function isDecimalSyntax(s: string): boolean {
  const n = s.length;
  let i = 0;
  let c = n > 0 ? s.charCodeAt(0) : -1;
  if (c === 43 /* + */ || c === 45 /* - */) i = 1;
  let digits = 0;
  while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
    i++;
    digits++;
  }
  if (i < n && s.charCodeAt(i) === 46 /* . */) {
    i++;
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (i === n) return true;
  c = s.charCodeAt(i);
  if (c !== 101 /* e */ && c !== 69 /* E */) return false;
  i++;
  c = i < n ? s.charCodeAt(i) : -1;
  if (c === 43 || c === 45) i++;
  let expDigits = 0;
  while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) {
    i++;
    expDigits++;
  }
  return i === n && expDigits >= 1 && expDigits <= 4;
}

/** The canonical text of a decimal (trimmed; as Postgres NUMERIC accepts it), or undefined if it is not one. */
export function parseDecimal(raw: string): string | undefined {
  const s = raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32) ? raw.trim() : raw;
  if (!isDecimalSyntax(s)) return undefined;
  // Postgres NUMERIC takes exponents up to ±1000 and at most 16383 digits after the point: reject here
  // what the database would reject, so the error names the line and column.
  if (s.length > 1000) return undefined;
  const e = s.length > 4 ? s.search(/[eE]/) : -1;
  if (e >= 0 && Math.abs(Number(s.slice(e + 1))) > 1000) return undefined;
  return s;
}

type Scaled = { units: bigint; scale: number };

function toScaled(text: string): Scaled {
  const s = parseDecimal(text);
  if (s === undefined) throw new Error(`Not a decimal: ${JSON.stringify(text)}`);
  let mantissa = s;
  let exp = 0;
  const e = s.search(/[eE]/);
  if (e >= 0) {
    exp = Number(s.slice(e + 1));
    mantissa = s.slice(0, e);
  }
  let sign = 1n;
  if (mantissa[0] === "-" || mantissa[0] === "+") {
    if (mantissa[0] === "-") sign = -1n;
    mantissa = mantissa.slice(1);
  }
  const dot = mantissa.indexOf(".");
  const intPart = dot >= 0 ? mantissa.slice(0, dot) : mantissa;
  const frac = dot >= 0 ? mantissa.slice(dot + 1) : "";
  let units = BigInt((intPart + frac).replace(/^0+(?=\d)/, "") || "0");
  let scale = frac.length - exp;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: sign * units, scale };
}

function align(a: Scaled, b: Scaled): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

function fromScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, "0");
    let frac = digits.slice(digits.length - scale).replace(/0+$/, "");
    const int = digits.slice(0, digits.length - scale);
    digits = frac ? `${int}.${frac}` : int;
    frac = "";
  }
  return negative && digits !== "0" ? `-${digits}` : digits;
}

/** a + b, exactly. */
export function addDecimals(a: string, b: string): string {
  const [x, y, scale] = align(toScaled(a), toScaled(b));
  return fromScaled(x + y, scale);
}

/** Σ values, exactly ("0" for none). */
export function sumDecimals(values: Iterable<string>): string {
  let acc: Scaled = { units: 0n, scale: 0 };
  for (const v of values) {
    const [x, y, scale] = align(acc, toScaled(v));
    acc = { units: x + y, scale };
  }
  return fromScaled(acc.units, acc.scale);
}

/** a × b, exactly (the scale is the sum of both scales). */
export function mulDecimals(a: string, b: string): string {
  const x = toScaled(a);
  const y = toScaled(b);
  return fromScaled(x.units * y.units, x.scale + y.scale);
}

/** a − b, exactly. */
export function subDecimals(a: string, b: string): string {
  return addDecimals(a, negateDecimal(b));
}

export function negateDecimal(a: string): string {
  const x = toScaled(a);
  return fromScaled(-x.units, x.scale);
}

export function isZeroDecimal(a: string): boolean {
  return toScaled(a).units === 0n;
}

/** Compares two decimals: -1, 0 or 1. */
export function compareDecimals(a: string, b: string): number {
  const [x, y] = align(toScaled(a), toScaled(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** a / b rounded half away from zero to `scale` decimals (for GPU counts from GPU-hours). */
export function divDecimals(a: string, b: string, scale = 6): string {
  const x = toScaled(a);
  const y = toScaled(b);
  if (y.units === 0n) throw new Error("Division by zero");
  // a/b = (xu / 10^xs) / (yu / 10^ys) = xu × 10^(ys + scale - xs) / yu, in units of 10^-scale
  const shift = y.scale + scale - x.scale;
  let num = x.units;
  let den = y.units;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  const negative = num < 0n !== den < 0n;
  if (num < 0n) num = -num;
  if (den < 0n) den = -den;
  let q = num / den;
  if ((num % den) * 2n >= den) q += 1n;
  return fromScaled(negative ? -q : q, scale);
}

/**
 * An exact running sum of decimal texts, fast enough for every cost of a million-row bill: plain
 * decimals are read with one BigInt() each, aligned to the largest scale seen (exponent forms take the
 * general path). `toString()` gives the sum without trailing zeros, like Postgres' trim_scale.
 */
export class DecimalSum {
  private units = 0n;
  private scale = 0;
  /**
   * Units at `scale` not yet added to `units`: costs of up to 15 digits are summed as Numbers, which is
   * exact while the magnitude stays under 2^53 (flushed into the BigInt before it could pass that).
   * A BigInt parse per value was 4 % of the ingestion's CPU.
   */
  private pending = 0;

  add(text: string): void {
    const n = text.length;
    if (n <= 17) {
      // Fast path: [+-] digits [. digits], at most 15 digits, no exponent.
      let i = 0;
      let c = text.charCodeAt(0);
      const negative = c === 45; /* - */
      if (negative || c === 43 /* + */) i = 1;
      let v = 0;
      let digits = 0;
      let dot = -1;
      for (; i < n; i++) {
        c = text.charCodeAt(i);
        if (c >= 48 && c <= 57) {
          v = v * 10 + (c - 48);
          digits++;
        } else if (c === 46 /* . */ && dot < 0) {
          dot = i;
        } else break;
      }
      if (i === n && digits > 0 && digits <= 15) {
        const scale = dot < 0 ? 0 : n - dot - 1;
        if (negative) v = -v;
        if (scale > this.scale) {
          this.flush();
          this.units *= 10n ** BigInt(scale - this.scale);
          this.scale = scale;
        } else if (scale < this.scale) {
          const diff = this.scale - scale;
          if (diff > 15) return this.addSlow(text);
          v *= 10 ** diff;
          if (!Number.isSafeInteger(v)) return this.addSlow(text);
        }
        // |pending| < 2^52 and |v| < 2^53 before the add would not do: flush first when large.
        if (Math.abs(this.pending) >= 2 ** 52 || Math.abs(v) >= 2 ** 52) this.flush();
        this.pending += v;
        return;
      }
    }
    this.addSlow(text);
  }

  private flush() {
    if (this.pending !== 0) {
      this.units += BigInt(this.pending);
      this.pending = 0;
    }
  }

  private addSlow(text: string): void {
    this.flush();
    let units: bigint;
    let scale: number;
    const dot = text.indexOf(".");
    if (text.indexOf("e") === -1 && text.indexOf("E") === -1) {
      if (dot === -1) {
        units = BigInt(text);
        scale = 0;
      } else {
        const frac = text.length - dot - 1;
        const digits = text.slice(0, dot) + text.slice(dot + 1);
        units = digits === "" || digits === "-" || digits === "+" ? 0n : BigInt(digits);
        scale = frac;
      }
    } else {
      const s = toScaled(text);
      units = s.units;
      scale = s.scale;
    }
    if (scale > this.scale) {
      this.units *= 10n ** BigInt(scale - this.scale);
      this.scale = scale;
    } else if (scale < this.scale) {
      units *= 10n ** BigInt(this.scale - scale);
    }
    this.units += units;
  }

  toString(): string {
    this.flush();
    return fromScaled(this.units, this.scale);
  }
}
