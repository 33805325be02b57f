// `npm run bench:telemetry`: the Prometheus connector against a real local Prometheus holding
// 128 GPUs × 7 days at 60 s (4 DCGM fields) plus vLLM counters for 8 services, backfilled with promtool.
// Prints, in one run: the connector's time to ingest and roll up the whole week (a child process, so
// its peak RSS is its own), the floor (a bare fetch loop over the very same query_range calls, same
// concurrency, bodies read but not parsed), their ratio (target ≤ 2.0), samples/s and peak RSS
// (target < 400 MB). Each is measured after a warm-up run, so both sides read a warm Prometheus.
//
// BENCH_TELEMETRY_DAYS / BENCH_TELEMETRY_GPUS shrink the fleet for a quick look.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { migrate, recreateDatabase } from "../tests/setup/test-db";
import { startPrometheus, writeOpenMetricsFile } from "../tests/support/prometheus";
import { writeFleet } from "./telemetry-data";

const run = promisify(execFile);
const HOUR = 3_600_000;

type RecordedQuery = { query: string; start: number; end: number; stepSeconds: number };
type IngestReport = {
  ms: number;
  /** CPU of the connector process over the measured run (user + system), ms. */
  cpuMs: number;
  maxRssMb: number;
  samples: number;
  rows: { gpuHours: number; gapHours: number; trafficHours: number };
  timings: { fetchMs: number; writeMs: number; refreshMs: number; totalMs: number };
  queries: RecordedQuery[];
  bytes: number;
};

const CONCURRENCY = 4;

async function ingestChild({ databaseUrl, promUrl, from, to }: { databaseUrl: string; promUrl: string; from: number; to: number }): Promise<IngestReport> {
  const { createPrisma } = await import("../lib/db/client");
  const { createOrg } = await import("../lib/orgs/create-org");
  const { createTelemetryConnector } = await import("../lib/telemetry/connectors");
  const { runTelemetryConnector } = await import("../lib/telemetry/run-connector");
  const { closePgPool } = await import("../lib/db/pg");
  const prisma = createPrisma(databaseUrl, 4);
  const org = await createOrg(prisma, { slug: `bench-${Date.now().toString(36)}`, name: "Telemetry bench" });
  const connector = await createTelemetryConnector(prisma, { orgId: org.id, kind: "PROMETHEUS", name: "bench", config: { url: promUrl, chunkHours: 24, queryConcurrency: CONCURRENCY, timeoutMs: 300_000 } });
  const queries: RecordedQuery[] = [];
  let bytes = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await runTelemetryConnector({
    prisma,
    orgId: org.id,
    connectorId: connector.id,
    window: { from: new Date(from), to: new Date(to) },
    now: new Date(to + HOUR),
    refresh: "inline",
    hooks: {
      onPrometheusQuery: (q) => {
        queries.push({ query: q.query, start: q.start, end: q.end, stepSeconds: q.stepSeconds });
        bytes += q.bytes;
      },
    },
  });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await prisma.$disconnect();
  await closePgPool();
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, samples: result.samples, rows: result.rows, timings: result.timings, queries, bytes };
}

/** The floor: the same query_range calls with fetch, same concurrency, bodies read and dropped. */
async function bareFetchLoop(promUrl: string, queries: RecordedQuery[]): Promise<{ ms: number; bytes: number; cpuMs: number }> {
  let next = 0;
  let bytes = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  async function lane() {
    while (next < queries.length) {
      const q = queries[next++]!;
      const res = await fetch(`${promUrl}/api/v1/query_range`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "accept-encoding": "gzip" },
        body: new URLSearchParams({ query: q.query, start: (q.start / 1000).toFixed(3), end: (q.end / 1000).toFixed(3), step: String(q.stepSeconds) }),
      });
      bytes += (await res.arrayBuffer()).byteLength;
      if (!res.ok) throw new Error(`floor query failed: HTTP ${res.status}`);
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - t0, bytes, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function main() {
  if (process.argv[2] === "--ingest") {
    const args = JSON.parse(process.argv[3]!);
    const report = await ingestChild(args);
    process.stdout.write(JSON.stringify(report));
    return;
  }

  const days = Number(process.env.BENCH_TELEMETRY_DAYS ?? 7);
  const gpus = Number(process.env.BENCH_TELEMETRY_GPUS ?? 128);
  const services = 8;
  const end = Date.UTC(2026, 0, 8);
  const from = end - days * 24 * HOUR;
  console.log(`Telemetry bench: ${gpus} GPUs × ${days} days at 60 s, 4 DCGM fields, vLLM counters for ${services} services (${process.version})\n`);

  const dir = mkdtempSync(path.join(tmpdir(), "burnrate-bench-telemetry-"));
  let prom: Awaited<ReturnType<typeof startPrometheus>> | undefined;
  try {
    const file = path.join(dir, "fleet.om");
    let t = performance.now();
    let gen = { lines: 0, dcgmSamples: 0, counterSamples: 0 };
    await writeOpenMetricsFile(file, async (write) => {
      gen = await writeFleet({ gpus, services, days, stepSeconds: 60, end }, write);
    });
    console.log(`  generated ${gen.lines.toLocaleString("en-US")} samples (${(statSync(file).size / 1e6).toFixed(0)} MB OpenMetrics) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    prom = await startPrometheus({ openMetricsFile: file, maxBlockDuration: "486h", startupTimeoutMs: 600_000 });
    rmSync(file, { force: true });
    console.log(`  promtool backfill + prometheus start: ${((performance.now() - t) / 1000).toFixed(1)} s (${prom.url})`);

    const databaseUrl = await recreateDatabase("burnrate_bench_telemetry");
    migrate(databaseUrl);
    const child = async () => {
      const { stdout } = await run(path.join(process.cwd(), "node_modules/.bin/tsx"), [__filename, "--ingest", JSON.stringify({ databaseUrl, promUrl: prom!.url, from, to: end })], {
        env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" },
        maxBuffer: 256 * 1024 * 1024,
      });
      return JSON.parse(stdout) as IngestReport;
    };

    // Prometheus' own CPU time (user + system, /proc) over each phase: what it costs to answer.
    const promCpu = () => {
      const f = readFileSync(`/proc/${prom!.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
    };
    const warm = await child();
    const floor1 = await bareFetchLoop(prom.url, warm.queries);
    let c = promCpu();
    const measured = await child();
    const promDuringConnector = promCpu() - c;
    c = promCpu();
    const floor2 = await bareFetchLoop(prom.url, measured.queries);
    const promDuringFloor = promCpu() - c;
    const floorMs = Math.min(floor1.ms, floor2.ms);
    const ratio = measured.ms / floorMs;

    const figures: Array<[string, string]> = [
      ["query_range calls", `${measured.queries.length} (${(measured.bytes / 1e6).toFixed(1)} MB of answers)`],
      ["connector: ingest + roll up", `${(measured.ms / 1000).toFixed(2)} s (fetch ${(measured.timings.fetchMs / 1000).toFixed(2)} s, store ${(measured.timings.writeMs / 1000).toFixed(2)} s, link + refresh ${(measured.timings.refreshMs / 1000).toFixed(2)} s)`],
      ["floor: bare fetch loop", `${(floorMs / 1000).toFixed(2)} s (runs: ${(floor1.ms / 1000).toFixed(2)} s, ${(floor2.ms / 1000).toFixed(2)} s)`],
      ["CPU: connector process / floor process", `${(measured.cpuMs / 1000).toFixed(2)} s / ${(floor2.cpuMs / 1000).toFixed(2)} s`],
      ["CPU: Prometheus during connector / during floor", `${(promDuringConnector / 1000).toFixed(2)} s / ${(promDuringFloor / 1000).toFixed(2)} s`],
      ["ratio (target ≤ 2.0)", `${ratio.toFixed(2)} ${ratio <= 2 ? "OK" : "OVER TARGET"}`],
      ["samples aggregated", `${measured.samples.toLocaleString("en-US")} (${Math.round(measured.samples / (measured.ms / 1000)).toLocaleString("en-US")} samples/s)`],
      ["rows", `${measured.rows.gpuHours} GPU-hours, ${measured.rows.trafficHours} service-hours`],
      ["peak RSS of the connector process (target < 400 MB)", `${measured.maxRssMb.toFixed(0)} MB ${measured.maxRssMb < 400 ? "OK" : "OVER TARGET"}`],
      ["warm-up run", `${(warm.ms / 1000).toFixed(2)} s`],
    ];
    for (const [k, v] of figures) console.log(`  ${k.padEnd(52)} ${v}`);
    if (ratio > 2 || measured.maxRssMb >= 400) process.exitCode = 1;
  } finally {
    await prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
