// Reconciliation on the demo org over its 30 days: every GPU cost the reports show comes from the bill
// (cloud) or the on-prem amortization, and nothing is dropped or counted twice:
//   Σ training-run GPU cost + Σ inference GPU cost + unattributed GPU cost
//     = gpu-hours report cost
//     = Σ bill EffectiveCost of the GPU instances' Usage lines + on-prem GPU-hours × amortized rate.
// The demo seed replaces the org with slug "demo" wholesale, and demo-seed.test.ts seeds it too: this
// file runs in a database of its own so the two never race.
import { beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/db/client";
import { seededDemoDatabase } from "@/tests/support/demo-db";
import { runReport } from "@/lib/costs/run-report";
import type { ReportQuery } from "@/lib/domain/reports";

const NOW = new Date("2026-11-20T09:30:00Z");
const DB = `burnrate_test_reports_demo_${process.pid}`;
let prisma: PrismaClient;
let orgId: string;
let query: Omit<ReportQuery, "format">;

/** Exact decimal strings as integers of 10^-16, so sums compare without float error. */
const SCALE = 16;
function dec(s: string | null | undefined): bigint {
  if (s === null || s === undefined) return 0n;
  const neg = s.startsWith("-");
  const [int, frac = ""] = s.replace(/^[-+]/, "").split(".");
  const v = BigInt(int! + frac.padEnd(SCALE, "0").slice(0, SCALE));
  return neg ? -v : v;
}

const demo = seededDemoDatabase(DB, NOW);
beforeAll(() => {
  ({ prisma, orgId } = demo);
  query = { from: new Date(demo.summary.window.from), to: new Date(demo.summary.window.to), groupBy: [], filters: {}, costBasis: "effective" };
});

describe("reports reconcile with the demo org's bills", () => {
  it("attributed (training runs + inference services) + unattributed GPU cost = the gpu-hours report's cost", async () => {
    const gpu = await runReport(prisma, { orgId, kind: "gpu-hours", query });
    const runs = await runReport(prisma, { orgId, kind: "training-runs", query });
    const services = await runReport(prisma, { orgId, kind: "inference", query });
    expect(gpu.totals.currency).toBe("USD");
    expect(gpu.totals.unpricedGpuHours).toBe(0);
    expect(gpu.totals.gpuHours).toBe(112 * 720);
    const other = await prisma.workload.count({ where: { orgId, kind: "OTHER" } });
    expect(other).toBe(0);
    const attributed = dec(runs.totals.gpuCost) + dec(services.totals.cost);
    expect(attributed + dec(gpu.totals.unattributedCost)).toBe(dec(gpu.totals.cost));
    // and GPU-hours the same way
    expect(runs.totals.gpuHours + services.totals.gpuHours + gpu.totals.unattributedGpuHours).toBeCloseTo(gpu.totals.gpuHours, 6);
    // rows add up to totals, exactly
    expect(runs.rows.reduce((s, r) => s + dec(r.gpuCost), 0n)).toBe(dec(runs.totals.gpuCost));
    expect(services.rows.reduce((s, r) => s + dec(r.cost), 0n)).toBe(dec(services.totals.cost));
  });

  it("cloud GPU cost equals the bill's Usage lines of the GPU instances; on-prem equals GPU-hours × amortized rate", async () => {
    const byCluster = await runReport(prisma, { orgId, kind: "gpu-hours", query: { ...query, groupBy: ["cluster"] } });
    const cost = (name: string) => dec(byCluster.rows.find((r) => r.cluster === name)?.cost);
    const [bill] = await prisma.$queryRaw<Array<{ aws: string; gcp: string }>>`
      SELECT COALESCE(SUM(b.effective_cost) FILTER (WHERE b.provider_name = 'AWS'), 0)::text AS aws,
             COALESCE(SUM(b.effective_cost) FILTER (WHERE b.provider_name <> 'AWS'), 0)::text AS gcp
      FROM bill_line_items b
      WHERE b.org_id = ${orgId} AND b.charge_category = 'Usage'
        AND b.charge_period_start >= ${query.from} AND b.charge_period_start < ${query.to}
        AND b.resource_id IN (SELECT provider_instance_id FROM gpus WHERE org_id = ${orgId} AND provider_instance_id IS NOT NULL)`;
    // Rates are unscaled numeric (effective cost / GPUs on the instance, exactly): the cloud clusters'
    // cost equals the bill to the last digit, no rounding tolerance.
    const awsDiff = cost("aws-use1-training") - dec(bill!.aws);
    const gcpDiff = cost("gcp-usc1-a3") - dec(bill!.gcp);
    expect(awsDiff).toBe(0n);
    expect(gcpDiff).toBe(0n);
    expect(Number(bill!.aws) + Number(bill!.gcp)).toBeGreaterThan(300_000);
    // to the cent
    expect(Math.round(Number(byCluster.rows.find((r) => r.cluster === "aws-use1-training")!.cost) * 100)).toBe(Math.round(Number(bill!.aws) * 100));

    // On-prem: 2 DGX × 8 GPUs × 720 h at (325,000 / (4 × 8760) + 10.2 kW × 1.4 × $0.12 + $2.50) / 8 = $1.686089…
    const onprem = byCluster.rows.find((r) => r.cluster === "onprem-dc1-h100")!;
    expect(onprem.gpuHours).toBe(16 * 720);
    // exactly GPU-hours × the one amortized rate every on-prem hour carries
    const [op] = await prisma.$queryRaw<Array<{ rates: bigint; cost: string }>>`
      SELECT COUNT(DISTINCT h.rate) AS rates, (MIN(h.rate) * ${16 * 720})::text AS cost
      FROM gpu_hourly h JOIN gpus g ON g.id = h.gpu_id JOIN clusters c ON c.id = g.cluster_id
      WHERE h.org_id = ${orgId} AND c.name = 'onprem-dc1-h100' AND h.hour >= ${query.from} AND h.hour < ${query.to}`;
    expect(Number(op!.rates)).toBe(1);
    expect(dec(onprem.cost)).toBe(dec(op!.cost));
    const rate = (325_000 / (4 * 8760) + 10.2 * 1.4 * 0.12 + 2.5) / 8;
    expect(Math.round(Number(onprem.cost) * 100)).toBe(Math.round(16 * 720 * Math.round(rate * 1e8) / 1e8 * 100));
    // the clusters add up to the whole
    expect(byCluster.rows.reduce((s, r) => s + dec(r.cost), 0n)).toBe(dec(byCluster.totals.cost));
  });

  it("every report answers for the demo window with consistent totals", async () => {
    const idle = await runReport(prisma, { orgId, kind: "idle", query: { ...query, groupBy: ["team"] } });
    const gpu = await runReport(prisma, { orgId, kind: "gpu-hours", query: { ...query, groupBy: ["team"] } });
    expect(idle.totals.idleCost).toBe(gpu.totals.idleCost);
    expect(idle.rows.reduce((s, r) => s + dec(r.idleCost), 0n)).toBe(dec(idle.totals.idleCost));
    // the never-scheduled nodes are idle and attributed to their instance's team tag, not hidden
    expect(idle.rows.map((r) => r.team)).toContain("llm-research");
    const services = await runReport(prisma, { orgId, kind: "inference", query });
    expect(services.rows.map((r) => r.service).sort()).toEqual(["bert-rerank", "llama3-8b-chat", "mistral-7b-api", "resnet50-classify"]);
    for (const r of services.rows.filter((x) => x.tokens > 0)) {
      expect(Number(r.costPer1mTokens)).toBeCloseTo((Number(r.cost) / r.tokens) * 1e6, 4);
      expect(r.p95LatencyMs).toBeGreaterThan(r.p50LatencyMs!);
    }
  });
});
