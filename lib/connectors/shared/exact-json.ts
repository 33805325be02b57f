// JSON.parse turns 0.1234567890123456789 into a float; bill amounts must stay exact. This small parser
// keeps every number as its source text (JsonNumber), and stringifyExact writes it back unchanged.
// (JSON.parse's source-text access for revivers arrives in Node 22; this project runs on Node 20.)

export class JsonNumber {
  constructor(readonly text: string) {}
}

export type ExactJson = null | boolean | string | JsonNumber | ExactJson[] | { [k: string]: ExactJson };

export class ExactJsonError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseExactJson(text: string): ExactJson {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const fail = (what: string): never => {
    throw new ExactJsonError(`${what} at character ${i + 1}`, i);
  };
  const str = (): string => {
    // text[i] === '"'
    let j = i + 1;
    let out = "";
    let seg = j;
    for (;;) {
      if (j >= n) fail("unterminated string");
      const c = text.charCodeAt(j);
      if (c === 34) break;
      if (c === 92) {
        out += text.slice(seg, j);
        const e = text[j + 1];
        if (e === "u") {
          const hex = text.slice(j + 2, j + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
          out += String.fromCharCode(parseInt(hex, 16));
          j += 6;
        } else {
          const map: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
          const m = e === undefined ? undefined : map[e];
          if (m === undefined) fail("bad escape");
          out += m;
          j += 2;
        }
        seg = j;
        continue;
      }
      j++;
    }
    out += text.slice(seg, j);
    i = j + 1;
    return out;
  };
  const value = (): ExactJson => {
    ws();
    if (i >= n) fail("unexpected end");
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: { [k: string]: ExactJson } = {};
      ws();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a key");
        const k = str();
        ws();
        if (text[i] !== ":") fail("expected ':'");
        i++;
        obj[k] = value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return obj;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const arr: ExactJson[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return arr;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    if (text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail("unexpected character");
    i += m[0].length;
    return new JsonNumber(m[0]);
  };
  const out = value();
  ws();
  if (i < n) fail("unexpected text after the value");
  return out;
}

export function stringifyExact(v: ExactJson): string {
  if (v === null) return "null";
  if (v instanceof JsonNumber) return v.text;
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (Array.isArray(v)) return `[${v.map(stringifyExact).join(",")}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${JSON.stringify(k)}:${stringifyExact(x)}`)
    .join(",")}}`;
}

/** A scalar as text (numbers exactly as written); objects and arrays as exact JSON text. */
export function exactText(v: ExactJson | undefined): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === "string") return v;
  if (v instanceof JsonNumber) return v.text;
  if (typeof v === "boolean") return v ? "true" : "false";
  return stringifyExact(v);
}
