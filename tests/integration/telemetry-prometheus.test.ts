// The Prometheus connector end to end against a real Prometheus (Debian's), whose history this test
// writes as OpenMetrics and backfills with promtool. Four hours of scrapes every 60 s, 10:00–14:00 UTC:
//
//   gpu-node-01 (label Hostname)
//     G0 H100   GR_ENGINE_ACTIVE alternating 0.8/1.0 (mean 0.9), GPU_UTIL 50 (ignored: GR wins),
//               FB used 60000 + free 21559 MiB, 600 W; pod llama-pretrain-0 with label run_id=exp-42.
//     G1 H100   GPU_UTIL only: 70 % with pod resnet-sweep-12-3 until 11:20, then 0 % and no pod.
//   gpu-node-02 (label hostname)
//     G2 H100   GR only: 0.05 without pod until 11:20, then 0.6 with pod resnet-sweep-12-3 (the pod
//               moved here from G1); no scrapes from 12:00 to 13:30 (a gap).
//     G3 H100   MIG: two 3g.40gb slices (GPU_I_ID 1 with pod llama-api-5c9d8f7b6-x7k2p at 0.5, GPU_I_ID 2
//               without pod at 0.2); no whole-GPU series. 1/7 of the GPU is unpartitioned.
//   vLLM (pod llama-api-5c9d8f7b6-x7k2p, namespace serving): success{stop} +10/min, reset to 0 at 11:30
//     (the sample there reads 4); success{abort} +1 every 30 min; prompt +1000/min; generation +500/min;
//     e2e latency buckets 0.5 s +5/min, 1 s +9/min, +Inf +10/min.
//   Triton resnet50 (namespace vision, no pod label): success +100/min, failure +1 every 10 min.
//
// A bill prices gpu-node-02 (a GCP instance whose name is the hostname) at 80/h for 8 GPUs; gpu-node-01
// has no bill and must be listed as unlinked.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { createTelemetryConnector, testTelemetryConnector } from "@/lib/telemetry/connectors";
import { listUnlinkedGpus, listUnmappedGpuTime } from "@/lib/telemetry/fleet-gaps";
import { runTelemetryConnector } from "@/lib/telemetry/run-connector";
import { type OmSeries, type RunningPrometheus, startPrometheus, toOpenMetrics } from "../support/prometheus";

process.env.LOG_LEVEL ??= "error";
const prisma = createPrisma(process.env.DATABASE_URL!, 4);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL!, max: 4 });
let prom: RunningPrometheus;

const T = (h: number, m = 0) => Date.UTC(2026, 0, 15, h, m);
const START = T(10);
const MINUTES = 240;
const minute = (k: number) => START + k * 60_000;

const H100 = "NVIDIA H100 80GB HBM3";
const node1 = { Hostname: "gpu-node-01" };
const node2 = { hostname: "gpu-node-02" };
const base = (gpu: string, uuid: string, host: Record<string, string>) => ({ gpu, UUID: uuid, device: `nvidia${gpu}`, modelName: H100, ...host, DCGM_FI_DRIVER_VERSION: "550.90.07", instance: "10.0.0.1:9400", job: "dcgm-exporter" });
const G0 = base("0", "GPU-00000000-0000-0000-0000-0000000000a0", node1);
const G1 = base("1", "GPU-00000000-0000-0000-0000-0000000000a1", node1);
const G2 = base("0", "GPU-00000000-0000-0000-0000-0000000000b0", node2);
const G3 = base("1", "GPU-00000000-0000-0000-0000-0000000000b1", node2);
const RESNET_POD = { container: "trainer", namespace: "ml", pod: "resnet-sweep-12-3" };
const LLAMA_POD = { container: "vllm", namespace: "serving", pod: "llama-api-5c9d8f7b6-x7k2p" };
const MOVE = 80; // 11:20

function generate(): OmSeries[] {
  const series = new Map<string, OmSeries>();
  const add = (name: string, labels: Record<string, string>, k: number, v: number) => {
    const key = JSON.stringify([name, labels]);
    let s = series.get(key);
    if (!s) {
      s = { name, labels, samples: [] };
      series.set(key, s);
    }
    s.samples.push({ t: minute(k), v });
  };
  const g0 = { ...G0, container: "trainer", namespace: "ml", pod: "llama-pretrain-0", run_id: "exp-42" };
  for (let k = 0; k < MINUTES; k++) {
    add("DCGM_FI_PROF_GR_ENGINE_ACTIVE", g0, k, k % 2 === 0 ? 0.8 : 1.0);
    add("DCGM_FI_DEV_GPU_UTIL", g0, k, 50);
    add("DCGM_FI_DEV_FB_USED", g0, k, 60000);
    add("DCGM_FI_DEV_FB_FREE", g0, k, 21559);
    add("DCGM_FI_DEV_POWER_USAGE", g0, k, 600);

    add("DCGM_FI_DEV_GPU_UTIL", k < MOVE ? { ...G1, ...RESNET_POD } : G1, k, k < MOVE ? 70 : 0);

    const inGap = k >= 120 && k < 210; // 12:00 – 13:30
    if (!inGap) add("DCGM_FI_PROF_GR_ENGINE_ACTIVE", k < MOVE ? G2 : { ...G2, ...RESNET_POD }, k, k < MOVE ? 0.05 : 0.6);

    add("DCGM_FI_PROF_GR_ENGINE_ACTIVE", { ...G3, GPU_I_PROFILE: "3g.40gb", GPU_I_ID: "1", ...LLAMA_POD }, k, 0.5);
    add("DCGM_FI_PROF_GR_ENGINE_ACTIVE", { ...G3, GPU_I_PROFILE: "3g.40gb", GPU_I_ID: "2" }, k, 0.2);

    const vllm = { engine: "0", model_name: "meta-llama/Llama-3.1-8B-Instruct", ...LLAMA_POD, job: "vllm" };
    add("vllm:request_success_total", { ...vllm, finished_reason: "stop" }, k, k < 90 ? 10 * k : 10 * (k - 90) + 4);
    add("vllm:request_success_total", { ...vllm, finished_reason: "abort" }, k, Math.floor(k / 30));
    add("vllm:prompt_tokens_total", vllm, k, 1000 * k);
    add("vllm:generation_tokens_total", vllm, k, 500 * k);
    add("vllm:e2e_request_latency_seconds_bucket", { ...vllm, le: "0.5" }, k, 5 * k);
    add("vllm:e2e_request_latency_seconds_bucket", { ...vllm, le: "1.0" }, k, 9 * k);
    add("vllm:e2e_request_latency_seconds_bucket", { ...vllm, le: "+Inf" }, k, 10 * k);
    const triton = { model: "resnet50", version: "1", namespace: "vision", job: "triton" };
    add("nv_inference_request_success", triton, k, 100 * k);
    add("nv_inference_request_failure", triton, k, Math.floor(k / 10));
  }
  return [...series.values()];
}

async function newOrg(tag: string) {
  const org = await createOrg(prisma, { slug: `tele-${tag}-${randomBytes(3).toString("hex")}`, name: `Telemetry ${tag}` });
  // gpu-node-02 is a GCP instance named like the host: 80/h for its 8 GPUs, every hour of the day.
  for (let h = 0; h < 24; h++) {
    await prisma.billLineItem.create({
      data: {
        orgId: org.id,
        sourceFormat: "gcp-billing",
        providerName: "Google Cloud",
        billingAccountId: "0000-1111",
        billingCurrency: "USD",
        billingPeriodStart: new Date(Date.UTC(2026, 0, 1)),
        billingPeriodEnd: new Date(Date.UTC(2026, 1, 1)),
        chargePeriodStart: new Date(Date.UTC(2026, 0, 15, h)),
        chargePeriodEnd: new Date(Date.UTC(2026, 0, 15, h + 1)),
        chargeCategory: "Usage",
        billedCost: "80",
        effectiveCost: "80",
        pricingCategory: "Standard",
        resourceId: "//compute.googleapis.com/projects/ml-prod/zones/us-central1-a/instances/gpu-node-02",
        instanceType: "a3-highgpu-8g",
        gpuModel: "H100",
        gpuCount: "8",
      },
    });
  }
  return org;
}

async function connectorFor(orgId: string, url: string, extra: Record<string, unknown> = {}) {
  return createTelemetryConnector(prisma, { orgId, kind: "PROMETHEUS", name: `prom-${randomBytes(2).toString("hex")}`, config: { url, ...extra } });
}

type GpuHourView = { uuid: string; mig: string; hour: string; utilization: number | null; samples: number; gpuHours: string; workload: string | null; pod: string | null; memUsed: number | null; memTotal: number | null; power: number | null; rate: string | null };

async function gpuHours(orgId: string): Promise<GpuHourView[]> {
  const rows = await prisma.gpuHourly.findMany({ where: { orgId }, include: { gpu: true, workload: true }, orderBy: [{ gpu: { uuid: "asc" } }, { gpu: { migInstanceId: "asc" } }, { hour: "asc" }] });
  return rows.map((r) => ({
    uuid: r.gpu.uuid.slice(-2),
    mig: r.gpu.migInstanceId,
    hour: r.hour.toISOString().slice(11, 13),
    utilization: r.utilization === null ? null : Math.round(r.utilization * 1e6) / 1e6,
    samples: r.samples,
    gpuHours: r.gpuHours.toString(),
    workload: r.workload ? `${r.workload.kind}:${r.workload.namespace}/${r.workload.name}` : null,
    pod: r.pod,
    memUsed: r.memUsedMib,
    memTotal: r.memTotalMib,
    power: r.powerW,
    rate: r.rate?.toString() ?? null,
  }));
}

async function workloadHours(orgId: string) {
  const rows = await prisma.workloadHourly.findMany({ where: { orgId }, include: { workload: true }, orderBy: [{ workload: { name: "asc" } }, { hour: "asc" }] });
  return rows.map((r) => ({
    workload: `${r.workload.kind}:${r.workload.namespace}/${r.workload.name}`,
    hour: r.hour.toISOString().slice(11, 13),
    gpuHours: r.gpuHours.toString(),
    usefulGpuHours: r.usefulGpuHours.toString(),
    gpuCost: r.gpuCost.toString(),
    inferences: r.inferences,
    failures: r.failures,
    promptTokens: r.promptTokens,
    generationTokens: r.generationTokens,
    latencyHistogram: r.latencyHistogram,
  }));
}

beforeAll(async () => {
  prom = await startPrometheus({ openMetrics: toOpenMetrics(generate()) });
}, 120_000);

afterAll(async () => {
  await prom?.stop();
  await pool.end();
  await prisma.$disconnect();
});

// ── hand-computed expectations ──
const U = (uuid: string, mig: string, hour: string, v: Partial<GpuHourView>) => ({ uuid, mig, hour, ...v });
const EXPECTED_GPU_HOURS = [
  ...["10", "11", "12", "13"].map((h) =>
    U("a0", "", h, { utilization: 0.9, samples: 60, gpuHours: "1", workload: "TRAINING_RUN:ml/exp-42", pod: "llama-pretrain-0", memUsed: 60000, memTotal: 81559, power: 600, rate: null }),
  ),
  U("a1", "", "10", { utilization: 0.7, samples: 60, gpuHours: "1", workload: "TRAINING_RUN:ml/resnet-sweep-12", pod: "resnet-sweep-12-3", rate: null }),
  // 20 samples at 70 % with the pod, 40 at 0 % without: mean 23.33 %, the hour belongs to no pod.
  U("a1", "", "11", { utilization: 0.233333, samples: 60, gpuHours: "1", workload: null, pod: null, rate: null }),
  U("a1", "", "12", { utilization: 0, samples: 60, workload: null, rate: null }),
  U("a1", "", "13", { utilization: 0, samples: 60, workload: null, rate: null }),
  U("b0", "", "10", { utilization: 0.05, samples: 60, workload: null, rate: "10" }),
  // 20 × 0.05 + 40 × 0.6 over 60 samples, the pod (40 samples) wins the hour.
  U("b0", "", "11", { utilization: 0.416667, samples: 60, workload: "TRAINING_RUN:ml/resnet-sweep-12", pod: "resnet-sweep-12-3", rate: "10" }),
  // the scrape gap: provisioned, unknown, never 0
  U("b0", "", "12", { utilization: null, samples: 0, gpuHours: "1", workload: null, pod: null, power: null, rate: "10" }),
  U("b0", "", "13", { utilization: 0.6, samples: 30, workload: "TRAINING_RUN:ml/resnet-sweep-12", rate: "10" }),
  // MIG GPU: 1/7 unpartitioned (idle capacity), then the two 3g.40gb slices at 3/7 each.
  ...["10", "11", "12", "13"].map((h) => U("b1", "", h, { utilization: 0, samples: 0, gpuHours: "0.142857", workload: null, rate: "10" })),
  ...["10", "11", "12", "13"].map((h) => U("b1", "1", h, { utilization: 0.5, samples: 60, gpuHours: "0.428571", workload: "INFERENCE_SERVICE:serving/llama-api", pod: "llama-api-5c9d8f7b6-x7k2p", rate: "10" })),
  ...["10", "11", "12", "13"].map((h) => U("b1", "2", h, { utilization: 0.2, samples: 60, gpuHours: "0.428571", workload: null, rate: "10" })),
];

const LLAMA = "INFERENCE_SERVICE:serving/llama-api";
const hist = (per: number) => ({ le: [0.5, 1], counts: [5 * per, 9 * per, 10 * per] });
const EXPECTED_WORKLOAD_HOURS = [
  // success{stop}: hour 10 = 60 × 10; hour 11 = 29 × 10 before the reset + 4 at it + 30 × 10; hour 13 has
  // 59 increments (the 14:00 step repeats 13:59). A sample on the hour closes the previous hour.
  { workload: LLAMA, hour: "10", gpuHours: "0.428571", usefulGpuHours: "0.214286", gpuCost: "4.28571", inferences: 600, failures: 2, promptTokens: 60000, generationTokens: 30000, latencyHistogram: hist(60) },
  { workload: LLAMA, hour: "11", gpuHours: "0.428571", usefulGpuHours: "0.214286", gpuCost: "4.28571", inferences: 594, failures: 2, promptTokens: 60000, generationTokens: 30000, latencyHistogram: hist(60) },
  { workload: LLAMA, hour: "12", gpuHours: "0.428571", usefulGpuHours: "0.214286", gpuCost: "4.28571", inferences: 600, failures: 2, promptTokens: 60000, generationTokens: 30000, latencyHistogram: hist(60) },
  { workload: LLAMA, hour: "13", gpuHours: "0.428571", usefulGpuHours: "0.214286", gpuCost: "4.28571", inferences: 590, failures: 1, promptTokens: 59000, generationTokens: 29500, latencyHistogram: hist(59) },
  ...["10", "11", "12", "13"].map((hour) => ({ workload: "TRAINING_RUN:ml/exp-42", hour, gpuHours: "1", usefulGpuHours: "0.9", gpuCost: "0", inferences: 0, failures: 0, promptTokens: 0, generationTokens: 0, latencyHistogram: null })),
  ...([
    ["10", "1", "0.7", "0"],
    ["11", "1", "0.416667", "10"],
    ["13", "1", "0.6", "10"],
  ] as Array<[string, string, string, string]>).map(([hour, gpuHours, usefulGpuHours, gpuCost]) => ({ workload: "TRAINING_RUN:ml/resnet-sweep-12", hour, gpuHours, usefulGpuHours, gpuCost, inferences: 0, failures: 0, promptTokens: 0, generationTokens: 0, latencyHistogram: null })),
  ...([
    ["10", 6000, 6],
    ["11", 6000, 6],
    ["12", 6000, 6],
    ["13", 5900, 5],
  ] as Array<[string, number, number]>).map(([hour, inferences, failures]) => ({ workload: "INFERENCE_SERVICE:vision/resnet50", hour, gpuHours: "0", usefulGpuHours: "0", gpuCost: "0", inferences, failures, promptTokens: 0, generationTokens: 0, latencyHistogram: null })),
];

function sortRows<T extends { workload: string; hour: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => (a.workload + a.hour < b.workload + b.hour ? -1 : a.workload + a.hour > b.workload + b.hour ? 1 : 0));
}

describe("Prometheus connector against a real Prometheus", () => {
  let fullOrgId: string;

  it("stores GPU-hours and workload-hours equal to the hand-computed values", async () => {
    const org = await newOrg("full");
    fullOrgId = org.id;
    const connector = await connectorFor(org.id, prom.url, { chunkHours: 2 });
    const result = await runTelemetryConnector({ prisma, pool, orgId: org.id, connectorId: connector.id, window: { from: new Date(T(10)), to: new Date(T(14)) }, now: new Date(T(15)), refresh: "inline", source: "CLI" });
    expect(result).toMatchObject({ chunks: 2, window: { from: "2026-01-15T10:00:00.000Z", to: "2026-01-15T14:00:00.000Z" }, refreshed: { from: "2026-01-15T10:00:00.000Z", to: "2026-01-15T14:00:00.000Z" } });

    const rows = await gpuHours(org.id);
    expect(rows).toHaveLength(EXPECTED_GPU_HOURS.length);
    for (const [i, expected] of EXPECTED_GPU_HOURS.entries()) expect(rows[i], `row ${i}`).toMatchObject(expected);

    const gpus = await prisma.gpu.findMany({ where: { orgId: org.id }, orderBy: [{ uuid: "asc" }, { migInstanceId: "asc" }] });
    expect(gpus.map((g) => [g.uuid.slice(-2), g.migInstanceId, g.migProfile, g.fraction.toString(), g.hostname, g.model, g.gpuIndex, g.providerInstanceId])).toEqual([
      ["a0", "", null, "1", "gpu-node-01", "H100", 0, null],
      ["a1", "", null, "1", "gpu-node-01", "H100", 1, null],
      ["b0", "", null, "1", "gpu-node-02", "H100", 0, "//compute.googleapis.com/projects/ml-prod/zones/us-central1-a/instances/gpu-node-02"],
      ["b1", "", null, "1", "gpu-node-02", "H100", 1, "//compute.googleapis.com/projects/ml-prod/zones/us-central1-a/instances/gpu-node-02"],
      ["b1", "1", "3g.40gb", "0.42857", "gpu-node-02", "H100", 1, "//compute.googleapis.com/projects/ml-prod/zones/us-central1-a/instances/gpu-node-02"],
      ["b1", "2", "3g.40gb", "0.42857", "gpu-node-02", "H100", 1, "//compute.googleapis.com/projects/ml-prod/zones/us-central1-a/instances/gpu-node-02"],
    ]);
    expect(gpus[0]!.memoryMib).toBe(81559);

    expect(sortRows(await workloadHours(org.id))).toEqual(sortRows(EXPECTED_WORKLOAD_HOURS));
    const llama = await prisma.workload.findFirstOrThrow({ where: { orgId: org.id, name: "llama-api" } });
    expect(llama).toMatchObject({ kind: "INFERENCE_SERVICE", namespace: "serving", modelName: "meta-llama/Llama-3.1-8B-Instruct", framework: "vllm" });

    const runRow = await prisma.ingestionRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(runRow).toMatchObject({ status: "SUCCEEDED", progress: 1, kind: "prometheus-telemetry", source: "CLI", connectorId: connector.id });
    const after = await prisma.connector.findUniqueOrThrow({ where: { id: connector.id } });
    expect(after.status).toBe("HEALTHY");
    expect(after.lastSuccessAt).not.toBeNull();
    // An explicit window does not start the watermark (the scheduled runs own it).
    expect(after.watermark).toBeNull();
  });

  it("lists GPU time it could not price and time no workload claims", async () => {
    const unlinked = await listUnlinkedGpus(prisma, { orgId: fullOrgId, from: new Date(T(10)), to: new Date(T(14)) });
    expect(unlinked.map((u) => [u.uuid.slice(-2), u.hostname, u.reason, u.hours, u.gpuHours])).toEqual([
      ["a0", "gpu-node-01", "no-instance-id", 4, 4],
      ["a1", "gpu-node-01", "no-instance-id", 4, 4],
    ]);
    const unmapped = await listUnmappedGpuTime(prisma, { orgId: fullOrgId, from: new Date(T(10)), to: new Date(T(14)) });
    const byHost = Object.fromEntries(unmapped.hosts.map((h) => [h.hostname, h]));
    // gpu-node-01: G1 at 11–14; gpu-node-02: G2 at 10 and 12 (gap), the slice without pod, the unpartitioned rest.
    expect(byHost["gpu-node-01"]).toMatchObject({ gpus: 1, gpuHours: 3, busyGpuHours: 1 });
    // Busy = not below the 5 % idle threshold: G2 at 10:00 (exactly 5 %) and the slice at 20 %.
    expect(byHost["gpu-node-02"]).toMatchObject({ gpus: 3, gpuHours: 2 + 4 * 0.428571 + 4 * 0.142857, busyGpuHours: 1 + 4 * 0.428571 });
    expect(unmapped.unclassified).toEqual([]);
  });

  it("tests the connection: what the source saw lately, or why it cannot be reached", async () => {
    const connector = await prisma.connector.findFirstOrThrow({ where: { orgId: fullOrgId } });
    const ok = await testTelemetryConnector(prisma, { orgId: fullOrgId, connectorId: connector.id, now: new Date(T(11)) });
    // At 11:00 G0 and G1 report GPU_UTIL; G0, G2 and the two slices report GR_ENGINE_ACTIVE (the larger count).
    expect(ok).toMatchObject({ ok: true, details: { prometheusMajorVersion: 2, gpuSeries: 4, inferenceSeries: 9 } });
    const dead = await connectorFor(fullOrgId, "http://127.0.0.1:9");
    const down = await testTelemetryConnector(prisma, { orgId: fullOrgId, connectorId: dead.id, now: new Date(T(13)) });
    expect(down).toMatchObject({ ok: false, error: expect.stringContaining("unreachable") });
    await prisma.connector.delete({ where: { id: dead.id } });
  });

  it("is idempotent: running the same window again changes nothing", async () => {
    const connector = await prisma.connector.findFirstOrThrow({ where: { orgId: fullOrgId } });
    const before = { gpu: await gpuHours(fullOrgId), wl: await workloadHours(fullOrgId), workloads: await prisma.workload.count({ where: { orgId: fullOrgId } }) };
    await runTelemetryConnector({ prisma, pool, orgId: fullOrgId, connectorId: connector.id, window: { from: new Date(T(10)), to: new Date(T(14)) }, now: new Date(T(15)), refresh: "inline" });
    expect(await gpuHours(fullOrgId)).toEqual(before.gpu);
    expect(await workloadHours(fullOrgId)).toEqual(before.wl);
    expect(await prisma.workload.count({ where: { orgId: fullOrgId } })).toBe(before.workloads);
  });

  it("backfills on the first scheduled run, then continues from the watermark to the same result", async () => {
    const org = await newOrg("incr");
    const connector = await connectorFor(org.id, prom.url, { backfillDays: 1, chunkHours: 6 });
    // 12:32 with the default 2-minute settle delay: [11:00 yesterday, 12:30), the current hour partly.
    const first = await runTelemetryConnector({ prisma, pool, orgId: org.id, connectorId: connector.id, now: new Date(T(12, 32)), refresh: "inline" });
    expect(first.window).toEqual({ from: "2026-01-14T12:00:00.000Z", to: "2026-01-15T12:30:00.000Z" });
    expect(first.watermark).toBe("2026-01-15T12:00:00.000Z");
    expect((await prisma.connector.findUniqueOrThrow({ where: { id: connector.id } })).watermark?.toISOString()).toBe("2026-01-15T12:00:00.000Z");

    const second = await runTelemetryConnector({ prisma, pool, orgId: org.id, connectorId: connector.id, now: new Date(T(14, 2)), refresh: "inline" });
    expect(second.window).toEqual({ from: "2026-01-15T12:00:00.000Z", to: "2026-01-15T14:00:00.000Z" });
    expect(second.watermark).toBe("2026-01-15T14:00:00.000Z");

    expect(await gpuHours(org.id)).toEqual(await gpuHours(fullOrgId));
    expect(await workloadHours(org.id)).toEqual(await workloadHours(fullOrgId));
    const runs = await prisma.ingestionRun.findMany({ where: { connectorId: connector.id }, orderBy: { createdAt: "asc" } });
    expect(runs.map((r) => [r.status, r.windowStart?.toISOString(), r.windowEnd?.toISOString()])).toEqual([
      ["SUCCEEDED", "2026-01-14T12:00:00.000Z", "2026-01-15T12:30:00.000Z"],
      ["SUCCEEDED", "2026-01-15T12:00:00.000Z", "2026-01-15T14:00:00.000Z"],
    ]);
  });
});

// ── Prometheus down or answering garbage ──
describe("when Prometheus fails", () => {
  type Mode = { kind: "pass" } | { kind: "garbage-after"; requests: number } | { kind: "down" };
  let mode: Mode = { kind: "pass" };
  let requests = 0;
  const proxy = http.createServer((req, res) => {
    requests++;
    if (mode.kind === "garbage-after" && requests > mode.requests) {
      res.writeHead(200, { "content-type": "text/html" }).end("<html><body>502 upstream maintenance</body></html>");
      return;
    }
    const upstream = http.request(`${prom.url}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  let proxyUrl = "";

  beforeAll(async () => {
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise((r) => proxy.close(r));
  });

  it("fails with a clear error, keeps the watermark and stores nothing of the failed chunk; the next run catches up", async () => {
    const org = await newOrg("fail");
    const connector = await connectorFor(org.id, proxyUrl, { backfillDays: 0, chunkHours: 1, queryConcurrency: 1 });
    // Start the watermark at 10:00 with an (empty) first run.
    await prisma.connector.update({ where: { id: connector.id }, data: { watermark: new Date(T(10)) } });

    // Each 1-hour chunk makes 1 buildinfo + 15 query_range calls: the first chunk passes, the second breaks midway.
    requests = 0;
    mode = { kind: "garbage-after", requests: 1 + 15 + 7 };
    const err = await runTelemetryConnector({ prisma, pool, orgId: org.id, connectorId: connector.id, now: new Date(T(14, 2)), refresh: "inline" }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^Prometheus at http:\/\/127\.0\.0\.1:\d+ answered HTTP 200 with something that is not a Prometheus API response \(text\/html\): <html><body>502 upstream maintenance/);
    expect((err as Error).message).toContain("(chunk 2026-01-15T11:00:00.000Z → 2026-01-15T12:00:00.000Z; nothing of this chunk was stored)");

    let c = await prisma.connector.findUniqueOrThrow({ where: { id: connector.id } });
    expect(c.watermark?.toISOString()).toBe("2026-01-15T11:00:00.000Z");
    expect(c.status).toBe("FAILING");
    expect(c.lastError).toContain("not a Prometheus API response");
    const stored = await prisma.gpuHourly.findMany({ where: { orgId: org.id }, select: { hour: true } });
    expect(new Set(stored.map((r) => r.hour.toISOString()))).toEqual(new Set(["2026-01-15T10:00:00.000Z"]));
    const failedRun = await prisma.ingestionRun.findFirstOrThrow({ where: { connectorId: connector.id }, orderBy: { createdAt: "desc" } });
    expect(failedRun).toMatchObject({ status: "FAILED", progress: 0.25 });
    expect(failedRun.error).toContain("not a Prometheus API response");

    // Down: connection refused, nothing moves.
    mode = { kind: "down" };
    proxy.closeAllConnections();
    await new Promise((r) => proxy.close(r));
    const down = await runTelemetryConnector({ prisma, pool, orgId: org.id, connectorId: connector.id, now: new Date(T(14, 2)), refresh: "inline" }).catch((e: unknown) => e as Error);
    expect((down as Error).message).toMatch(/^Prometheus at http:\/\/127\.0\.0\.1:\d+: http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED/);
    c = await prisma.connector.findUniqueOrThrow({ where: { id: connector.id } });
    expect(c.watermark?.toISOString()).toBe("2026-01-15T11:00:00.000Z");

    // Back up: the next run catches up from the watermark to the same rows as a clean run.
    await new Promise<void>((r) => proxy.listen(Number(new URL(proxyUrl).port), "127.0.0.1", r));
    mode = { kind: "pass" };
    const ok = await runTelemetryConnector({ prisma, pool, orgId: org.id, connectorId: connector.id, now: new Date(T(14, 2)), refresh: "inline" });
    expect(ok.window).toEqual({ from: "2026-01-15T11:00:00.000Z", to: "2026-01-15T14:00:00.000Z" });
    c = await prisma.connector.findUniqueOrThrow({ where: { id: connector.id } });
    expect(c).toMatchObject({ status: "HEALTHY", lastError: null });
    expect(c.watermark?.toISOString()).toBe("2026-01-15T14:00:00.000Z");
    const rows = await gpuHours(org.id);
    expect(rows).toHaveLength(EXPECTED_GPU_HOURS.length);
    for (const [i, expected] of EXPECTED_GPU_HOURS.entries()) expect(rows[i], `row ${i}`).toMatchObject(expected);
    expect(sortRows(await workloadHours(org.id))).toEqual(sortRows(EXPECTED_WORKLOAD_HOURS));
  });
});
