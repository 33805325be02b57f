// The cost reports on the hand-built fleet of reports-scenario.fixture.ts (read its table first):
// GPUs of two models, one on-prem cluster, one spot node, two training runs, one inference service
// whose counter restarted, an idle weekend, MIG slices, a telemetry gap and a GPU no bill prices.
// Every expected figure is worked out by hand below from that table; money is checked to the cent
// (and exactly where the arithmetic is exact).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { gpuHoursReport } from "@/lib/costs/queries/gpu-hours";
import { idleReport } from "@/lib/costs/queries/idle";
import { trainingRunsReport } from "@/lib/costs/queries/training-runs";
import { inferenceReport } from "@/lib/costs/queries/inference";
import { buildScenario, FROM, TO, WEEKEND, type Scenario } from "./reports-scenario.fixture";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
let s: Scenario;
const window = () => ({ orgId: s.orgId, from: FROM, to: TO });

beforeAll(async () => {
  s = await buildScenario(prisma);
});
afterAll(() => prisma.$disconnect());

/** A money string, to the cent. */
const cents = (v: string | null | undefined) => (v === null || v === undefined ? null : Math.round(Number(v) * 100));
const toCents = (x: number) => Math.round(x * 100);

// ── the hand calculation ──
const MIG3 = 0.428571; // 3g.40gb: 3/7 of a GPU-hour per hour
const MIG4 = 0.571429; // 4g.40gb: 4/7
const OD = 6.88; // i-od: $13.76 effective per hour / 2 GPUs
const SPOT = 1.0; // i-spot: $2.00 / 2 GPUs
const DGX = (175_200 / (4 * 8760) + 10 * 1.5 * 0.1 + 1.5) / 8; // = (5 + 1.5 + 1.5) / 8 = $1.00
const gpuHours = { od0: 52, mig3: 52 * MIG3, mig4: 52 * MIG4, spot: 2 * 6, nobill: 52, dgx: 2 * 52 };
const cost = {
  od0: 52 * OD, // 357.76
  mig3: 52 * MIG3 * OD, // 153.32556096 (2.94856848 per hour, the docs' MIG example)
  mig4: 52 * MIG4 * OD, // 204.43443904
  spot: 12 * SPOT, // 12.00
  dgx: 104 * DGX, // 104.00
};
const totalCost = cost.od0 + cost.mig3 + cost.mig4 + cost.spot + cost.dgx; // 831.52 (nobill has no rate)
const useful = {
  od0: 4 * 0.3 + 48 * 0.01, // 1.68
  mig3: 52 * MIG3 * 0.5,
  mig4: 52 * MIG4 * 0.02,
  spot: 6 * 0.4 + 4 * 0.4, // spot-1's two gap hours are unknown, not zero
  nobill: 52 * 0.6,
  dgx: 2 * 12 * 0.9,
};
const usefulAll = Object.values(useful).reduce((a, b) => a + b, 0);
const usefulPriced = usefulAll - useful.nobill;
// idle = known utilization < 5 %: od-0's weekend (48 h at 1 %), mig4 (2 %), dgx after the run (2 × 40 h at 0 %)
const idleHours = 48 + 52 * MIG4 + 80;
const idleCost = 48 * OD + cost.mig4 + 80 * DGX;
// unused capacity = rate × GPU-hours × (1 − utilization) over known hours
const unused =
  4 * OD * 0.7 + 48 * OD * 0.99 + cost.mig3 * 0.5 + cost.mig4 * 0.98 + 10 * SPOT * 0.6 + 24 * DGX * 0.1 + 80 * DGX * 1;

describe("gpu-hours report on the scenario", () => {
  it("totals: GPU-hours, cost, cost per GPU-hour, useful hours, idle, unused capacity, gaps, unpriced", async () => {
    const { totals, rows } = await gpuHoursReport(prisma, window());
    expect(rows).toHaveLength(1);
    expect(totals).toMatchObject({
      currency: "USD",
      gpuHours: 272, // 52 + 52 × (3/7 + 4/7) + 12 + 52 + 104
      unpricedGpuHours: 52, // nobill-0: never priced at zero
      knownUtilizationGpuHours: 270,
      gapGpuHours: 2,
      idleGpuHours: 157.714308,
      unattributedGpuHours: 213.714308, // od-0 52 + mig4 52 × 4/7 + nobill 52 + dgx after the run 80
      cost: "831.52",
      gapCost: "2", // spot-1's gap hours at $1.00
    });
    expect(totals.gpuHours).toBeCloseTo(Object.values(gpuHours).reduce((a, b) => a + b, 0), 6);
    expect(totals.idleGpuHours).toBeCloseTo(idleHours, 6);
    expect(totals.usefulGpuHours).toBeCloseTo(usefulAll, 6);
    expect(totals.meanUtilization).toBeCloseTo(usefulAll / 270, 6);
    expect(cents(totals.cost)).toBe(toCents(totalCost));
    // 831.52 over the 220 priced GPU-hours (272 − 52 unpriced)
    expect(totals.costPerGpuHour).toBe("3.779636");
    // cost of the known-utilization priced hours (831.52 − 2.00) / their useful GPU-hours
    expect(Number(totals.costPerUsefulGpuHour)).toBeCloseTo((totalCost - 2) / usefulPriced, 5);
    // the worked example in docs/metrics.md quotes these
    expect(totals).toMatchObject({ costPerUsefulGpuHour: "21.260404", unusedCapacityCost: "711.61013074", meanUtilization: 0.260063 });
    expect(cents(totals.idleCost)).toBe(toCents(idleCost)); // 614.67
    expect(totals.idleCost).toBe("614.67443904");
    expect(cents(totals.unusedCapacityCost)).toBe(toCents(unused)); // 711.61
    // Σ attributed (chat-api 153.33 + vit-02 12 + llm-sft-01 24) + unattributed = cost
    expect(cents(totals.unattributedCost)).toBe(toCents(cost.od0 + cost.mig4 + 80 * DGX)); // 642.19
    // od-0 4×300 + 48×70, mig3 52×200×3/7, spot 10×250, nobill 52×300, dgx 24×600 + 80×80 (Wh)
    expect(totals.energyKwh).toBeCloseTo((4 * 300 + 48 * 70 + 52 * 200 * MIG3 + 10 * 250 + 52 * 300 + 24 * 600 + 80 * 80) / 1000, 6);
  });

  it("by pricing category: committed, spot, on-prem, and the unlinked GPU as unpriced with no money", async () => {
    const { rows, totals } = await gpuHoursReport(prisma, { ...window(), groupBy: ["pricingCategory"] });
    const by = Object.fromEntries(rows.map((r) => [r.pricingCategory, r]));
    expect(Object.keys(by).sort()).toEqual(["committed", "on-prem", "spot", "unpriced"]);
    expect(by.committed).toMatchObject({ currency: "USD", gpuHours: 104, cost: "715.52", costPerGpuHour: "6.88", idleGpuHours: 48 + 29.714308 });
    expect(cents(by.committed!.idleCost)).toBe(toCents(48 * OD + cost.mig4));
    expect(by.spot).toMatchObject({ gpuHours: 12, cost: "12", costPerGpuHour: "1", gapGpuHours: 2, meanUtilization: 0.4, idleGpuHours: 0 });
    // spot: $10 of known hours / 4.0 useful GPU-hours
    expect(by.spot!.costPerUsefulGpuHour).toBe("2.5");
    expect(by["on-prem"]).toMatchObject({ gpuHours: 104, cost: "104", costPerGpuHour: "1", idleGpuHours: 80, idleCost: "80" });
    expect(by.unpriced).toMatchObject({ currency: null, gpuHours: 52, unpricedGpuHours: 52, cost: null, costPerGpuHour: null, idleCost: null, meanUtilization: 0.6 });
    // rows add up to the totals
    expect(rows.reduce((a, r) => a + r.gpuHours, 0)).toBeCloseTo(totals.gpuHours, 6);
    expect(rows.reduce((a, r) => a + (cents(r.cost) ?? 0), 0)).toBe(cents(totals.cost));
  });

  it("by team: the workload's team, else the instance bill's team tag, else unattributed (unpriced hours join the priced row)", async () => {
    const { rows } = await gpuHoursReport(prisma, { ...window(), groupBy: ["team"] });
    const by = Object.fromEntries(rows.map((r) => [r.team, r]));
    expect(Object.keys(by).sort()).toEqual(["llm", "platform", "research", "unattributed", "vision"]);
    expect(by.research).toMatchObject({ gpuHours: 52 + 29.714308 });
    expect(cents(by.research!.cost)).toBe(toCents(cost.od0 + cost.mig4)); // 562.19
    expect(by.platform).toMatchObject({ gpuHours: 22.285692, cost: "153.32556096", meanUtilization: 0.5 });
    expect(by.vision).toMatchObject({ gpuHours: 12, cost: "12" }); // the run's team, not the bill's "vision-infra"
    expect(by.llm).toMatchObject({ gpuHours: 24, cost: "24", meanUtilization: 0.9 });
    // nobill (52 h, no rate, no tag) and dgx after the run (80 h at $1): one row, cost per GPU-hour over priced hours only
    expect(by.unattributed).toMatchObject({ currency: "USD", gpuHours: 132, unpricedGpuHours: 52, cost: "80", costPerGpuHour: "1" });
  });

  it("by GPU model and namespace, with filters", async () => {
    const models = await gpuHoursReport(prisma, { ...window(), groupBy: ["gpuModel"] });
    const m = Object.fromEntries(models.rows.map((r) => [r.gpuModel, r]));
    expect(m.H100).toMatchObject({ gpuHours: 208, cost: "819.52" });
    expect(m.A100).toMatchObject({ gpuHours: 64, unpricedGpuHours: 52, cost: "12", costPerGpuHour: "1" });

    const ns = await gpuHoursReport(prisma, { ...window(), groupBy: ["namespace"] });
    const n = Object.fromEntries(ns.rows.map((r) => [r.namespace, r]));
    expect(n.serving).toMatchObject({ gpuHours: 22.285692, cost: "153.32556096" });
    expect(n.training).toMatchObject({ gpuHours: 36, cost: "36" });
    expect(n.unattributed).toMatchObject({ gpuHours: 272 - 36 - 22.285692 });

    const dc1 = await gpuHoursReport(prisma, { ...window(), filters: { cluster: ["dc1"] } });
    expect(dc1.totals).toMatchObject({ gpuHours: 104, cost: "104", idleGpuHours: 80 });
    const two = await gpuHoursReport(prisma, { ...window(), groupBy: ["cluster", "gpuModel"], filters: { gpuModel: ["A100"], team: ["vision", "unattributed"] } });
    expect(two.rows.map((r) => [r.cluster, r.gpuModel, r.gpuHours])).toEqual([["aws-train", "A100", 64]]);
  });

  it("billed cost basis: the Savings-Plan-covered instance bills 0 per hour", async () => {
    const { totals, rows } = await gpuHoursReport(prisma, { ...window(), costBasis: "billed", groupBy: ["pricingCategory"] });
    expect(totals.cost).toBe("116"); // 0 × 104 + $1 × 12 + $1 × 104
    expect(rows.find((r) => r.pricingCategory === "committed")).toMatchObject({ cost: "0", costPerGpuHour: "0" });
  });

  it("a window outside the data gives zeros, not nulls", async () => {
    const { rows, totals } = await gpuHoursReport(prisma, { orgId: s.orgId, from: new Date("2025-01-01T00:00:00Z"), to: new Date("2025-01-02T00:00:00Z") });
    expect(rows).toEqual([]);
    expect(totals).toMatchObject({ currency: "USD", gpuHours: 0, cost: "0", costPerGpuHour: null, meanUtilization: null });
  });
});

describe("idle report on the scenario", () => {
  it("idle GPU-hours and idle cost by cluster, totals equal to the gpu-hours report's", async () => {
    const { rows, totals } = await idleReport(prisma, { ...window(), groupBy: ["cluster"] });
    expect(rows.map((r) => r.cluster)).toEqual(["aws-train", "dc1"]); // highest idle cost first
    expect(rows[0]).toMatchObject({ idleGpuHours: 77.714308, unpricedIdleGpuHours: 0 });
    expect(cents(rows[0]!.idleCost)).toBe(toCents(48 * OD + cost.mig4)); // 534.67
    expect(rows[1]).toMatchObject({ idleGpuHours: 80, idleCost: "80", idleShare: 0.769231 }); // 80 / 104
    expect(totals).toMatchObject({ idleGpuHours: 157.714308, idleCost: "614.67443904" });
  });

  it("the idle weekend: Saturday and Sunday only", async () => {
    const { rows, totals } = await idleReport(prisma, { orgId: s.orgId, ...WEEKEND, groupBy: ["gpuModel"] });
    // od-0 48 h at $6.88, mig4 48 × 4/7 h at $6.88, dgx idle from Sat 10:00: 2 × 38 h at $1
    expect(rows.map((r) => r.gpuModel)).toEqual(["H100"]);
    expect(totals.idleGpuHours).toBeCloseTo(48 + 48 * MIG4 + 76, 6);
    expect(cents(totals.idleCost)).toBe(toCents(48 * OD + 48 * MIG4 * OD + 76 * DGX)); // 594.95
  });
});

describe("training-runs report on the scenario", () => {
  it("one row per run: GPU-hours, duration, utilization, idle share, GPU + CPU/RAM cost, energy", async () => {
    const { rows, totals } = await trainingRunsReport(prisma, window());
    expect(rows.map((r) => r.runId)).toEqual(["llm-sft-01", "vit-02"]);
    const [llm, vit] = rows;
    expect(llm).toMatchObject({
      namespace: "training",
      team: "llm",
      cluster: "dc1",
      currency: "USD",
      gpuHours: 24, // 2 GPUs × 12 h
      durationHours: 12,
      firstHour: "2026-01-09T22:00:00.000Z",
      lastHour: "2026-01-10T09:00:00.000Z",
      meanUtilization: 0.9,
      idleShare: 0,
      gpuCost: "24",
      cpuRamCost: "9", // 12 h × ($0.50 + $0.25)
      cost: "33",
      costPerUsefulGpuHour: "1.111111", // $24 / 21.6 useful GPU-hours
      energyKwh: 14.4, // 24 GPU-hours × 600 W
      energyCost: "2.16", // 14.4 kWh × PUE 1.5 × $0.10
    });
    expect(vit).toMatchObject({
      cluster: "aws-train",
      gpuHours: 12,
      durationHours: 6,
      knownUtilizationGpuHours: 10,
      gapGpuHours: 2,
      meanUtilization: 0.4,
      gpuCost: "12",
      cpuRamCost: "0",
      cost: "12",
      costPerUsefulGpuHour: "2.5", // $10 of known hours / 4.0 useful GPU-hours
      energyKwh: 2.5,
      energyCost: null, // cloud: energy is inside the instance price
    });
    expect(totals).toMatchObject({ runs: 2, gpuHours: 36, gpuCost: "36", cpuRamCost: "9", cost: "45", energyCost: "2.16" });
    expect(totals.meanUtilization).toBeCloseTo((21.6 + 4) / 34, 6);
  });

  it("filters by team and clips to the window", async () => {
    const { rows } = await trainingRunsReport(prisma, { ...window(), filters: { team: ["vision"] } });
    expect(rows.map((r) => r.runId)).toEqual(["vit-02"]);
    const clipped = await trainingRunsReport(prisma, { orgId: s.orgId, from: new Date("2026-01-10T06:00:00Z"), to: TO });
    // llm-sft-01 from Sat 06:00 to 09:00 only: 4 hours × 2 GPUs; vit-02 ended at Sat 04:00
    expect(clipped.rows.map((r) => [r.runId, r.durationHours, r.gpuHours, r.cost])).toEqual([["llm-sft-01", 4, 8, "11"]]);
  });
});

describe("inference report on the scenario", () => {
  it("requests across a counter restart, tokens, GPU cost per 1K inferences and per 1M tokens, latency quantiles", async () => {
    const { rows, totals } = await inferenceReport(prisma, window());
    expect(rows).toHaveLength(1);
    const inferences = 1000 + 1000 + 500 + 1000; // increases around the restart (12000 → 500 counts 500)
    const tokens = inferences * 150;
    expect(rows[0]).toMatchObject({
      service: "chat-api",
      namespace: "serving",
      team: "platform",
      currency: "USD",
      gpuHours: 22.285692,
      meanUtilization: 0.5,
      inferences,
      failures: 10,
      successRatio: Math.round((inferences / (inferences + 10)) * 1e6) / 1e6,
      promptTokens: inferences * 100,
      generationTokens: inferences * 50,
      tokens,
      cost: "153.32556096", // 52 h × 3/7 × $6.88: the MIG slice serving it
      cpuRamCost: "0",
      energyCost: null,
    });
    expect(cents(rows[0]!.costPer1kInferences)).toBe(toCents((cost.mig3 / inferences) * 1000)); // 43.81
    expect(rows[0]!.costPer1kInferences).toBe("43.807303");
    expect(rows[0]!.costPer1mTokens).toBe("292.048688"); // 153.32556096 / 525,000 × 10^6
    // merged histogram [1000, 3000, 3490 | 3500]: p50 = 0.1 + 0.4 × 750/2000 s; p95 = 0.5 + 0.5 × 325/490 s; p99 = 0.5 + 0.5 × 465/490 s
    expect(rows[0]!.p50LatencyMs).toBe(250);
    expect(rows[0]!.p95LatencyMs).toBeCloseTo((0.5 + (0.5 * 325) / 490) * 1000, 3);
    expect(rows[0]!.p99LatencyMs).toBeCloseTo((0.5 + (0.5 * 465) / 490) * 1000, 3);
    expect(rows[0]!.energyKwh).toBeCloseTo((52 * 200 * MIG3) / 1000, 6);
    expect(totals).toMatchObject({ services: 1, inferences, cost: "153.32556096", p50LatencyMs: 250 });
  });
});

describe("reconciliation on the scenario", () => {
  it("cloud GPU cost = the bill's Usage lines of the GPU instances; on-prem = GPU-hours × amortized rate", async () => {
    const { rows } = await gpuHoursReport(prisma, { ...window(), groupBy: ["cluster"] });
    const aws = rows.find((r) => r.cluster === "aws-train")!;
    const bill = await prisma.$queryRaw<{ n: string }[]>`
      SELECT SUM(effective_cost)::text AS n FROM bill_line_items WHERE org_id = ${s.orgId} AND charge_category = 'Usage'`;
    expect(aws.cost).toBe(bill[0]!.n.replace(/\.?0+$/, "")); // 52 × 13.76 + 6 × 2.00 = 727.52
    expect(rows.find((r) => r.cluster === "dc1")!.cost).toBe("104");
  });
});
