// refreshRollups against the real test database: a small org built by hand (an AWS cluster with a
// p5.48xlarge billed hourly, a p4d.24xlarge billed by one daily line, an instance without a bill, two
// on-prem clusters), and checks the numbers a user would see.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, Prisma } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { refreshRollups } from "@/lib/costs/refresh-rollups";

const prisma = createPrisma(process.env.DATABASE_URL!, 4);
afterAll(() => prisma.$disconnect());

const H = (hour: number) => new Date(Date.UTC(2026, 0, 15, hour));
const FROM = H(10);
const TO = H(13);
const WINDOW_HOURS = [10, 11, 12];
const MIG_GPU_HOURS = "0.428571"; // 3g.40gb on an H100 = 3/7 of a GPU

type Ids = {
  orgId: string;
  otherOrgId: string;
  gpus: Record<"p5a" | "p5b" | "mig" | "p4d" | "nobill" | "dc1" | "dc2", string>;
  otherGpu: string;
  train: string;
  serve: string;
  old: string;
};
let ids: Ids;

const suffix = () => randomBytes(4).toString("hex");

async function billLine(
  orgId: string,
  line: {
    resourceId: string;
    start: Date;
    end: Date;
    effective: string;
    billed: string;
    category?: string;
    pricing?: string | null;
    gpuCount?: string | null;
    instanceType?: string | null;
    currency?: string;
  },
) {
  await prisma.billLineItem.create({
    data: {
      orgId,
      sourceFormat: "focus-1.2",
      providerName: "AWS",
      billingAccountId: "111122223333",
      billingCurrency: line.currency ?? "USD",
      billingPeriodStart: new Date(Date.UTC(2026, 0, 1)),
      billingPeriodEnd: new Date(Date.UTC(2026, 1, 1)),
      chargePeriodStart: line.start,
      chargePeriodEnd: line.end,
      chargeCategory: line.category ?? "Usage",
      billedCost: line.billed,
      effectiveCost: line.effective,
      pricingCategory: line.pricing === undefined ? "Standard" : line.pricing,
      resourceId: line.resourceId,
      instanceType: line.instanceType === undefined ? "p5.48xlarge" : line.instanceType,
      gpuModel: "H100",
      gpuCount: line.gpuCount === undefined ? "8" : line.gpuCount,
    },
  });
}

beforeAll(async () => {
  const org = await createOrg(prisma, { slug: `rollups-${suffix()}`, name: "Rollups Inc" });
  const other = await createOrg(prisma, { slug: `rollups-other-${suffix()}`, name: "Other tenant" });
  const orgId = org.id;

  const aws = await prisma.cluster.create({ data: { orgId, name: "aws-prod", provider: "aws", region: "us-east-1" } });
  const dc1 = await prisma.cluster.create({
    data: {
      orgId,
      name: "dc1",
      provider: "onprem",
      capexPerServer: "320000",
      lifeYears: "4",
      powerKwPerServer: "10.2",
      pue: "1.3",
      pricePerKwh: "0.12",
      colocationHourly: "2",
      gpusPerServer: 8,
      currency: "USD",
    },
  });
  const dc2 = await prisma.cluster.create({ data: { orgId, name: "dc2", provider: "onprem", onPremHourlyRate: "2.5", currency: "EUR" } });

  const gpu = (data: Partial<Prisma.GpuUncheckedCreateInput> & { uuid: string }) =>
    prisma.gpu.create({ data: { orgId, model: "H100", ...data } }).then((g) => g.id);
  const gpus = {
    p5a: await gpu({ uuid: "GPU-p5-0", clusterId: aws.id, providerInstanceId: "i-p5", instanceType: "p5.48xlarge", gpuIndex: 0 }),
    p5b: await gpu({ uuid: "GPU-p5-1", clusterId: aws.id, providerInstanceId: "i-p5", instanceType: "p5.48xlarge", gpuIndex: 1 }),
    mig: await gpu({
      uuid: "GPU-p5-2",
      migInstanceId: "1",
      migProfile: "3g.40gb",
      fraction: "0.42857",
      clusterId: aws.id,
      providerInstanceId: "i-p5",
      instanceType: "p5.48xlarge",
      gpuIndex: 2,
    }),
    p4d: await gpu({ uuid: "GPU-p4d-0", model: "A100-40GB", clusterId: aws.id, providerInstanceId: "i-p4d", instanceType: "p4d.24xlarge" }),
    nobill: await gpu({ uuid: "GPU-nobill-0", clusterId: aws.id, providerInstanceId: "i-nobill", instanceType: "p5.48xlarge" }),
    dc1: await gpu({ uuid: "GPU-dc1-0", clusterId: dc1.id, hostname: "dc1-node-01" }),
    dc2: await gpu({ uuid: "GPU-dc2-0", clusterId: dc2.id, hostname: "dc2-node-01" }),
  };

  const train = await prisma.workload.create({ data: { orgId, kind: "TRAINING_RUN", name: "llm-pretrain", namespace: "ml" } });
  const serve = await prisma.workload.create({ data: { orgId, kind: "INFERENCE_SERVICE", name: "mistral-7b", namespace: "serving" } });
  const old = await prisma.workload.create({ data: { orgId, kind: "OTHER", name: "gone", namespace: "ml" } });

  const rows: Prisma.GpuHourlyCreateManyInput[] = [];
  for (const hour of [9, ...WINDOW_HOURS, 13]) {
    const inWindow = hour >= 10 && hour < 13;
    rows.push(
      { orgId, gpuId: gpus.p5a, hour: H(hour), utilization: 0.8, powerW: 700, workloadId: inWindow ? train.id : null },
      { orgId, gpuId: gpus.p5b, hour: H(hour), utilization: null, workloadId: inWindow ? train.id : null },
    );
    if (!inWindow) continue;
    rows.push(
      { orgId, gpuId: gpus.mig, hour: H(hour), utilization: 0.5, powerW: 300, gpuHours: MIG_GPU_HOURS, workloadId: hour < 12 ? serve.id : null },
      { orgId, gpuId: gpus.p4d, hour: H(hour), utilization: 0.1 },
      { orgId, gpuId: gpus.nobill, hour: H(hour), utilization: 0.3 },
      { orgId, gpuId: gpus.dc1, hour: H(hour), utilization: 0.9 },
      { orgId, gpuId: gpus.dc2, hour: H(hour), utilization: 0.9 },
    );
  }
  await prisma.gpuHourly.createMany({ data: rows });

  // p5.48xlarge: hourly On-Demand lines at 10 and 11; at 12 a Savings-Plan-covered line plus data transfer.
  await billLine(orgId, { resourceId: "i-p5", start: H(9), end: H(10), effective: "55.04", billed: "55.04" });
  await billLine(orgId, { resourceId: "i-p5", start: H(10), end: H(11), effective: "55.04", billed: "55.04" });
  await billLine(orgId, { resourceId: "i-p5", start: H(11), end: H(12), effective: "55.04", billed: "55.04" });
  await billLine(orgId, { resourceId: "i-p5", start: H(12), end: H(13), effective: "40.00", billed: "0", pricing: "Committed" });
  await billLine(orgId, {
    resourceId: "i-p5",
    start: H(12),
    end: H(13),
    effective: "0.40",
    billed: "0.40",
    gpuCount: null,
    instanceType: null,
  });
  // Not Usage: never part of the rate.
  await billLine(orgId, { resourceId: "i-p5", start: H(10), end: H(11), effective: "5", billed: "5", category: "Tax" });
  // p4d.24xlarge: one daily Spot line without a GPU count (the catalog says 8), prorated to the hour.
  await billLine(orgId, {
    resourceId: "i-p4d",
    start: new Date(Date.UTC(2026, 0, 15)),
    end: new Date(Date.UTC(2026, 0, 16)),
    effective: "240.00",
    billed: "300.00",
    pricing: "Dynamic",
    gpuCount: null,
    instanceType: "p4d.24xlarge",
  });

  // Existing workload-hours: traffic written by other ingesters, stale GPU numbers, a row with no source.
  await prisma.workloadHourly.createMany({
    data: [
      {
        orgId,
        workloadId: serve.id,
        hour: H(10),
        gpuHours: "99",
        gpuCost: "999",
        inferences: 1000,
        failures: 3,
        promptTokens: 5000,
        generationTokens: 7000,
        cpuCost: "0.5",
        ramCost: "0.25",
        latencyHistogram: { le: [0.1, 0.5, 1], counts: [600, 950, 1000] },
      },
      { orgId, workloadId: serve.id, hour: H(12), gpuHours: "1", gpuCost: "3", inferences: 200 },
      { orgId, workloadId: old.id, hour: H(11), gpuHours: "2", gpuCost: "13.76" },
      { orgId, workloadId: serve.id, hour: H(9), gpuHours: "5", gpuCost: "5" },
    ],
  });

  // Another tenant with the same instance id and a bill for it: must stay untouched and unused.
  const otherGpu = await prisma.gpu.create({ data: { orgId: other.id, uuid: "GPU-p5-0", model: "H100", providerInstanceId: "i-p5" } });
  await prisma.gpuHourly.create({ data: { orgId: other.id, gpuId: otherGpu.id, hour: H(10), utilization: 1 } });
  await billLine(other.id, { resourceId: "i-p5", start: H(10), end: H(11), effective: "999", billed: "999" });

  ids = { orgId, otherOrgId: other.id, gpus, otherGpu: otherGpu.id, train: train.id, serve: serve.id, old: old.id };
});

async function gpuRow(gpuId: string, hour: number) {
  const r = await prisma.gpuHourly.findUniqueOrThrow({ where: { gpuId_hour: { gpuId, hour: H(hour) } } });
  return {
    rate: r.rate?.toString() ?? null,
    billedRate: r.billedRate?.toString() ?? null,
    currency: r.currency,
    pricingCategory: r.pricingCategory,
    energyWh: r.energyWh,
  };
}

async function workloadRow(workloadId: string, hour: number) {
  const r = await prisma.workloadHourly.findUnique({ where: { workloadId_hour: { workloadId, hour: H(hour) } } });
  if (!r) return null;
  return {
    gpuHours: r.gpuHours.toString(),
    usefulGpuHours: r.usefulGpuHours.toString(),
    gpuCost: r.gpuCost.toString(),
    currency: r.currency,
    energyWh: r.energyWh,
    inferences: r.inferences,
    failures: r.failures,
    promptTokens: r.promptTokens,
    generationTokens: r.generationTokens,
    cpuCost: r.cpuCost.toString(),
    ramCost: r.ramCost.toString(),
    latencyHistogram: r.latencyHistogram,
  };
}

async function snapshot(orgId: string) {
  const [gh, wh] = await Promise.all([
    prisma.gpuHourly.findMany({ where: { orgId }, orderBy: [{ gpuId: "asc" }, { hour: "asc" }] }),
    prisma.workloadHourly.findMany({ where: { orgId }, orderBy: [{ workloadId: "asc" }, { hour: "asc" }] }),
  ]);
  return JSON.stringify({ gh, wh });
}

describe("refreshRollups", () => {
  let first: Awaited<ReturnType<typeof refreshRollups>>;

  it("prices cloud GPU-hours from their instance's bill", async () => {
    first = await refreshRollups(prisma, { orgId: ids.orgId, from: FROM, to: TO });
    expect(first).toMatchObject({ gpuHourRows: 21, ratedGpuHourRows: 18, workloadHourRows: 5 });

    // p5.48xlarge at $55.04/h On-Demand → $6.88 per GPU-hour.
    for (const hour of [10, 11]) {
      for (const g of [ids.gpus.p5a, ids.gpus.p5b]) {
        expect(await gpuRow(g, hour)).toMatchObject({ rate: "6.88", billedRate: "6.88", currency: "USD", pricingCategory: "on-demand" });
      }
    }
    // Hour 12: $40 amortized Savings Plan usage (billed $0) + $0.40 data transfer on the same instance.
    expect(await gpuRow(ids.gpus.p5a, 12)).toMatchObject({ rate: "5.05", billedRate: "0.05", currency: "USD", pricingCategory: "committed" });
    // The daily $240 Spot line (billed $300) is prorated: $10/h, 8 GPUs from the catalog.
    for (const hour of WINDOW_HOURS) {
      expect(await gpuRow(ids.gpus.p4d, hour)).toMatchObject({ rate: "1.25", billedRate: "1.5625", currency: "USD", pricingCategory: "spot" });
    }
  });

  it("gives a MIG slice the whole GPU's price per GPU-hour; its cost follows its 3/7 GPU-hours", async () => {
    expect(await gpuRow(ids.gpus.mig, 10)).toMatchObject({ rate: "6.88", currency: "USD", pricingCategory: "on-demand" });
    expect(await gpuRow(ids.gpus.mig, 12)).toMatchObject({ rate: "5.05", pricingCategory: "committed" });
  });

  it("prices on-prem GPU-hours from the admin rate, else from amortization", async () => {
    // (320000 / (4 × 8760) + 10.2 kW × 1.3 × $0.12 + $2) / 8 GPUs = 1.590452511415525…, kept at numeric's
    // full precision (gpu_hourly.rate has no scale), not rounded to 8 decimals
    const dc1 = await gpuRow(ids.gpus.dc1, 10);
    expect(dc1).toMatchObject({ currency: "USD", pricingCategory: "on-prem" });
    expect(dc1.rate).toMatch(/^1\.590452511415525\d*$/);
    expect(dc1.billedRate).toBe(dc1.rate);
    expect(await gpuRow(ids.gpus.dc2, 11)).toMatchObject({ rate: "2.5", currency: "EUR", pricingCategory: "on-prem" });
  });

  it("never invents a rate for a GPU it cannot link, and stays inside the window and the org", async () => {
    expect(await gpuRow(ids.gpus.nobill, 10)).toEqual({ rate: null, billedRate: null, currency: null, pricingCategory: null, energyWh: null });
    // 09:00 and 13:00 have bills or rows but are outside [10:00, 13:00).
    expect((await gpuRow(ids.gpus.p5a, 9)).rate).toBeNull();
    expect((await gpuRow(ids.gpus.p5a, 13)).energyWh).toBeNull();
    const other = await prisma.gpuHourly.findUniqueOrThrow({ where: { gpuId_hour: { gpuId: ids.otherGpu, hour: H(10) } } });
    expect(other.rate).toBeNull();
  });

  it("computes energy as power × GPU-hours where power is known", async () => {
    expect((await gpuRow(ids.gpus.p5a, 10)).energyWh).toBe(700);
    expect((await gpuRow(ids.gpus.mig, 10)).energyWh).toBeCloseTo(300 * 0.428571, 6);
    expect((await gpuRow(ids.gpus.p5b, 10)).energyWh).toBeNull();
  });

  it("rolls GPU-hours, useful GPU-hours, cost and energy up to workloads", async () => {
    // Two p5 GPUs: one at 80 %, one with no utilization samples (unknown: provisioned, never "useful").
    expect(await workloadRow(ids.train, 10)).toMatchObject({
      gpuHours: "2",
      usefulGpuHours: "0.8",
      gpuCost: "13.76",
      currency: "USD",
      energyWh: 700,
    });
    expect(await workloadRow(ids.train, 12)).toMatchObject({ gpuHours: "2", gpuCost: "10.1" });
  });

  it("keeps the traffic other ingesters wrote, zeroes sourceless rows with traffic, drops empty ones", async () => {
    // MIG slice at 50 %: 3/7 GPU-hour × $6.88.
    expect(await workloadRow(ids.serve, 10)).toEqual({
      gpuHours: "0.428571",
      usefulGpuHours: "0.214286",
      gpuCost: "2.94856848",
      currency: "USD",
      energyWh: expect.closeTo(128.5713, 6),
      inferences: 1000,
      failures: 3,
      promptTokens: 5000,
      generationTokens: 7000,
      cpuCost: "0.5",
      ramCost: "0.25",
      latencyHistogram: { le: [0.1, 0.5, 1], counts: [600, 950, 1000] },
    });
    // Hour 12: the slice no longer serves this workload, but the hour had traffic.
    expect(await workloadRow(ids.serve, 12)).toMatchObject({ gpuHours: "0", gpuCost: "0", usefulGpuHours: "0", energyWh: 0, inferences: 200 });
    // No source and no traffic: gone. Outside the window: untouched.
    expect(await workloadRow(ids.old, 11)).toBeNull();
    expect(await workloadRow(ids.serve, 9)).toMatchObject({ gpuHours: "5", gpuCost: "5" });
    expect(first).toMatchObject({ workloadHourRowsZeroed: 1, workloadHourRowsDeleted: 1 });
  });

  it("records the refresh", async () => {
    const rows = await prisma.rollupRefresh.findMany({ where: { orgId: ids.orgId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: first.refreshId, windowStart: FROM, windowEnd: TO, gpuHours: 21, workloadHours: 5 });
  });

  it("is idempotent: a second run changes nothing", async () => {
    const before = await snapshot(ids.orgId);
    const second = await refreshRollups(prisma, { orgId: ids.orgId, from: FROM, to: TO });
    expect(await snapshot(ids.orgId)).toBe(before);
    expect(second).toMatchObject({
      gpuHourRows: 21,
      ratedGpuHourRows: 18,
      gpuHourRowsChanged: 0,
      workloadHourRows: 5,
      workloadHourRowsChanged: 0,
      workloadHourRowsZeroed: 0,
      workloadHourRowsDeleted: 0,
    });
    expect(await prisma.rollupRefresh.count({ where: { orgId: ids.orgId } })).toBe(2);
  });

  it("recomputes when a bill is replaced: rates without a source go back to unknown", async () => {
    await prisma.billLineItem.deleteMany({ where: { orgId: ids.orgId, resourceId: "i-p5", chargePeriodStart: H(10) } });
    const r = await refreshRollups(prisma, { orgId: ids.orgId, from: H(10), to: H(11) });
    expect(r.gpuHourRows).toBe(7);
    expect(await gpuRow(ids.gpus.p5a, 10)).toMatchObject({ rate: null, currency: null, pricingCategory: null });
    expect(await workloadRow(ids.train, 10)).toMatchObject({ gpuHours: "2", gpuCost: "0" });
    // Hours outside the smaller window keep their rates.
    expect((await gpuRow(ids.gpus.p5a, 11)).rate).toBe("6.88");
  });

  it("rejects windows that are not whole hours and orgs that do not exist", async () => {
    await expect(refreshRollups(prisma, { orgId: ids.orgId, from: new Date(Date.UTC(2026, 0, 15, 10, 30)), to: TO })).rejects.toThrow(
      /whole UTC hour/,
    );
    await expect(refreshRollups(prisma, { orgId: "org-that-does-not-exist", from: FROM, to: TO })).rejects.toThrow(/does not exist/);
  });
});
