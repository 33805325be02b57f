// Two currencies and unpriced GPU-hours in one org: amounts in different currencies are never added,
// and GPU-hours without a rate are shown, never priced at zero. Rates are written on gpu_hourly directly
// (as the rollup refresh leaves them) to keep the case small: a USD cloud GPU at $2, a EUR on-prem GPU
// at €1, and a GPU no bill prices.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Prisma } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { gpuHoursReport } from "@/lib/costs/queries/gpu-hours";
import { trainingRunsReport } from "@/lib/costs/queries/training-runs";
import { inferenceReport } from "@/lib/costs/queries/inference";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const FROM = new Date("2026-03-02T00:00:00Z");
const TO = new Date("2026-03-02T04:00:00Z");
let orgId = "";

beforeAll(async () => {
  orgId = (await createOrg(prisma, { slug: `cur-${randomBytes(4).toString("hex")}`, name: "Currencies" })).id;
  const gpu = (uuid: string) => prisma.gpu.create({ data: { orgId, uuid, model: "H100" } }).then((g) => g.id);
  const [usd, eur, none] = [await gpu("GPU-usd"), await gpu("GPU-eur"), await gpu("GPU-none")];
  const run = await prisma.workload.create({ data: { orgId, kind: "TRAINING_RUN", name: "run-1", namespace: "ml", team: "ml" } });
  const svc = await prisma.workload.create({ data: { orgId, kind: "INFERENCE_SERVICE", name: "svc", namespace: "serving", team: "ml" } });
  const rows: Prisma.GpuHourlyCreateManyInput[] = [];
  for (let h = 0; h < 4; h++) {
    const hour = new Date(FROM.getTime() + h * 3_600_000);
    // hours 0-1: the run on the USD GPU and the unpriced GPU; hours 2-3: the service on the USD and EUR GPUs
    const wl = h < 2 ? run.id : svc.id;
    rows.push({ orgId, gpuId: usd, hour, utilization: 0.5, rate: "2", billedRate: "2", currency: "USD", pricingCategory: "on-demand", workloadId: wl });
    rows.push({ orgId, gpuId: eur, hour, utilization: 0.5, rate: "1", billedRate: "1", currency: "EUR", pricingCategory: "on-prem", workloadId: h < 2 ? null : svc.id });
    rows.push({ orgId, gpuId: none, hour, utilization: 0.25, workloadId: h < 2 ? run.id : null });
  }
  await prisma.gpuHourly.createMany({ data: rows });
  await prisma.workloadHourly.createMany({
    data: [2, 3].map((h) => ({ orgId, workloadId: svc.id, hour: new Date(FROM.getTime() + h * 3_600_000), inferences: 500, promptTokens: 1000, generationTokens: 1000 })),
  });
});
afterAll(() => prisma.$disconnect());

describe("reports with two currencies and unpriced GPU-hours", () => {
  it("gpu-hours totals: quantities over everything, money null, each currency in byCurrency", async () => {
    const { rows, totals } = await gpuHoursReport(prisma, { orgId, from: FROM, to: TO });
    // one group (no groupBy) in two currencies: two rows; the unpriced GPU joins the org's currency (USD)
    expect(rows.map((r) => [r.currency, r.gpuHours, r.unpricedGpuHours, r.cost])).toEqual([
      ["USD", 8, 4, "8"],
      ["EUR", 4, 0, "4"],
    ]);
    expect(rows[0]!.costPerGpuHour).toBe("2"); // $8 over the 4 priced GPU-hours, not over 8
    expect(totals).toMatchObject({ currency: null, gpuHours: 12, unpricedGpuHours: 4, cost: null, costPerGpuHour: null, idleCost: null });
    expect(totals.meanUtilization).toBeCloseTo((4 * 0.5 + 4 * 0.5 + 4 * 0.25) / 12, 6);
    expect(totals.byCurrency.map((c) => [c.currency, c.cost])).toEqual([
      ["USD", "8"],
      ["EUR", "4"],
    ]);
  });

  it("a training run's unpriced GPU-hours join its priced row and never enter its cost", async () => {
    const { rows, totals } = await trainingRunsReport(prisma, { orgId, from: FROM, to: TO });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ runId: "run-1", currency: "USD", gpuHours: 4, unpricedGpuHours: 2, gpuCost: "4", cost: "4", durationHours: 2 });
    expect(rows[0]!.meanUtilization).toBeCloseTo((2 * 0.5 + 2 * 0.25) / 4, 6);
    expect(rows[0]!.costPerUsefulGpuHour).toBe("4"); // $4 / 1.0 useful priced GPU-hour
    expect(totals).toMatchObject({ currency: "USD", gpuHours: 4, unpricedGpuHours: 2, cost: "4", runs: 1 });
  });

  it("a service billed in two currencies: one row each, its traffic on the org-currency row only", async () => {
    const { rows, totals } = await inferenceReport(prisma, { orgId, from: FROM, to: TO });
    expect(rows.map((r) => [r.currency, r.gpuHours, r.cost, r.inferences, r.costPer1kInferences])).toEqual([
      ["USD", 2, "4", 1000, "4"],
      ["EUR", 2, "2", 0, null],
    ]);
    expect(totals).toMatchObject({ currency: null, cost: null, inferences: 1000, tokens: 4000 });
  });
});
