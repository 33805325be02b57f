// A small HTTP(S) client for the telemetry connectors, on node:http/https rather than fetch because
// connectors need a custom CA per connector (an internal Prometheus behind a private PKI), a hard
// deadline per request, a cap on response size, and gzip, all without a new dependency.
import http from "node:http";
import https from "node:https";
import { promisify } from "node:util";
import zlib from "node:zlib";

const gunzip = promisify(zlib.gunzip);
const GUNZIP_CHUNK = 1 << 20;

export type HttpAuth = { kind: "none" } | { kind: "bearer"; token: string } | { kind: "basic"; username: string; password: string };

export type TransportOptions = {
  /** PEM of the CA(s) that sign the server's certificate, in addition to Node's defaults. */
  caPem?: string;
  auth?: HttpAuth;
  /** Whole request deadline: connect, send, wait and read. */
  timeoutMs: number;
  /** Larger answers are refused (protects the worker from a runaway or hostile server). */
  maxResponseBytes: number;
};

export type TransportErrorCode = "unreachable" | "timeout" | "too_large" | "tls";

export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

export type HttpResponse = { status: number; contentType: string; body: Buffer };

export type Transport = {
  request(args: { url: URL; method: "GET" | "POST"; form?: URLSearchParams; headers?: Record<string, string> }): Promise<HttpResponse>;
  close(): void;
};

function authHeader(auth: HttpAuth | undefined): Record<string, string> {
  if (!auth || auth.kind === "none") return {};
  if (auth.kind === "bearer") return { authorization: `Bearer ${auth.token}` };
  return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` };
}

const TLS_CODES = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "EPROTO",
]);

export function createTransport(opts: TransportOptions): Transport {
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 8, ...(opts.caPem ? { ca: opts.caPem } : {}) });
  const baseHeaders = { "accept-encoding": "gzip", accept: "application/json", "user-agent": "burnrate-telemetry", ...authHeader(opts.auth) };

  return {
    request({ url, method, form, headers }) {
      const isHttps = url.protocol === "https:";
      if (!isHttps && url.protocol !== "http:") return Promise.reject(new TransportError("unreachable", `Unsupported URL scheme ${url.protocol}`));
      const body = form ? Buffer.from(form.toString()) : undefined;
      const where = `${url.protocol}//${url.host}`;
      return new Promise<HttpResponse>((resolve, reject) => {
        let settled = false;
        const fail = (err: Error) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          req.destroy();
          reject(err);
        };
        const req = (isHttps ? https : http).request(
          url,
          {
            method,
            agent: isHttps ? httpsAgent : httpAgent,
            headers: {
              ...baseHeaders,
              ...(body ? { "content-type": "application/x-www-form-urlencoded", "content-length": String(body.length) } : {}),
              ...headers,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on("data", (c: Buffer) => {
              size += c.length;
              if (size > opts.maxResponseBytes) {
                fail(new TransportError("too_large", `${where} answered more than ${Math.round(opts.maxResponseBytes / 1e6)} MB; narrow the window (chunk hours) or the label filters`));
                return;
              }
              chunks.push(c);
            });
            res.on("error", (err) => fail(new TransportError("unreachable", `${where}: connection broke while reading the answer (${err.message})`)));
            res.on("end", () => {
              if (settled) return;
              const raw = Buffer.concat(chunks);
              const encoding = String(res.headers["content-encoding"] ?? "");
              // Output in large pieces: the default 16 KB meant a callback and a buffer per 16 KB of a
              // 40 MB week of answers, on the main thread.
              (encoding === "gzip" ? gunzip(raw, { chunkSize: GUNZIP_CHUNK }) : Promise.resolve(raw)).then(
                (decoded) => {
                  if (settled) return;
                  settled = true;
                  clearTimeout(timer);
                  resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), body: decoded });
                },
                (err: Error) => fail(new TransportError("unreachable", `${where}: could not decompress the answer (${err.message})`)),
              );
            });
          },
        );
        const timer = setTimeout(() => fail(new TransportError("timeout", `${where} did not answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
        req.on("error", (err: NodeJS.ErrnoException) => {
          const code = err.code ?? "";
          if (TLS_CODES.has(code) || /certificate|ssl|tls/i.test(err.message)) {
            fail(new TransportError("tls", `${where}: TLS handshake failed (${code || err.message}); check the CA file`));
          } else {
            fail(new TransportError("unreachable", `${where} is unreachable (${code ? `${code} ` : ""}${err.message})`));
          }
        });
        if (body) req.end(body);
        else req.end();
      });
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/** The first characters of a body, printable, for error messages. */
export function snippet(body: Buffer, max = 160): string {
  const text = body.subarray(0, max * 2).toString("utf8").replace(/\s+/g, " ").trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
