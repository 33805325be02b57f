// Prometheus HTTP API client: query_range (POST, form-encoded, so long selectors never hit URL limits)
// and buildinfo. Every failure becomes a PrometheusError whose message says what went wrong in terms
// an operator can act on: unreachable, timed out, refused the credentials, rejected the query, or
// answered something that is not a Prometheus API response.
import { createTransport, type HttpAuth, type Transport, TransportError, snippet } from "@/lib/telemetry/http-transport";
import type { Series } from "@/lib/telemetry/types";
import { scanMatrixResponse } from "./matrix-scan";

export type PrometheusErrorCode = "unreachable" | "timeout" | "tls" | "auth" | "http" | "bad_response" | "query" | "too_large";

export class PrometheusError extends Error {
  constructor(
    readonly code: PrometheusErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "PrometheusError";
  }
}

export type PrometheusClientOptions = {
  url: string;
  auth?: HttpAuth;
  caPem?: string;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /**
   * Answers the HTTP requests instead of the network (the demo's in-process Prometheus). The client
   * reads its answers exactly as a server's: status, envelope, matrix parsing, errors.
   */
  transport?: Transport;
  /** Called after every query_range with its parameters and timing (the bench replays them). */
  onQuery?: (q: RangeQuery & { ms: number; bytes: number; series: number }) => void;
};

export type RangeQuery = { query: string; start: number; end: number; stepSeconds: number };

export type PrometheusClient = {
  readonly baseUrl: string;
  /** start/end in epoch ms (inclusive), step in seconds. */
  queryRange(q: RangeQuery): Promise<Series[]>;
  /** Major version from /api/v1/status/buildinfo, or null when the server does not say (Thanos, Mimir...). */
  majorVersion(): Promise<number | null>;
  close(): void;
};

/** Epoch ms → the seconds with millisecond precision Prometheus accepts. */
export function promTime(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function apiUrl(base: URL, path: string): URL {
  const u = new URL(base.toString());
  u.pathname = `${u.pathname.replace(/\/+$/, "")}${path}`;
  u.search = "";
  return u;
}

type ApiEnvelope = { status?: unknown; data?: unknown; errorType?: unknown; error?: unknown; warnings?: unknown };

export function createPrometheusClient(opts: PrometheusClientOptions): PrometheusClient {
  let base: URL;
  try {
    base = new URL(opts.url);
  } catch {
    throw new PrometheusError("unreachable", `"${opts.url}" is not a URL`);
  }
  const where = `Prometheus at ${base.origin}${base.pathname.replace(/\/+$/, "")}`;
  const transport: Transport = opts.transport ?? createTransport({
    caPem: opts.caPem,
    auth: opts.auth,
    timeoutMs: opts.timeoutMs ?? 30_000,
    maxResponseBytes: opts.maxResponseBytes ?? 256 * 1024 * 1024,
  });

  async function call(path: string, form?: URLSearchParams, fastMatrix = false): Promise<{ envelope: ApiEnvelope; bytes: number; series?: Series[] }> {
    let res;
    try {
      res = await transport.request({ url: apiUrl(base, path), method: form ? "POST" : "GET", form });
    } catch (err) {
      if (err instanceof TransportError) throw new PrometheusError(err.code, `${where}: ${err.message}`);
      throw err;
    }
    const { status, contentType, body } = res;
    if (status === 401 || status === 403) {
      throw new PrometheusError("auth", `${where} refused the credentials (HTTP ${status}); check the bearer token or basic auth`, status);
    }
    if (fastMatrix && status >= 200 && status < 300) {
      // A well-formed matrix answer, read without building an object per sample; anything else
      // (errors included) takes the general path below.
      const series = scanMatrixResponse(body);
      if (series) return { envelope: { status: "success" }, bytes: body.length, series };
    }
    let envelope: ApiEnvelope | undefined;
    try {
      envelope = JSON.parse(body.toString("utf8")) as ApiEnvelope;
    } catch {
      envelope = undefined;
    }
    if (!envelope || typeof envelope !== "object" || Array.isArray(envelope)) {
      const kind = status >= 200 && status < 300 ? "bad_response" : "http";
      throw new PrometheusError(
        kind,
        `${where} answered HTTP ${status} with something that is not a Prometheus API response (${contentType || "no content type"}): ${snippet(body) || "empty body"}`,
        status,
      );
    }
    if (envelope.status === "error" || status < 200 || status >= 300) {
      const reason = typeof envelope.error === "string" ? envelope.error : snippet(body);
      const type = typeof envelope.errorType === "string" ? ` ${envelope.errorType}` : "";
      throw new PrometheusError(status === 400 || status === 422 ? "query" : "http", `${where} rejected the request (HTTP ${status}${type}): ${reason}`, status);
    }
    if (envelope.status !== "success") {
      throw new PrometheusError("bad_response", `${where} answered without status "success": ${snippet(body)}`, status);
    }
    return { envelope, bytes: body.length };
  }

  let version: Promise<number | null> | undefined;

  return {
    baseUrl: base.toString(),

    async queryRange(q) {
      const started = performance.now();
      const form = new URLSearchParams({ query: q.query, start: promTime(q.start), end: promTime(q.end), step: String(q.stepSeconds) });
      const answer = await call("/api/v1/query_range", form, true);
      const series = answer.series ?? parseMatrix(answer.envelope.data, where);
      const bytes = answer.bytes;
      opts.onQuery?.({ ...q, ms: performance.now() - started, bytes, series: series.length });
      return series;
    },

    majorVersion() {
      version ??= call("/api/v1/status/buildinfo").then(
        ({ envelope }) => {
          const v = (envelope.data as { version?: unknown } | undefined)?.version;
          const m = typeof v === "string" ? v.match(/^v?(\d+)\./) : null;
          return m ? Number(m[1]) : null;
        },
        (err: unknown) => {
          // Servers that speak the query API but not buildinfo (Thanos, Mimir, VictoriaMetrics): fine.
          if (err instanceof PrometheusError && (err.code === "http" || err.code === "query" || err.code === "bad_response")) return null;
          throw err;
        },
      );
      return version;
    },

    close() {
      transport.close();
    },
  };
}

/** Validates a matrix answer and converts it: times to epoch ms, values to numbers (non-finite dropped). */
export function parseMatrix(data: unknown, where = "Prometheus"): Series[] {
  const d = data as { resultType?: unknown; result?: unknown } | undefined;
  if (!d || typeof d !== "object") throw new PrometheusError("bad_response", `${where} answered without a data object`);
  if (d.resultType !== "matrix") throw new PrometheusError("bad_response", `${where} answered resultType ${JSON.stringify(d.resultType)} where a matrix was expected`);
  if (!Array.isArray(d.result)) throw new PrometheusError("bad_response", `${where} answered a matrix without a result array`);
  const out: Series[] = [];
  for (const item of d.result as Array<{ metric?: unknown; values?: unknown }>) {
    const metric = item?.metric;
    const values = item?.values;
    if (!metric || typeof metric !== "object" || !Array.isArray(values)) {
      throw new PrometheusError("bad_response", `${where} answered a malformed series: ${JSON.stringify(item).slice(0, 160)}`);
    }
    const t: number[] = [];
    const v: number[] = [];
    for (const p of values as unknown[]) {
      if (!Array.isArray(p) || typeof p[0] !== "number" || typeof p[1] !== "string") {
        throw new PrometheusError("bad_response", `${where} answered a malformed sample: ${JSON.stringify(p).slice(0, 80)}`);
      }
      const value = Number(p[1]);
      if (!Number.isFinite(value)) continue;
      t.push(Math.round(p[0] * 1000));
      v.push(value);
    }
    out.push({ metric: metric as Record<string, string>, t, v });
  }
  return out;
}
