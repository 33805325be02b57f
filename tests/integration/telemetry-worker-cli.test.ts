// Telemetry connectors as operators run them: the `burnrate connector` CLI (a real process) and the
// worker's ingest-telemetry queue (job schedulers per connector, deterministic run ids, retries with
// backoff, one run per connector at a time, rollup refresh queued after each run), against a real
// Prometheus backfilled with two hours of one GPU and one vLLM service.
import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { QUEUES, telemetryRunJobId, telemetrySchedulerId } from "@/lib/queue/contracts";
import { createProducers } from "@/lib/queue/producers";
import { createTelemetryConnector } from "@/lib/telemetry/connectors";
import { createTelemetryProcessor } from "@/workers/processors/telemetry";
import { type RunningWorker, startWorker } from "@/workers/start-worker";
import { type OmSeries, type RunningPrometheus, startPrometheus, toOpenMetrics } from "../support/prometheus";
import { runCli } from "../support/cli";
import { until } from "../support/ingest";

process.env.LOG_LEVEL ??= "error";
const redisUrl = process.env.REDIS_URL!;
const prefix = process.env.QUEUE_PREFIX!;
const prisma = createPrisma(process.env.DATABASE_URL!, 4);
const BACKOFF_MS = 200;
const producers = createProducers({ redisUrl, prefix, jobOptions: { [QUEUES.telemetry]: { backoff: { type: "exponential", delay: BACKOFF_MS } } } });
const telemetryQueue = new Queue(QUEUES.telemetry, { connection: { url: redisUrl }, prefix });
const rollupsQueue = new Queue(QUEUES.rollups, { connection: { url: redisUrl }, prefix });
let prom: RunningPrometheus;
let worker: RunningWorker | undefined;

const T = (h: number, m = 0) => new Date(Date.UTC(2026, 1, 2, h, m));

function history(): OmSeries[] {
  const gpu = { gpu: "0", UUID: "GPU-cli-0", modelName: "NVIDIA A100-SXM4-80GB", Hostname: "cli-node", job: "dcgm-exporter", pod: "bert-finetune-x7k2p", namespace: "nlp" };
  const vllm = { model_name: "mistral", namespace: "serving", job: "vllm" };
  const util: OmSeries = { name: "DCGM_FI_DEV_GPU_UTIL", labels: gpu, samples: [] };
  const other: OmSeries = { name: "DCGM_FI_DEV_GPU_UTIL", labels: { ...gpu, job: "other-exporter", UUID: "GPU-cli-other" }, samples: [] };
  const ok: OmSeries = { name: "vllm:request_success_total", labels: { ...vllm, finished_reason: "stop" }, samples: [] };
  for (let k = 0; k < 120; k++) {
    const t = T(10).getTime() + k * 60_000;
    util.samples.push({ t, v: 40 });
    other.samples.push({ t, v: 99 });
    ok.samples.push({ t, v: 3 * k });
  }
  return [util, other, ok];
}

const cli = (args: string[]) => runCli(args, { LOG_LEVEL: "error" });

/** How long each wait below may take. */
const WAIT_MS = 30_000;

beforeAll(async () => {
  prom = await startPrometheus({ openMetrics: toOpenMetrics(history()) });
}, 120_000);

afterAll(async () => {
  await worker?.close();
  await producers.close();
  for (const q of [telemetryQueue, rollupsQueue]) {
    await q.obliterate({ force: true });
    await q.close();
  }
  await prom?.stop();
  await prisma.$disconnect();
});

describe("burnrate connector (CLI)", () => {
  const slug = `cli-tele-${randomBytes(3).toString("hex")}`;
  let id = "";

  it("adds a Prometheus connector with encrypted credentials and label filters, and schedules it", async () => {
    await createOrg(prisma, { slug, name: "CLI telemetry" });
    const r = await cli(["connector", "add", "prometheus", "--org", slug, "--url", prom.url, "--bearer-token", "s3cret-token", "--label-filter", "job=dcgm-exporter", "--label-filter", "job!=nothing", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ id: expect.any(String), kind: "PROMETHEUS", everySeconds: 300, scheduled: true });
    id = out.id;
    const row = await prisma.connector.findUniqueOrThrow({ where: { id } });
    expect(row.config).toEqual({ url: prom.url, labelFilters: [{ label: "job", op: "=", value: "dcgm-exporter" }, { label: "job", op: "!=", value: "nothing" }] });
    expect(row.secretCiphertext).toMatch(/^v1:/);
    expect(row.secretCiphertext).not.toContain("s3cret");
    const schedulers = await telemetryQueue.getJobSchedulers();
    expect(schedulers.find((s) => s.key === telemetrySchedulerId(id))).toMatchObject({ every: 300_000 });
  });

  it("lists it", async () => {
    const r = await cli(["connector", "list", "--org", slug, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ id, kind: "PROMETHEUS", url: prom.url, status: "NEVER_RUN", watermark: null, hasCredentials: true })]);
  });

  it("runs it synchronously over a window, with its label filters", async () => {
    const r = await cli(["connector", "run", id, "--from", T(10).toISOString(), "--to", T(12).toISOString(), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ status: "succeeded", chunks: 1, rows: { gpuHours: 2 }, refreshed: { from: T(10).toISOString(), to: T(12).toISOString() } });
    const org = await prisma.org.findUniqueOrThrow({ where: { slug } });
    const gpus = await prisma.gpu.findMany({ where: { orgId: org.id } });
    // The other exporter's GPU is filtered out by job=dcgm-exporter.
    expect(gpus.map((g) => [g.uuid, g.model, g.hostname])).toEqual([["GPU-cli-0", "A100-80GB", "cli-node"]]);
    const wl = await prisma.workloadHourly.findMany({ where: { orgId: org.id }, include: { workload: true }, orderBy: [{ workload: { name: "asc" } }, { hour: "asc" }] });
    expect(wl.map((w) => [w.workload.name, w.hour.toISOString().slice(11, 13), w.gpuHours.toString(), w.usefulGpuHours.toString()])).toEqual([
      ["bert-finetune", "10", "1", "0.4"],
      ["bert-finetune", "11", "1", "0.4"],
    ]);
  });

  it("exits 1 with a clear message when the source is down", async () => {
    const org = await prisma.org.findUniqueOrThrow({ where: { slug } });
    const dead = await createTelemetryConnector(prisma, { orgId: org.id, kind: "PROMETHEUS", name: "dead", config: { url: "http://127.0.0.1:9" } });
    const r = await cli(["connector", "run", dead.id, "--from", T(10).toISOString(), "--to", T(11).toISOString(), "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.message).toMatch(/Prometheus at http:\/\/127\.0\.0\.1:9: .*unreachable \(ECONNREFUSED/);
    expect(r.stderr).toContain("unreachable");
    expect((await prisma.connector.findUniqueOrThrow({ where: { id: dead.id } })).status).toBe("FAILING");
  });

  it("refuses bad input with exit code 2", async () => {
    const r = await cli(["connector", "add", "graphite", "--org", slug, "--url", "http://x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Connector kind must be one of prometheus, opencost, kubecost");
    const f = await cli(["connector", "add", "prometheus", "--org", slug, "--url", prom.url, "--label-filter", "nope"]);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('Label filter "nope" must look like label=value');
  });

  afterAll(async () => {
    // The worker below must not pick up this connector's first scheduled run (a 30-day backfill).
    await producers.removeTelemetrySchedule(id);
    await telemetryQueue.drain(true);
  });
});

describe("ingest-telemetry worker", () => {
  let orgId = "";
  let connectorId = "";

  beforeAll(async () => {
    const org = await createOrg(prisma, { slug: `wk-tele-${randomBytes(3).toString("hex")}`, name: "Worker telemetry" });
    orgId = org.id;
    const c = await createTelemetryConnector(prisma, { orgId, kind: "PROMETHEUS", name: "prom", config: { url: prom.url, backfillDays: 1, labelFilters: [{ label: "job", op: "!=", value: "other-exporter" }] } });
    connectorId = c.id;
    // A scheduler left over from a connector that was deleted meanwhile.
    await telemetryQueue.upsertJobScheduler(telemetrySchedulerId("gone-connector"), { every: 300_000 }, { name: "run", data: { kind: "run", orgId, connectorId: "gone-connector", cause: "schedule" } });
    worker = await startWorker({
      redisUrl,
      prefix,
      prisma,
      queues: [
        { queue: QUEUES.telemetry, concurrency: 2 },
        { queue: QUEUES.rollups, concurrency: 1 },
      ],
      healthPort: 0,
      healthHost: "127.0.0.1",
      jobOptions: { [QUEUES.telemetry]: { backoff: { type: "exponential", delay: BACKOFF_MS } } },
      // Test files share the database: this worker only schedules this org's connectors.
      processors: { [QUEUES.telemetry]: createTelemetryProcessor({ orgIds: [orgId] }) },
      now: () => T(12, 3),
    });
  });

  it("keeps one job scheduler per enabled connector, every five minutes by default", async () => {
    const keys = (await telemetryQueue.getJobSchedulers()).map((s) => s.key);
    expect(keys).toContain(telemetrySchedulerId(connectorId));
    expect(keys).not.toContain(telemetrySchedulerId("gone-connector"));
    expect(keys).toContain("telemetry-sync-schedules");
  });

  it("queues a run once per window start, stores it, and queues the rollup refresh", async () => {
    const request = { orgId, connectorId, windowStart: T(10), window: { from: T(10), to: T(12) }, cause: "manual" };
    const first = await producers.enqueueTelemetryRun(request);
    const second = await producers.enqueueTelemetryRun(request);
    expect(first).toBe(telemetryRunJobId({ connectorId, windowStart: T(10), to: T(12) }));
    expect(second).toBe(first);
    const job = await until("run completed", async () => ((await telemetryQueue.getJobState(first)) === "completed" ? telemetryQueue.getJob(first) : undefined), WAIT_MS);
    expect(job!.returnvalue).toMatchObject({ kind: "run", chunks: 1, rows: { gpuHours: 2, trafficHours: 2 } });
    // (The connector's own scheduler also ran it once at worker start, from its 1-day backfill.)
    const runs = await prisma.ingestionRun.findMany({ where: { connectorId, windowStart: T(10) } });
    expect(runs.map((r) => [r.status, r.source, r.progress, r.windowEnd?.toISOString()])).toEqual([["SUCCEEDED", "CONNECTOR", 1, T(12).toISOString()]]);
    // The refresh ran on the rollups queue: GPU-hours reached workload_hourly.
    const rows = await until("rollup refresh", async () => {
      const wl = await prisma.workloadHourly.findMany({ where: { orgId, gpuHours: { gt: 0 } } });
      return wl.length === 2 ? wl : undefined;
    }, WAIT_MS);
    expect(rows.map((r) => r.usefulGpuHours.toString())).toEqual(["0.4", "0.4"]);
    const traffic = await prisma.workloadHourly.findMany({ where: { orgId, inferences: { gt: 0 } }, orderBy: { hour: "asc" } });
    expect(traffic.map((r) => r.inferences)).toEqual([180, 177]);
  });

  it("runs one job per connector at a time: an overlapping run waits and retries", async () => {
    const a = await producers.enqueueTelemetryRun({ orgId, connectorId, windowStart: T(10), window: { from: T(10), to: T(11) }, cause: "manual" });
    const b = await producers.enqueueTelemetryRun({ orgId, connectorId, windowStart: T(11), window: { from: T(11), to: T(12) }, cause: "manual" });
    for (const id of [a, b]) await until(`job ${id}`, async () => (await telemetryQueue.getJobState(id)) === "completed", WAIT_MS);
    const runs = await prisma.ingestionRun.findMany({ where: { connectorId, status: "SUCCEEDED" }, orderBy: { startedAt: "asc" } });
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.startedAt!.getTime()).toBeGreaterThanOrEqual(runs[i - 1]!.finishedAt!.getTime());
  });

  it("retries a failing run with exponential backoff, then keeps it failed with the source's error", async () => {
    const bad = await createTelemetryConnector(prisma, { orgId, kind: "PROMETHEUS", name: "bad", config: { url: "http://127.0.0.1:9" } });
    const id = await producers.enqueueTelemetryRun({ orgId, connectorId: bad.id, windowStart: T(10), cause: "manual" });
    const job = await until("failed", async () => ((await telemetryQueue.getJobState(id)) === "failed" ? telemetryQueue.getJob(id) : undefined), WAIT_MS);
    expect(job!.attemptsMade).toBe(3);
    expect(job!.failedReason).toMatch(/unreachable \(ECONNREFUSED/);
    const c = await prisma.connector.findUniqueOrThrow({ where: { id: bad.id } });
    expect(c.status).toBe("FAILING");
    expect(c.watermark).toBeNull();
    expect(await prisma.ingestionRun.count({ where: { connectorId: bad.id, status: "FAILED" } })).toBe(3);
  });

  it("the sync job drops schedulers of disabled connectors", async () => {
    await prisma.connector.updateMany({ where: { orgId }, data: { enabled: false } });
    const job = await telemetryQueue.add("sync-schedules", { kind: "sync-schedules" });
    await until("sync", async () => (await telemetryQueue.getJobState(job.id!)) === "completed", WAIT_MS);
    const keys = (await telemetryQueue.getJobSchedulers()).map((s) => s.key);
    expect(keys).not.toContain(telemetrySchedulerId(connectorId));
  });
});
