// The hand-built fleet behind the report tests and the worked example in docs/metrics.md ("Worked
// example"). Raw inputs are written where the connectors write them (bill lines, hourly DCGM rollups,
// hourly traffic increases, CPU/RAM allocation cost); rates and workload facts come from the real
// rollup refresh. Every expected figure in reports-scenario.test.ts is derived from the table below.
//
// Window: Fri 2026-01-09 22:00Z → Mon 2026-01-12 02:00Z, 52 hours (h0-h51); the weekend is h2-h49.
//
// GPU        model  cluster    instance  pricing    rate/GPU-h  GPU-h/h   hours  utilization            workload
// od-0       H100   aws-train  i-od      committed  6.88        1         52     0.30 weekdays (h0,h1,   —
//                                                                                  h50,h51), 0.01 weekend
// od-1/mig3  H100   aws-train  i-od      committed  6.88        0.428571  52     0.50                   chat-api (serving)
// od-1/mig4  H100   aws-train  i-od      committed  6.88        0.571429  52     0.02                   —
// spot-0     A100   aws-train  i-spot    spot       1.00        1         h0-h5  0.40                   vit-02 (training)
// spot-1     A100   aws-train  i-spot    spot       1.00        1         h0-h5  0.40, gap at h2, h3    vit-02
// nobill-0   A100   aws-train  i-nobill  (no bill)  —           1         52     0.60                   —
// dgx-0/1    H100   dc1        on-prem   on-prem    1.00        1         52     0.90 h0-h11, 0 after   llm-sft-01 h0-h11
//
// i-od: 2 GPUs, a Savings-Plan-covered line per hour, EffectiveCost 13.76, BilledCost 0, team=research.
// i-spot: 2 GPUs, a spot line per hour for h0-h5, 2.00 (billed and effective), team=vision-infra.
// dc1: (capex 175,200 / (4 y × 8760 h) + 10 kW × PUE 1.5 × $0.10/kWh + $1.50/h colocation) / 8 GPUs = $1.00.
// Power: od-0 300 W busy / 70 W idle; mig3 200 W; mig4 none; spot 250 W (none in the gap); nobill 300 W;
// dgx 600 W in the run, 80 W idle. llm-sft-01 pays CPU $0.50/h and RAM $0.25/h for h0-h11.
// chat-api: success counter samples 10000, 11000, 12000, 500 (restart), 1500 at h0-h4 → increases
// 1000, 1000, 500, 1000 in h0-h3; 10 failures in h0; 100 prompt and 50 generation tokens per request.
import { randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { refreshRollups } from "@/lib/costs/refresh-rollups";

export const FROM = new Date("2026-01-09T22:00:00Z");
export const TO = new Date("2026-01-12T02:00:00Z");
export const HOURS = 52;
export const WEEKEND = { from: new Date("2026-01-10T00:00:00Z"), to: new Date("2026-01-12T00:00:00Z") };
export const MIG3 = "0.428571";
export const MIG4 = "0.571429";
const at = (h: number) => new Date(FROM.getTime() + h * 3_600_000);
const weekday = (h: number) => h < 2 || h >= 50;

/** Hourly increases of a counter sampled at each hour's end; a drop is a restart: count from zero. */
export function counterIncreases(samples: number[]): number[] {
  return samples.slice(1).map((v, i) => (v >= samples[i]! ? v - samples[i]! : v));
}
export const SUCCESS_COUNTER = [10_000, 11_000, 12_000, 500, 1_500];
export const LATENCY_LE = [0.1, 0.5, 1];
export const LATENCY_COUNTS = [
  [400, 900, 1000, 1000],
  [200, 800, 990, 1000],
  [100, 400, 500, 500],
  [300, 900, 1000, 1000],
];

export type Scenario = { orgId: string; slug: string; workloads: { chat: string; vit: string; llm: string } };

export async function buildScenario(prisma: PrismaClient, label = "scenario"): Promise<Scenario> {
  const slug = `${label}-${randomBytes(4).toString("hex")}`;
  const org = await createOrg(prisma, { slug, name: `Reports ${label}` });
  const orgId = org.id;
  const aws = await prisma.cluster.create({ data: { orgId, name: "aws-train", provider: "aws", region: "us-east-1" } });
  const dc1 = await prisma.cluster.create({
    data: {
      orgId,
      name: "dc1",
      provider: "onprem",
      capexPerServer: "175200",
      lifeYears: "4",
      powerKwPerServer: "10",
      pue: "1.5",
      pricePerKwh: "0.10",
      colocationHourly: "1.50",
      gpusPerServer: 8,
    },
  });
  const gpu = (data: Omit<Prisma.GpuUncheckedCreateInput, "orgId">) => prisma.gpu.create({ data: { orgId, ...data } }).then((g) => g.id);
  const cloud = { clusterId: aws.id, instanceType: "test.2gpu" };
  const g = {
    od0: await gpu({ ...cloud, uuid: "GPU-od-0", model: "H100", providerInstanceId: "i-od", gpuIndex: 0 }),
    mig3: await gpu({ ...cloud, uuid: "GPU-od-1", migInstanceId: "1", migProfile: "3g.40gb", fraction: "0.42857", model: "H100", providerInstanceId: "i-od", gpuIndex: 1 }),
    mig4: await gpu({ ...cloud, uuid: "GPU-od-1", migInstanceId: "2", migProfile: "4g.40gb", fraction: "0.57143", model: "H100", providerInstanceId: "i-od", gpuIndex: 1 }),
    spot0: await gpu({ ...cloud, uuid: "GPU-spot-0", model: "A100", providerInstanceId: "i-spot", gpuIndex: 0 }),
    spot1: await gpu({ ...cloud, uuid: "GPU-spot-1", model: "A100", providerInstanceId: "i-spot", gpuIndex: 1 }),
    nobill: await gpu({ ...cloud, uuid: "GPU-nobill-0", model: "A100", providerInstanceId: "i-nobill", gpuIndex: 0 }),
    dgx0: await gpu({ clusterId: dc1.id, uuid: "GPU-dgx-0", model: "H100", hostname: "dgx-01", gpuIndex: 0 }),
    dgx1: await gpu({ clusterId: dc1.id, uuid: "GPU-dgx-1", model: "H100", hostname: "dgx-01", gpuIndex: 1 }),
  };
  const wl = (kind: "TRAINING_RUN" | "INFERENCE_SERVICE", name: string, namespace: string, team: string, clusterId: string) =>
    prisma.workload.create({ data: { orgId, kind, name, namespace, team, clusterId } }).then((w) => w.id);
  const chat = await wl("INFERENCE_SERVICE", "chat-api", "serving", "platform", aws.id);
  const vit = await wl("TRAINING_RUN", "vit-02", "training", "vision", aws.id);
  const llm = await wl("TRAINING_RUN", "llm-sft-01", "training", "llm", dc1.id);

  const rows: Prisma.GpuHourlyCreateManyInput[] = [];
  const row = (gpuId: string, h: number, utilization: number | null, powerW: number | null, extra: Partial<Prisma.GpuHourlyCreateManyInput> = {}) =>
    rows.push({ orgId, gpuId, hour: at(h), utilization, powerW, samples: utilization === null ? 0 : 120, ...extra });
  for (let h = 0; h < HOURS; h++) {
    row(g.od0, h, weekday(h) ? 0.3 : 0.01, weekday(h) ? 300 : 70);
    row(g.mig3, h, 0.5, 200, { gpuHours: MIG3, workloadId: chat, namespace: "serving", pod: "chat-api-5c9d8f7b6-abcde" });
    row(g.mig4, h, 0.02, null, { gpuHours: MIG4 });
    row(g.nobill, h, 0.6, 300);
    for (const dgx of [g.dgx0, g.dgx1]) {
      if (h < 12) row(dgx, h, 0.9, 600, { workloadId: llm, namespace: "training", pod: "llm-sft-01-0" });
      else row(dgx, h, 0, 80);
    }
    if (h < 6) {
      row(g.spot0, h, 0.4, 250, { workloadId: vit, namespace: "training", pod: "vit-02-0" });
      const gap = h === 2 || h === 3;
      row(g.spot1, h, gap ? null : 0.4, gap ? null : 250, { workloadId: vit, namespace: "training", pod: "vit-02-1" });
    }
  }
  await prisma.gpuHourly.createMany({ data: rows });

  const bill = (resourceId: string, h: number, extra: Partial<Prisma.BillLineItemCreateManyInput>) => ({
    orgId,
    sourceFormat: "focus-1.2",
    providerName: "AWS",
    billingAccountId: "111122223333",
    billingCurrency: "USD",
    billingPeriodStart: new Date("2026-01-01T00:00:00Z"),
    billingPeriodEnd: new Date("2026-02-01T00:00:00Z"),
    chargePeriodStart: at(h),
    chargePeriodEnd: at(h + 1),
    chargeCategory: "Usage",
    billedCost: "0",
    effectiveCost: "0",
    resourceId,
    instanceType: "test.2gpu",
    gpuCount: "2",
    ...extra,
  });
  const lines: Prisma.BillLineItemCreateManyInput[] = [];
  for (let h = 0; h < HOURS; h++) {
    lines.push(bill("i-od", h, { pricingCategory: "Committed", billedCost: "0", effectiveCost: "13.76", gpuModel: "H100", tags: { team: "research" } }));
    if (h < 6) lines.push(bill("i-spot", h, { pricingCategory: "Dynamic", billedCost: "2.00", effectiveCost: "2.00", gpuModel: "A100", tags: { team: "vision-infra" } }));
  }
  // Not Usage: never part of a GPU rate.
  lines.push(bill("i-od", 0, { chargeCategory: "Tax", billedCost: "5", effectiveCost: "5" }));
  await prisma.billLineItem.createMany({ data: lines });

  // Traffic (as the telemetry connector stores hourly increases) and CPU/RAM (as the allocation connector does).
  const inc = counterIncreases(SUCCESS_COUNTER);
  await prisma.workloadHourly.createMany({
    data: [
      ...inc.map((n, h) => ({
        orgId,
        workloadId: chat,
        hour: at(h),
        inferences: n,
        failures: h === 0 ? 10 : 0,
        promptTokens: n * 100,
        generationTokens: n * 50,
        latencyHistogram: { le: LATENCY_LE, counts: LATENCY_COUNTS[h]! },
      })),
      ...Array.from({ length: 12 }, (_, h) => ({ orgId, workloadId: llm, hour: at(h), cpuCost: "0.50", ramCost: "0.25" })),
    ],
  });

  await refreshRollups(prisma, { orgId, from: FROM, to: TO });
  return { orgId, slug, workloads: { chat, vit, llm } };
}
