// An in-process Prometheus for the demo seed: it answers the HTTP API calls the Prometheus connector
// makes (/api/v1/status/buildinfo, /api/v1/query_range) from generated series, in Prometheus' exact
// response shape, so `seed --demo` runs the connector's real code path (client and envelope checks,
// matrix parsing, hourly aggregation, workload identity, storage, watermark, GPU linking) without a
// Prometheus server on the user's machine. tests/integration/telemetry-demo-prometheus.test.ts checks
// its answers against a real Prometheus backfilled with the same samples.
//
// Series are generated, not stored: each has a scrape grid (first, interval, last) and a value
// function, so a month of a 112-GPU fleet costs a few arrays of hourly values, not millions of samples.
//
// The PromQL it understands is what the connector sends, and nothing else (anything else is answered
// with Prometheus' own 400 bad_data error):
//   <selector>                                   instant vector (5-minute lookback)
//   sum_over_time(<selector>[<range>])           samples in [t − range, t] (Prometheus 2, the default
//                                                version it reports) or (t − range, t] (3 and later)
//   count_over_time(<selector>[<range>])
//   count(<selector>)
// where <selector> is `name{matchers}` or `{__name__=~"…", matchers}` with =, !=, =~, !~.
import type { HttpResponse, Transport } from "../../lib/telemetry/http-transport";

export type SyntheticSeries = {
  /** Labels, __name__ included. */
  labels: Record<string, string>;
  /** First and last scrape time (epoch ms, inclusive); scrapes are at first + k × intervalMs. */
  first: number;
  last: number;
  intervalMs: number;
  /** The scraped value at a scrape time, or null when the target was down (no sample). */
  value(t: number): number | null;
};

/** Prometheus' default lookback delta for instant selectors. */
const LOOKBACK_MS = 5 * 60_000;
/** Prometheus refuses range queries of more points per series. */
const MAX_POINTS = 11_000;
/** The version the in-process server reports and whose range semantics it follows (Debian's, which the tests compare it with). */
export const DEMO_PROMETHEUS_VERSION = "2.42.0";

type Matcher = { label: string; op: "=" | "!=" | "=~" | "!~"; value: string; re?: RegExp };
type Query = { fn: "select" | "count" | "sum_over_time" | "count_over_time"; matchers: Matcher[]; rangeMs?: number };

class BadData extends Error {}

function parseString(text: string, at: number): { value: string; end: number } {
  const quote = text[at];
  if (quote !== '"' && quote !== "'") throw new BadData(`expected a string at position ${at}`);
  let out = "";
  let i = at + 1;
  while (i < text.length && text[i] !== quote) {
    if (text[i] === "\\") {
      const c = text[i + 1];
      out += c === "n" ? "\n" : c === "t" ? "\t" : (c ?? "");
      i += 2;
    } else out += text[i++];
  }
  if (i >= text.length) throw new BadData("unterminated string literal");
  return { value: out, end: i + 1 };
}

function parseSelector(text: string): Matcher[] {
  const s = text.trim();
  const m = s.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(\{.*\})?$/s);
  if (!m || (!m[1] && !m[2])) throw new BadData(`unsupported selector ${JSON.stringify(s)}`);
  const matchers: Matcher[] = m[1] ? [{ label: "__name__", op: "=", value: m[1] }] : [];
  const body = m[2] ? m[2].slice(1, -1) : "";
  let i = 0;
  while (i < body.length) {
    while (i < body.length && /[\s,]/.test(body[i]!)) i++;
    if (i >= body.length) break;
    const lm = body.slice(i).match(/^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*/);
    if (!lm) throw new BadData(`unexpected character in label matching: ${JSON.stringify(body.slice(i, i + 20))}`);
    i += lm[0].length;
    const str = parseString(body, i);
    i = str.end;
    const op = lm[2] as Matcher["op"];
    const matcher: Matcher = { label: lm[1]!, op, value: str.value };
    if (op === "=~" || op === "!~") matcher.re = new RegExp(`^(?:${str.value})$`, "s");
    matchers.push(matcher);
  }
  const matchesEmpty = (x: Matcher) => (x.op === "=" ? x.value === "" : x.op === "!=" ? x.value !== "" : x.op === "=~" ? x.re!.test("") : !x.re!.test(""));
  if (matchers.every(matchesEmpty)) {
    throw new BadData("vector selector must contain at least one non-empty matcher");
  }
  return matchers;
}

function parseDuration(text: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(text)) throw new BadData(`not a valid duration string: ${JSON.stringify(text)}`);
  let ms = 0;
  for (const [, n, u] of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) ms += Number(n) * units[u!]!;
  return ms;
}

export function parseQuery(query: string): Query {
  const q = query.trim();
  const fn = q.match(/^(sum_over_time|count_over_time)\s*\((.*)\[([0-9a-z]+)\]\s*\)$/s);
  if (fn) return { fn: fn[1] as Query["fn"], matchers: parseSelector(fn[2]!), rangeMs: parseDuration(fn[3]!) };
  const count = q.match(/^count\s*\((.*)\)$/s);
  if (count) return { fn: "count", matchers: parseSelector(count[1]!) };
  return { fn: "select", matchers: parseSelector(q) };
}

function matches(labels: Record<string, string>, matchers: Matcher[]): boolean {
  for (const m of matchers) {
    const v = labels[m.label] ?? "";
    if (m.op === "=" && v !== m.value) return false;
    if (m.op === "!=" && v === m.value) return false;
    if (m.op === "=~" && !m.re!.test(v)) return false;
    if (m.op === "!~" && m.re!.test(v)) return false;
  }
  return true;
}

/** Scrape indexes k with lo < first + k·interval ≤ hi (lo ≤ … when closedLeft), within the series' life. */
function scrapeRange(s: SyntheticSeries, lo: number, hi: number, closedLeft: boolean): [number, number] {
  const lastK = Math.floor((s.last - s.first) / s.intervalMs);
  const kMin = Math.max(0, closedLeft ? Math.ceil((lo - s.first) / s.intervalMs) : Math.floor((lo - s.first) / s.intervalMs) + 1);
  const kMax = Math.min(lastK, Math.floor((hi - s.first) / s.intervalMs));
  return [kMin, kMax];
}

/** Value of an instant selector at t: the newest sample within the lookback. */
function instantValue(s: SyntheticSeries, t: number, closedLeft: boolean): number | null {
  const [kMin, kMax] = scrapeRange(s, t - LOOKBACK_MS, t, closedLeft);
  for (let k = kMax; k >= kMin; k--) {
    const v = s.value(s.first + k * s.intervalMs);
    if (v !== null) return v;
  }
  return null;
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64), which Prometheus uses for sample values. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  const s = String(v);
  if (!s.includes("e")) return s;
  const [mantissa, exp] = s.split("e") as [string, string];
  const e = Number(exp);
  const negative = mantissa.startsWith("-");
  const [int, frac = ""] = mantissa.replace("-", "").split(".") as [string, string?];
  const digits = int + frac;
  const point = int.length + e;
  const body = point <= 0 ? `0.${"0".repeat(-point)}${digits}` : point >= digits.length ? digits + "0".repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? "-" : "") + body;
}

function labelOrder(a: Record<string, string>, b: Record<string, string>): number {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    const va = a[ka[i]!]!;
    const vb = b[kb[i]!]!;
    if (va !== vb) return va < vb ? -1 : 1;
  }
  return ka.length - kb.length;
}

type Point = [number, number];

/** Evaluates a range query; returns the matrix's result array (series with at least one point). */
export function evaluateRange(
  series: readonly SyntheticSeries[],
  query: string,
  start: number,
  end: number,
  stepMs: number,
  majorVersion = 2,
): Array<{ metric: Record<string, string>; values: Point[] }> {
  const q = parseQuery(query);
  // Prometheus 2 selects [t − range, t] (and a lookback of [t − 5m, t]); 3 and later (t − range, t].
  const closed = majorVersion < 3;
  if (stepMs <= 0) throw new BadData("zero or negative query resolution step widths are not accepted. Try a positive integer");
  if (end < start) throw new BadData("end timestamp must not be before start time");
  if ((end - start) / stepMs + 1 > MAX_POINTS) throw new BadData(`exceeded maximum resolution of ${MAX_POINTS.toLocaleString("en-US")} points per timeseries. Try decreasing the query resolution (?step=XX)`);
  // Only series alive in the query's reach: [start − range (or lookback), end].
  const reach = start - (q.rangeMs ?? LOOKBACK_MS);
  const selected = series.filter((s) => s.last >= reach && s.first <= end && matches(s.labels, q.matchers));
  const times: number[] = [];
  for (let t = start; t <= end; t += stepMs) times.push(t);

  if (q.fn === "count") {
    const values: Point[] = [];
    for (const t of times) {
      let n = 0;
      for (const s of selected) if (instantValue(s, t, closed) !== null) n++;
      if (n > 0) values.push([t, n]);
    }
    return values.length ? [{ metric: {}, values }] : [];
  }

  // Series with the same labels (a GPU's series before and after a restart) are one series.
  // sum_over_time sums as Prometheus does: Kahan-Neumaier compensated, in time order (kahanSumInc).
  const out = new Map<string, { metric: Record<string, string>; points: Map<number, number>; comp: Map<number, number> }>();
  for (const s of selected) {
    const metric = q.fn === "select" ? s.labels : Object.fromEntries(Object.entries(s.labels).filter(([k]) => k !== "__name__"));
    const key = JSON.stringify(Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let acc = out.get(key);
    if (!acc) {
      acc = { metric, points: new Map(), comp: new Map() };
      out.set(key, acc);
    }
    for (const t of times) {
      if (t < s.first || t - (q.rangeMs ?? LOOKBACK_MS) > s.last) continue;
      if (q.fn === "select") {
        const v = instantValue(s, t, closed);
        if (v !== null) acc.points.set(t, v);
        continue;
      }
      const [kMin, kMax] = scrapeRange(s, t - q.rangeMs!, t, closed);
      let sum = acc.points.get(t) ?? 0;
      let c = acc.comp.get(t) ?? 0;
      let count = 0;
      for (let k = kMin; k <= kMax; k++) {
        const v = s.value(s.first + k * s.intervalMs);
        if (v === null) continue;
        count++;
        if (q.fn === "count_over_time") {
          sum += 1;
          continue;
        }
        const next = sum + v;
        if (!Number.isFinite(next)) c = 0;
        else if (Math.abs(sum) >= Math.abs(v)) c += sum - next + v;
        else c += v - next + sum;
        sum = next;
      }
      if (count === 0) continue;
      acc.points.set(t, sum);
      acc.comp.set(t, c);
    }
  }
  return [...out.values()]
    .filter((s) => s.points.size > 0)
    .sort((a, b) => labelOrder(a.metric, b.metric))
    .map((s) => ({ metric: s.metric, values: [...s.points.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]): Point => [t, v + (s.comp.get(t) ?? 0)]) }));
}

function json(status: number, body: unknown): HttpResponse {
  return { status, contentType: "application/json", body: Buffer.from(JSON.stringify(body)) };
}

function renderMatrix(result: Array<{ metric: Record<string, string>; values: Point[] }>): HttpResponse {
  // Written by hand: timestamps as seconds with millisecond decimals, values as Go-formatted strings.
  const parts: string[] = [];
  for (const s of result) {
    const values = s.values.map(([t, v]) => `[${t / 1000},"${formatValue(v)}"]`).join(",");
    parts.push(`{"metric":${JSON.stringify(s.metric)},"values":[${values}]}`);
  }
  const body = `{"status":"success","data":{"resultType":"matrix","result":[${parts.join(",")}]}}`;
  return { status: 200, contentType: "application/json", body: Buffer.from(body) };
}

function parseTime(raw: string | null, name: string): number {
  if (raw === null) throw new BadData(`invalid parameter "${name}": cannot parse "" to a valid timestamp`);
  const n = Number(raw);
  if (Number.isFinite(n)) return Math.round(n * 1000);
  const d = Date.parse(raw);
  if (Number.isNaN(d)) throw new BadData(`invalid parameter "${name}": cannot parse "${raw}" to a valid timestamp`);
  return d;
}

/** A Transport for the Prometheus client that answers from `series` instead of the network. */
export function createInProcessPrometheus(series: readonly SyntheticSeries[], { version = DEMO_PROMETHEUS_VERSION }: { version?: string } = {}): Transport & { queries: number } {
  const major = Number(version.split(".")[0]);
  const transport = {
    queries: 0,
    async request({ url, method, form }: { url: URL; method: "GET" | "POST"; form?: URLSearchParams }): Promise<HttpResponse> {
      if (url.pathname.endsWith("/api/v1/status/buildinfo")) {
        return json(200, { status: "success", data: { version, revision: "in-process", branch: "demo", buildUser: "burnrate", buildDate: "", goVersion: "" } });
      }
      if (!url.pathname.endsWith("/api/v1/query_range")) return { status: 404, contentType: "text/plain; charset=utf-8", body: Buffer.from("404 page not found\n") };
      const params = method === "POST" && form ? form : url.searchParams;
      try {
        const query = params.get("query");
        if (!query) throw new BadData('invalid parameter "query": unknown position: parse error: no expression found in input');
        const start = parseTime(params.get("start"), "start");
        const end = parseTime(params.get("end"), "end");
        const stepRaw = params.get("step") ?? "";
        const stepMs = /^\d+(\.\d+)?$/.test(stepRaw) ? Math.round(Number(stepRaw) * 1000) : parseDuration(stepRaw);
        transport.queries++;
        return renderMatrix(evaluateRange(series, query, start, end, stepMs, major));
      } catch (err) {
        if (err instanceof BadData || err instanceof SyntaxError) return json(400, { status: "error", errorType: "bad_data", error: err.message });
        return json(500, { status: "error", errorType: "internal", error: (err as Error).message });
      }
    },
    close() {},
  };
  return transport;
}
