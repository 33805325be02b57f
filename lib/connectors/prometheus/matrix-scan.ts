// A fast reader of successful query_range answers, straight from the response bytes.
//
// JSON.parse of a matrix builds an array and a string per sample ([1767225600, "123"]) that the
// client then turns into numbers and drops: for a week of counters (40 MB of answers) that was most
// of the connector's own CPU, half of it garbage collection. This scanner reads the same JSON and
// writes times and values straight into the series' number arrays; the small parts (label sets,
// unknown keys such as warnings) go through JSON.parse.
//
// It only accepts what it fully understands: a well-formed success envelope whose data is a matrix
// of {metric: {name: string}, values: [[number, string], ...]} items. For anything else (an error
// envelope, a vector, a malformed series or sample, invalid JSON anywhere) it returns null, and the
// client takes its general path (JSON.parse + parseMatrix), which produces the errors operators see.
// The result equals parseMatrix's exactly: times are Math.round(seconds × 1000) of the same double
// JSON.parse reads, values are Number(text), and non-finite values are dropped.
import type { Series } from "@/lib/telemetry/types";

const enum C {
  Tab = 9,
  Lf = 10,
  Cr = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  E = 69,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  e = 101,
  LBrace = 123,
  RBrace = 125,
}

class Unsupported extends Error {}
const unsupported = () => new Unsupported();

/** 10^k for k ≤ 22: exact doubles, so digits / 10^k is the correctly rounded value of the decimal text. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

class Scanner {
  pos = 0;
  constructor(readonly b: Buffer) {}

  ws() {
    const b = this.b;
    let p = this.pos;
    while (p < b.length) {
      const c = b[p]!;
      if (c !== C.Space && c !== C.Lf && c !== C.Cr && c !== C.Tab) break;
      p++;
    }
    this.pos = p;
  }

  expect(c: number) {
    this.ws();
    if (this.b[this.pos] !== c) throw unsupported();
    this.pos++;
  }

  /** Next non-space byte, not consumed. */
  peek(): number {
    this.ws();
    return this.pos < this.b.length ? this.b[this.pos]! : -1;
  }

  /** End (exclusive) of the string starting at pos (a quote); sets `escaped` when it has escapes. */
  stringEnd(): { end: number; escaped: boolean } {
    const b = this.b;
    let p = this.pos + 1;
    let escaped = false;
    while (p < b.length) {
      const c = b[p]!;
      if (c === C.Quote) return { end: p + 1, escaped };
      if (c === C.Backslash) {
        escaped = true;
        p += 2;
        continue;
      }
      if (c < 0x20) throw unsupported();
      p++;
    }
    throw unsupported();
  }

  string(): string {
    this.ws();
    if (this.b[this.pos] !== C.Quote) throw unsupported();
    const start = this.pos;
    const { end, escaped } = this.stringEnd();
    this.pos = end;
    return escaped ? (JSON.parse(this.b.toString("utf8", start, end)) as string) : this.b.toString("utf8", start + 1, end - 1);
  }

  /** Any JSON value, by finding its end and handing that slice to JSON.parse (small parts only). */
  value(): unknown {
    this.ws();
    const b = this.b;
    const start = this.pos;
    const first = b[start];
    if (first === C.Quote) {
      this.pos = this.stringEnd().end;
    } else if (first === C.LBrace || first === C.LBracket) {
      let depth = 0;
      while (this.pos < b.length) {
        const c = b[this.pos]!;
        if (c === C.Quote) {
          this.pos = this.stringEnd().end;
          continue;
        }
        this.pos++;
        if (c === C.LBrace || c === C.LBracket) depth++;
        else if ((c === C.RBrace || c === C.RBracket) && --depth === 0) break;
      }
    } else {
      while (this.pos < b.length) {
        const c = b[this.pos]!;
        if (c === C.Comma || c === C.RBrace || c === C.RBracket || c === C.Space || c === C.Lf || c === C.Cr || c === C.Tab) break;
        this.pos++;
      }
    }
    if (this.pos === start) throw unsupported();
    try {
      return JSON.parse(b.toString("utf8", start, this.pos));
    } catch {
      throw unsupported();
    }
  }

  /**
   * A JSON number at pos, as JSON.parse reads it. Plain decimals of at most 15 digits are computed
   * exactly-rounded from their digits; anything longer or with an exponent goes through Number().
   */
  number(): number {
    this.ws();
    const b = this.b;
    const start = this.pos;
    let p = start;
    let neg = false;
    if (b[p] === C.Minus) {
      neg = true;
      p++;
    }
    let digits = 0;
    let m = 0;
    let frac = 0;
    const intStart = p;
    while (p < b.length && b[p]! >= C.Zero && b[p]! <= C.Nine) {
      m = m * 10 + (b[p]! - C.Zero);
      p++;
    }
    digits = p - intStart;
    if (digits === 0 || (digits > 1 && b[intStart] === C.Zero)) throw unsupported();
    if (b[p] === C.Dot) {
      p++;
      const fracStart = p;
      while (p < b.length && b[p]! >= C.Zero && b[p]! <= C.Nine) {
        m = m * 10 + (b[p]! - C.Zero);
        p++;
      }
      frac = p - fracStart;
      if (frac === 0) throw unsupported();
      digits += frac;
    }
    let slow = digits > 15;
    if (b[p] === C.e || b[p] === C.E) {
      slow = true;
      p++;
      if (b[p] === C.Plus || b[p] === C.Minus) p++;
      const expStart = p;
      while (p < b.length && b[p]! >= C.Zero && b[p]! <= C.Nine) p++;
      if (p === expStart) throw unsupported();
    }
    this.pos = p;
    if (slow) return Number(b.toString("latin1", start, p));
    const x = frac ? m / POW10[frac]! : m;
    return neg ? -x : x;
  }

  /** A sample value: a JSON string holding a Go-formatted float, as Number(text) reads it. */
  sampleValue(): number {
    this.ws();
    const b = this.b;
    if (b[this.pos] !== C.Quote) throw unsupported();
    const start = this.pos + 1;
    let p = start;
    let m = 0;
    let digits = 0;
    let frac = 0;
    let simple = true;
    let neg = false;
    if (b[p] === C.Minus) {
      neg = true;
      p++;
    }
    const intStart = p;
    while (p < b.length && b[p]! >= C.Zero && b[p]! <= C.Nine) {
      m = m * 10 + (b[p]! - C.Zero);
      p++;
    }
    digits = p - intStart;
    if (digits === 0) simple = false;
    if (simple && b[p] === C.Dot) {
      p++;
      const fracStart = p;
      while (p < b.length && b[p]! >= C.Zero && b[p]! <= C.Nine) {
        m = m * 10 + (b[p]! - C.Zero);
        p++;
      }
      frac = p - fracStart;
      if (frac === 0) simple = false;
      digits += frac;
    }
    if (simple && digits <= 15 && b[p] === C.Quote) {
      this.pos = p + 1;
      const x = frac ? m / POW10[frac]! : m;
      return neg ? -x : x;
    }
    // Exponents, long mantissas, NaN, ±Inf, escapes: the general reading.
    this.pos = start - 1;
    return Number(this.string());
  }
}

/**
 * The series of a successful matrix answer (status 2xx), or null when the body is anything else
 * (the caller then parses it the general way, which reports what is wrong).
 */
export function scanMatrixResponse(body: Buffer): Series[] | null {
  try {
    return scan(new Scanner(body));
  } catch (err) {
    if (err instanceof Unsupported || err instanceof SyntaxError) return null;
    throw err;
  }
}

function scan(s: Scanner): Series[] | null {
  let status: unknown;
  let result: Series[] | null = null;
  let resultType: unknown;
  scanObject(s, (key) => {
    if (key === "data") {
      const d = scanData(s);
      result = d.result;
      resultType = d.resultType;
    } else if (key === "status") {
      status = s.value();
    } else {
      s.value();
    }
  });
  s.ws();
  if (s.pos !== s.b.length) return null;
  if (status !== "success" || resultType !== "matrix" || !result) return null;
  return result;
}

function scanData(s: Scanner): { resultType: unknown; result: Series[] | null } {
  let resultType: unknown;
  let result: Series[] | null = null;
  scanObject(s, (key) => {
    if (key === "result") result = scanResult(s);
    else if (key === "resultType") resultType = s.value();
    else s.value();
  });
  return { resultType, result };
}

/** Reads one JSON object, calling `member` with each key once the scanner stands on its value (which `member` must consume). */
function scanObject(s: Scanner, member: (key: string) => void) {
  s.expect(C.LBrace);
  if (s.peek() !== C.RBrace) {
    for (;;) {
      const key = s.string();
      s.expect(C.Colon);
      member(key);
      if (s.peek() !== C.Comma) break;
      s.pos++;
    }
  }
  s.expect(C.RBrace);
}

function scanResult(s: Scanner): Series[] {
  const out: Series[] = [];
  s.expect(C.LBracket);
  if (s.peek() === C.RBracket) {
    s.pos++;
    return out;
  }
  for (;;) {
    out.push(scanSeries(s));
    const c = s.peek();
    s.pos++;
    if (c === C.Comma) continue;
    if (c === C.RBracket) return out;
    throw unsupported();
  }
}

function scanSeries(s: Scanner): Series {
  let metric: Record<string, string> | undefined;
  let t: number[] | undefined;
  let v: number[] | undefined;
  scanObject(s, (key) => {
    if (key === "metric") {
      const m = s.value();
      if (!m || typeof m !== "object" || Array.isArray(m)) throw unsupported();
      for (const x of Object.values(m)) if (typeof x !== "string") throw unsupported();
      metric = m as Record<string, string>;
    } else if (key === "values") {
      t = [];
      v = [];
      scanValues(s, t, v);
    } else {
      s.value();
    }
  });
  if (!metric || !t || !v) throw unsupported();
  return { metric, t, v };
}

function scanValues(s: Scanner, t: number[], v: number[]) {
  s.expect(C.LBracket);
  if (s.peek() === C.RBracket) {
    s.pos++;
    return;
  }
  const b = s.b;
  const n = b.length;
  let p = s.pos;
  for (;;) {
    // The common shape, [1767225600,"123.5"] or [1767225600.5,"7"], in one tight pass over local
    // variables; anything else (spaces, exponents, long digits, NaN...) is read by the general
    // methods from the start of the pair.
    const pairStart = p;
    let fast = false;
    let time = 0;
    let value = 0;
    if (b[p] === C.LBracket) {
      p++;
      let m = 0;
      const intStart = p;
      let c = b[p]!;
      while (c >= C.Zero && c <= C.Nine && p < n) {
        m = m * 10 + (c - C.Zero);
        c = b[++p]!;
      }
      const intDigits = p - intStart;
      let frac = 0;
      let dot = false;
      if (c === C.Dot) {
        dot = true;
        const fracStart = ++p;
        c = b[p]!;
        while (c >= C.Zero && c <= C.Nine && p < n) {
          m = m * 10 + (c - C.Zero);
          c = b[++p]!;
        }
        frac = p - fracStart;
      }
      const wellFormed = intDigits > 0 && !(intDigits > 1 && b[intStart] === C.Zero) && !(dot && frac === 0);
      if (wellFormed && intDigits + frac <= 15 && c === C.Comma && b[p + 1] === C.Quote) {
        time = frac ? m / POW10[frac]! : m;
        p += 2;
        m = 0;
        const vStart = p;
        c = b[p]!;
        while (c >= C.Zero && c <= C.Nine && p < n) {
          m = m * 10 + (c - C.Zero);
          c = b[++p]!;
        }
        let vDigits = p - vStart;
        let vFrac = 0;
        if (c === C.Dot) {
          const fracStart = ++p;
          c = b[p]!;
          while (c >= C.Zero && c <= C.Nine && p < n) {
            m = m * 10 + (c - C.Zero);
            c = b[++p]!;
          }
          vFrac = p - fracStart;
          vDigits += vFrac;
          if (vFrac === 0) vDigits = 0;
        }
        if (vDigits > 0 && vDigits <= 15 && c === C.Quote && b[p + 1] === C.RBracket) {
          value = vFrac ? m / POW10[vFrac]! : m;
          p += 2;
          fast = true;
        }
      }
    }
    if (!fast) {
      s.pos = pairStart;
      s.expect(C.LBracket);
      time = s.number();
      s.expect(C.Comma);
      value = s.sampleValue();
      s.expect(C.RBracket);
      p = s.pos;
    }
    if (Number.isFinite(value)) {
      t.push(Math.round(time * 1000));
      v.push(value);
    }
    let c = b[p];
    if (c === C.Comma) {
      p++;
      continue;
    }
    if (c === C.RBracket) {
      s.pos = p + 1;
      return;
    }
    s.pos = p;
    c = s.peek();
    s.pos++;
    p = s.pos;
    if (c === C.Comma) continue;
    if (c === C.RBracket) return;
    throw unsupported();
  }
}
