// The query_range client against loopback HTTP(S) servers that answer like Prometheus, or badly.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrometheusClient, PrometheusError, parseMatrix, promTime } from "./client";

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;
let handler: Handler = () => undefined;
const seen: Array<{ url: string; auth?: string; body: string; method?: string }> = [];

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    seen.push({ url: req.url ?? "", auth: req.headers.authorization, body, method: req.method });
    handler(req, body, res);
  });
};

const server = http.createServer(onRequest);
let port = 0;
let tls: { server: https.Server; port: number; ca: string; dir: string } | undefined;

const matrix = {
  status: "success",
  data: {
    resultType: "matrix",
    result: [{ metric: { __name__: "DCGM_FI_DEV_GPU_UTIL", gpu: "0" }, values: [[1748736000, "97"], [1748736060.5, "NaN"], [1748736120, "0"]] }],
  },
};

beforeAll(async () => {
  port = await listen(server);
  // A private CA and a server certificate for 127.0.0.1 signed by it.
  const dir = mkdtempSync(path.join(tmpdir(), "burnrate-ca-"));
  const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Burnrate Test CA"]);
  run(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=127.0.0.1"]);
  const ext = path.join(dir, "ext.cnf");
  writeFileSync(ext, "subjectAltName=IP:127.0.0.1\n");
  run(["x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "srv.pem", "-days", "2", "-extfile", "ext.cnf"]);
  const s = https.createServer({ key: readFileSync(path.join(dir, "srv.key")), cert: readFileSync(path.join(dir, "srv.pem")) }, onRequest);
  tls = { server: s, port: await listen(s), ca: readFileSync(path.join(dir, "ca.pem"), "utf8"), dir };
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  if (tls) {
    tls.server.closeAllConnections();
    await new Promise((r) => tls!.server.close(r));
    rmSync(tls.dir, { recursive: true, force: true });
  }
});

const q = { query: "up", start: 1748736000000, end: 1748736120000, stepSeconds: 60 };

describe("Prometheus client", () => {
  it("posts query_range as a form with bearer auth and converts the matrix", async () => {
    handler = (_req, _body, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(matrix));
    const client = createPrometheusClient({ url: `http://127.0.0.1:${port}/prom/`, auth: { kind: "bearer", token: "t0k" } });
    const series = await client.queryRange(q);
    client.close();
    expect(series).toEqual([{ metric: { __name__: "DCGM_FI_DEV_GPU_UTIL", gpu: "0" }, t: [1748736000000, 1748736120000], v: [97, 0] }]);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ url: "/prom/api/v1/query_range", auth: "Bearer t0k", method: "POST" });
    expect(Object.fromEntries(new URLSearchParams(last.body))).toEqual({ query: "up", start: "1748736000.000", end: "1748736120.000", step: "60" });
  });

  it("sends basic auth and reads gzip answers", async () => {
    handler = (_req, _body, res) => res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(zlib.gzipSync(JSON.stringify(matrix)));
    const client = createPrometheusClient({ url: `http://127.0.0.1:${port}`, auth: { kind: "basic", username: "u", password: "p:w" } });
    expect(await client.queryRange(q)).toHaveLength(1);
    client.close();
    expect(seen.at(-1)!.auth).toBe(`Basic ${Buffer.from("u:p:w").toString("base64")}`);
  });

  it("trusts a custom CA, and says so when the CA is missing", async () => {
    handler = (_req, _body, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(matrix));
    const good = createPrometheusClient({ url: `https://127.0.0.1:${tls!.port}`, caPem: tls!.ca });
    expect(await good.queryRange(q)).toHaveLength(1);
    good.close();
    const bad = createPrometheusClient({ url: `https://127.0.0.1:${tls!.port}` });
    await expect(bad.queryRange(q)).rejects.toMatchObject({ code: "tls", message: expect.stringContaining("check the CA file") });
    bad.close();
  });

  const failures: Array<[string, Handler, string, RegExp]> = [
    ["401", (_q, _b, res) => res.writeHead(401).end("Unauthorized"), "auth", /refused the credentials \(HTTP 401\)/],
    [
      "400 bad_data",
      (_q, _b, res) => res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ status: "error", errorType: "bad_data", error: "parse error at char 3" })),
      "query",
      /rejected the request \(HTTP 400 bad_data\): parse error at char 3/,
    ],
    ["HTML 200", (_q, _b, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Login</body></html>"), "bad_response", /not a Prometheus API response \(text\/html\): <html><body>Login/],
    ["502", (_q, _b, res) => res.writeHead(502).end("Bad Gateway"), "http", /answered HTTP 502 .*Bad Gateway/],
    ["empty 200", (_q, _b, res) => res.writeHead(200).end(), "bad_response", /empty body/],
    ["vector", (_q, _b, res) => res.writeHead(200).end(JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } })), "bad_response", /resultType "vector"/],
    ["bad sample", (_q, _b, res) => res.writeHead(200).end(JSON.stringify({ status: "success", data: { resultType: "matrix", result: [{ metric: {}, values: [["x", 1]] }] } })), "bad_response", /malformed sample/],
  ];
  for (const [name, h, code, message] of failures) {
    it(`fails clearly on ${name}`, async () => {
      handler = h;
      const client = createPrometheusClient({ url: `http://127.0.0.1:${port}` });
      const err = await client.queryRange(q).catch((e: unknown) => e);
      client.close();
      expect(err).toBeInstanceOf(PrometheusError);
      expect(err).toMatchObject({ code });
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).toContain(`Prometheus at http://127.0.0.1:${port}`);
    });
  }

  it("fails clearly when nothing listens, and on timeout", async () => {
    const down = createPrometheusClient({ url: "http://127.0.0.1:9" });
    await expect(down.queryRange(q)).rejects.toMatchObject({ code: "unreachable", message: expect.stringMatching(/unreachable \(ECONNREFUSED/) });
    down.close();
    handler = () => undefined; // never answers
    const slow = createPrometheusClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 150 });
    await expect(slow.queryRange(q)).rejects.toMatchObject({ code: "timeout", message: expect.stringContaining("did not answer within 150 ms") });
    slow.close();
    server.closeAllConnections();
  });

  it("refuses answers over the size cap", async () => {
    handler = (_req, _body, res) => res.writeHead(200).end(JSON.stringify(matrix) + " ".repeat(5000));
    const client = createPrometheusClient({ url: `http://127.0.0.1:${port}`, maxResponseBytes: 1000 });
    await expect(client.queryRange(q)).rejects.toMatchObject({ code: "too_large" });
    client.close();
  });

  it("reads the major version, and treats a missing buildinfo as unknown", async () => {
    handler = (req, _b, res) =>
      req.url?.endsWith("/buildinfo") ? res.writeHead(200).end(JSON.stringify({ status: "success", data: { version: "2.42.0+ds" } })) : res.writeHead(404).end("404 page not found");
    const client = createPrometheusClient({ url: `http://127.0.0.1:${port}` });
    expect(await client.majorVersion()).toBe(2);
    client.close();
    handler = (_req, _b, res) => res.writeHead(404).end("404 page not found");
    const thanos = createPrometheusClient({ url: `http://127.0.0.1:${port}` });
    expect(await thanos.majorVersion()).toBeNull();
    thanos.close();
  });

  it("formats times with millisecond precision and validates matrices", () => {
    expect(promTime(1748739599999)).toBe("1748739599.999");
    expect(() => parseMatrix(undefined)).toThrow(/without a data object/);
  });
});
