// The dashboard's own queries against the report API on the demo org: for every filter and both
// column sizes, the heatmap's per-GPU sums add up to the idle report's totals; the spend series add up
// to the gpu-hours report grouped the same way; a GPU of another org is not found.
import { beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/db/client";
import { seededDemoDatabase } from "@/tests/support/demo-db";
import { runReport } from "@/lib/costs/run-report";
import { fleetHeatmap } from "@/lib/costs/queries/heatmap";
import { gpuDetail } from "@/lib/costs/queries/gpu-detail";
import { spendSeries } from "@/lib/costs/queries/spend-series";
import { sumDecimals } from "@/lib/domain/decimal-sum";
import { CELL_GAP, CELL_NONE } from "@/lib/domain/fleet";
import type { ReportFilters } from "@/lib/domain/reports";
import { createOrg } from "@/lib/orgs/create-org";

const NOW = new Date("2026-11-20T09:30:00Z");
const DB = `burnrate_test_dashboard_${process.pid}`;
const to = new Date("2026-11-20T00:00:00Z");
const from = new Date(to.getTime() - 14 * 86_400_000);
let prisma: PrismaClient;
let orgId: string;
const demo = seededDemoDatabase(DB, NOW);
beforeAll(() => ({ prisma, orgId } = demo));

describe("dashboard queries on the demo org", () => {
  const cases: ReportFilters[] = [{}, { gpuModel: ["H100"] }, { team: ["llm-research"] }, { cluster: ["aws-use1-training"], namespace: ["training"] }, { pricingCategory: ["spot", "on-prem"] }];
  for (const filters of cases) {
    it(`heatmap sums equal the idle report (${JSON.stringify(filters)})`, async () => {
      const idle = await runReport(prisma, { orgId, kind: "idle", query: { from, to, groupBy: [], filters, costBasis: "effective" } });
      for (const bucket of ["hour", "day"] as const) {
        const h = await fleetHeatmap(prisma, { orgId, from, to, costBasis: "effective", filters, bucket });
        expect(h.columns).toBe(bucket === "hour" ? 14 * 24 : 14);
        expect(sumDecimals(h.gpus.map((g) => g.idleCost))).toBe(sumDecimals([idle.totals.idleCost]));
        expect(h.gpus.reduce((s, g) => s + g.gpuHours, 0)).toBeCloseTo(idle.totals.gpuHours, 4);
        expect(h.gpus.reduce((s, g) => s + g.idleGpuHours, 0)).toBeCloseTo(idle.totals.idleGpuHours, 4);
        const cells = new Int16Array(new Uint8Array(Buffer.from(h.cells, "base64")).buffer);
        expect(cells.length).toBe(h.gpus.length * h.columns);
        expect(cells.every((v) => v === CELL_NONE || v === CELL_GAP || (v >= 0 && v <= 10000))).toBe(true);
        if (bucket === "hour") {
          // Idle cells are the idle report's idle GPU-hours (the demo's GPUs are whole: 1 GPU-hour per cell).
          const idleCells = cells.filter((v) => v >= 0 && v < idle.idleThreshold * 10000).length;
          expect(idleCells).toBeCloseTo(idle.totals.idleGpuHours, 4);
        }
      }
    }, 60_000);
  }

  it("the spend series add up to the gpu-hours report per group", async () => {
    const report = await runReport(prisma, { orgId, kind: "gpu-hours", query: { from, to, groupBy: ["team"], filters: {}, costBasis: "billed" } });
    const series = await spendSeries(prisma, { orgId, from, to, costBasis: "billed", filters: {}, groupBy: "team", bucket: "day" });
    for (const row of report.rows) expect(sumDecimals(series.points.filter((p) => p.key === row.team && p.currency === row.currency).map((p) => p.cost))).toBe(sumDecimals([row.cost]));
  });

  it("a GPU is found in its own org only", async () => {
    const h = await fleetHeatmap(prisma, { orgId, from, to, costBasis: "effective", filters: {}, bucket: "hour" });
    const gpu = h.gpus[0]!;
    const d = await gpuDetail(prisma, { orgId, gpuId: gpu.id, from, to, costBasis: "effective" });
    expect(sumDecimals(d.hours.map((x) => x.cost))).toBe(sumDecimals([gpu.cost]));
    const other = await createOrg(prisma, { slug: "dash-other", name: "Other" });
    await expect(gpuDetail(prisma, { orgId: other.id, gpuId: gpu.id, from, to, costBasis: "effective" })).rejects.toThrow("No such GPU");
  });
});
