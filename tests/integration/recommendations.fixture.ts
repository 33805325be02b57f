// A small fleet for the recommendations tests: H100s on AWS at $6.88 for 240 hours from START: four
// busy GPUs (host p5-a), an idle one (p5-b), a starved interruptible checkpointed training run on two
// GPUs for the first 120 hours (p5-c, team vision), an over-provisioned inference service on three (p5-d).
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";

export const HOUR = 3_600_000;
export const HOURS = 240;
export const RATE = 6.88;

/** GPUs in use per hour, as built: 4 steady + the idle one + 2 training (hours 0-119) + 3 service. */
export const demandAt = (h: number) => 4 + 1 + (h < 120 ? 2 : 0) + 3;

export async function buildRecsFleet(prisma: PrismaClient, { start, slugPrefix, adminUserId }: { start: number; slugPrefix: string; adminUserId?: string }) {
  const org = await createOrg(prisma, { slug: `${slugPrefix}-${randomBytes(4).toString("hex")}`, name: "Recs", adminUserId });
  const orgId = org.id;
  const gpuIds: Record<string, string> = {};
  const cluster = await prisma.cluster.create({ data: { orgId, name: "aws-use1", provider: "aws" } });
  const mk = async (key: string, host: string) => {
    const g = await prisma.gpu.create({ data: { orgId, clusterId: cluster.id, uuid: `GPU-${key}-${orgId}`, model: "H100", hostname: host } });
    gpuIds[key] = g.id;
  };
  for (const k of ["a0", "a1", "a2", "a3"]) await mk(k, "p5-a");
  await mk("idle", "p5-b");
  for (const k of ["t0", "t1"]) await mk(k, "p5-c");
  for (const k of ["s0", "s1", "s2"]) await mk(k, "p5-d");
  const run = await prisma.workload.create({ data: { orgId, kind: "TRAINING_RUN", name: "bert-pretrain", team: "vision", interruptible: true, checkpointIntervalMinutes: 30 } });
  const svc = await prisma.workload.create({ data: { orgId, kind: "INFERENCE_SERVICE", name: "chat-api", namespace: "serving", modelName: "m", interruptible: true } });
  const rows = [];
  const svcRows = [];
  for (let h = 0; h < HOURS; h++) {
    const hour = new Date(start + h * HOUR);
    const base = { orgId, hour, rate: RATE.toFixed(8), currency: "USD", pricingCategory: "on-demand", gpuHours: "1" };
    for (const k of ["a0", "a1", "a2", "a3"]) rows.push({ ...base, gpuId: gpuIds[k]!, utilization: 0.9 });
    rows.push({ ...base, gpuId: gpuIds.idle!, utilization: h % 10 === 0 ? 0.5 : 0.01 });
    if (h < 120) for (const k of ["t0", "t1"]) rows.push({ ...base, gpuId: gpuIds[k]!, utilization: 0.35, workloadId: run.id });
    for (const k of ["s0", "s1", "s2"]) rows.push({ ...base, gpuId: gpuIds[k]!, utilization: 0.1, memUsedMib: 8000, memTotalMib: 81559, workloadId: svc.id });
    svcRows.push({ orgId, workloadId: svc.id, hour, gpuHours: "3", promptTokens: 1000, generationTokens: 500 });
  }
  await prisma.gpuHourly.createMany({ data: rows });
  await prisma.workloadHourly.createMany({ data: svcRows });
  return { orgId, slug: org.slug, gpuIds, runId: run.id, serviceId: svc.id };
}
