// The OpenCost connector against a loopback server answering in OpenCost's exact shape, hourly steps:
//   node A (aws i-0aaa): two DCGM GPUs without pod labels (exporter without Kubernetes mapping), hours 10–11;
//     pods ml-training/llama-ft-7b-0 (Job, run_id=exp-0412) and serving/mistral-api-… (Deployment), 1 GPU each.
//   node B (aws i-0bbb): no DCGM at all; nlp/bert-train-x7k2p (Job) requests 2 GPUs at hour 10, using 1.
//   kube-system/kube-proxy-…: no GPU, no run label: not a workload of ours.
// Both instances are billed 80/h for 8 GPUs: 10 per GPU-hour.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { withPgTransaction } from "@/lib/db/pg";
import { createOrg } from "@/lib/orgs/create-org";
import { createTelemetryConnector } from "@/lib/telemetry/connectors";
import { runTelemetryConnector } from "@/lib/telemetry/run-connector";
import { writeTelemetryChunk } from "@/lib/telemetry/write-telemetry";
import { type PodHourSpec, type RunningOpenCost, startOpenCostServer } from "../support/opencost-server";

process.env.LOG_LEVEL ??= "error";
const prisma = createPrisma(process.env.DATABASE_URL!, 4);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL!, max: 4 });
const H = (h: number) => new Date(Date.UTC(2026, 2, 3, h));
const NODE_A = "ip-10-0-1-1.ec2.internal";
const NODE_B = "ip-10-0-2-2.ec2.internal";
let server: RunningOpenCost;
let orgId = "";

beforeAll(async () => {
  const pods: PodHourSpec[] = [10, 11].flatMap((h): PodHourSpec[] => [
    { hour: H(h), namespace: "ml-training", pod: "llama-ft-7b-0", node: NODE_A, controller: "llama-ft-7b", controllerKind: "job", providerID: "aws:///us-east-1a/i-0aaa", labels: { run_id: "exp-0412", team: "research" }, gpuRequest: 1, gpuUsageAverage: 0.5, gpuCost: 4.1, cpuCost: 2, ramCost: 1 },
    { hour: H(h), namespace: "serving", pod: "mistral-api-5c9d8f7b6-x7k2p", node: NODE_A, controller: "mistral-api", controllerKind: "deployment", providerID: "aws:///us-east-1a/i-0aaa", gpuRequest: 1, gpuCost: 4.1, cpuCost: 0.5, ramCost: 0.25 },
    { hour: H(h), namespace: "kube-system", pod: "kube-proxy-b2k9s", node: NODE_A, controller: "kube-proxy", controllerKind: "daemonset", cpuCost: 0.1, ramCost: 0.05 },
  ]);
  pods.push({ hour: H(10), namespace: "nlp", pod: "bert-train-x7k2p", node: NODE_B, controller: "bert-train", controllerKind: "job", providerID: "aws:///us-east-1b/i-0bbb", labels: {}, gpuRequest: 2, gpuUsageAverage: 1, gpuCost: 8.2, cpuCost: 1, ramCost: 0.5 });
  server = await startOpenCostServer(pods);

  const org = await createOrg(prisma, { slug: `oc-${randomBytes(3).toString("hex")}`, name: "OpenCost org" });
  orgId = org.id;
  for (const [instance, hours] of [["i-0aaa", [10, 11]], ["i-0bbb", [10]]] as const) {
    for (const h of hours) {
      await prisma.billLineItem.create({
        data: { orgId, sourceFormat: "focus-1.2", providerName: "AWS", billingAccountId: "1", billingCurrency: "USD", billingPeriodStart: new Date(Date.UTC(2026, 2, 1)), billingPeriodEnd: new Date(Date.UTC(2026, 3, 1)), chargePeriodStart: H(h), chargePeriodEnd: H(h + 1), chargeCategory: "Usage", billedCost: "80", effectiveCost: "80", pricingCategory: "Standard", resourceId: instance, instanceType: "p4de.24xlarge", gpuModel: "A100-80GB", gpuCount: "8" },
      });
    }
  }
  // DCGM without pod mapping on node A.
  for (const i of [0, 1]) {
    const gpu = await prisma.gpu.create({ data: { orgId, uuid: `GPU-a-${i}`, gpuIndex: i, model: "A100-80GB", hostname: NODE_A } });
    await prisma.gpuHourly.createMany({ data: [10, 11].map((h) => ({ orgId, gpuId: gpu.id, hour: H(h), utilization: 0.5, samples: 60 })) });
  }
});

afterAll(async () => {
  await server?.close();
  await pool.end();
  await prisma.$disconnect();
});

async function workloadRows() {
  const rows = await prisma.workloadHourly.findMany({ where: { orgId }, include: { workload: true }, orderBy: [{ workload: { name: "asc" } }, { hour: "asc" }] });
  return rows.map((r) => [`${r.workload.kind}:${r.workload.namespace}/${r.workload.name}`, r.hour.getUTCHours(), r.gpuHours.toString(), r.usefulGpuHours.toString(), r.gpuCost.toString(), r.cpuCost.toString(), r.ramCost.toString()]);
}

describe("OpenCost connector", () => {
  it("stores CPU/RAM cost per workload-hour, attributes DCGM GPUs without pods, and records GPUs DCGM does not see", async () => {
    const connector = await createTelemetryConnector(prisma, { orgId, kind: "OPENCOST", name: "opencost", config: { url: server.url } });
    const result = await runTelemetryConnector({ prisma, pool, orgId, connectorId: connector.id, window: { from: H(10), to: H(12) }, now: H(14), refresh: "inline" });
    expect(result).toMatchObject({ chunks: 1, samples: 7 });
    expect(Object.fromEntries(server.requests.at(-1)!.searchParams)).toEqual({
      window: "2026-03-03T10:00:00Z,2026-03-03T12:00:00Z",
      aggregate: "namespace,pod",
      step: "1h",
      accumulate: "false",
      includeIdle: "false",
      shareIdle: "false",
    });

    expect(await workloadRows()).toEqual([
      // 2 synthetic GPU slots at 10/h, 1 GPU of 2 in use → 0.5 each
      ["TRAINING_RUN:nlp/bert-train", 10, "2", "1", "20", "1", "0.5"],
      ["TRAINING_RUN:ml-training/exp-0412", 10, "1", "0.5", "10", "2", "1"],
      ["TRAINING_RUN:ml-training/exp-0412", 11, "1", "0.5", "10", "2", "1"],
      ["INFERENCE_SERVICE:serving/mistral-api", 10, "1", "0.5", "10", "0.5", "0.25"],
      ["INFERENCE_SERVICE:serving/mistral-api", 11, "1", "0.5", "10", "0.5", "0.25"],
    ]);
    const gpus = await prisma.gpu.findMany({ where: { orgId }, orderBy: { uuid: "asc" } });
    expect(gpus.map((g) => [g.uuid, g.hostname, g.providerInstanceId])).toEqual([
      ["GPU-a-0", NODE_A, "i-0aaa"],
      ["GPU-a-1", NODE_A, "i-0aaa"],
      [`opencost:${NODE_B}:0`, NODE_B, "i-0bbb"],
      [`opencost:${NODE_B}:1`, NODE_B, "i-0bbb"],
    ]);
    const attributed = await prisma.gpuHourly.findMany({ where: { orgId, gpu: { hostname: NODE_A } }, include: { gpu: true }, orderBy: [{ gpu: { uuid: "asc" } }, { hour: "asc" }] });
    expect(attributed.map((r) => [r.gpu.uuid, r.hour.getUTCHours(), r.pod])).toEqual([
      ["GPU-a-0", 10, "llama-ft-7b-0"],
      ["GPU-a-0", 11, "llama-ft-7b-0"],
      ["GPU-a-1", 10, "mistral-api-5c9d8f7b6-x7k2p"],
      ["GPU-a-1", 11, "mistral-api-5c9d8f7b6-x7k2p"],
    ]);
    expect(await prisma.workload.count({ where: { orgId, namespace: "kube-system" } })).toBe(0);
    const run = await prisma.ingestionRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run).toMatchObject({ kind: "opencost-allocation", status: "SUCCEEDED" });
  });

  it("is idempotent", async () => {
    const before = await workloadRows();
    const connector = await prisma.connector.findFirstOrThrow({ where: { orgId, name: "opencost" } });
    await runTelemetryConnector({ prisma, pool, orgId, connectorId: connector.id, window: { from: H(10), to: H(12) }, now: H(14), refresh: "inline" });
    expect(await workloadRows()).toEqual(before);
  });

  it("lets measured GPUs replace its stand-ins once DCGM sees the node", async () => {
    await withPgTransaction(
      (client) =>
        writeTelemetryChunk(client, {
          orgId,
          devices: [{ key: "GPU-b-0\u0000", uuid: "GPU-b-0", migInstanceId: "", migProfile: null, fraction: 1, gpuIndex: 0, model: "A100-80GB", hostname: NODE_B, instanceId: null, instanceType: null, memoryMib: null }],
          gpuRows: [{ deviceKey: "GPU-b-0\u0000", hour: H(10).getTime(), utilization: 0.3, smActive: null, tensorActive: null, memUsedMib: null, memTotalMib: null, powerW: null, samples: 60, gpuHours: 1, workload: null, namespace: null, pod: null, gap: false }],
          traffic: [],
          gapFillMaxHours: 0,
          currency: "USD",
        }),
      pool,
    );
    const rows = await prisma.gpuHourly.findMany({ where: { orgId, gpu: { hostname: NODE_B } }, include: { gpu: true } });
    expect(rows.map((r) => [r.gpu.uuid, r.utilization])).toEqual([["GPU-b-0", 0.3]]);
  });

  it("fails clearly when OpenCost answers garbage or ignores the hourly step, and moves no watermark", async () => {
    const connector = await createTelemetryConnector(prisma, { orgId, kind: "KUBECOST", name: "kubecost", config: { url: server.url, backfillDays: 0 } });
    await prisma.connector.update({ where: { id: connector.id }, data: { watermark: H(10) } });
    server.setMode("garbage");
    const garbage = await runTelemetryConnector({ prisma, pool, orgId, connectorId: connector.id, now: H(12), refresh: "none" }).catch((e: Error) => e);
    expect((garbage as Error).message).toMatch(/^Kubecost at http:\/\/127\.0\.0\.1:\d+ answered HTTP 200 with something that is not JSON \(text\/html\): <html>Bad gateway<\/html>/);
    expect(server.requests.at(-1)!.pathname).toBe("/model/allocation");
    server.setMode("daily");
    const daily = await runTelemetryConnector({ prisma, pool, orgId, connectorId: connector.id, now: H(12), refresh: "none" }).catch((e: Error) => e);
    expect((daily as Error).message).toContain("not one whole UTC hour (was step=1h honored?)");
    const c = await prisma.connector.findUniqueOrThrow({ where: { id: connector.id } });
    expect(c).toMatchObject({ status: "FAILING" });
    expect(c.watermark?.toISOString()).toBe(H(10).toISOString());
    server.setMode("ok");
  });
});
