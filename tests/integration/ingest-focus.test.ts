// The FinOps Foundation's FOCUS 1.0 sample through the real pipeline: exact decimal totals, the quirks
// of a real export, and idempotency (the same file twice leaves the same totals).
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { closePgPool } from "@/lib/db/pg";
import { createOrg } from "@/lib/orgs/create-org";
import { createIngestionRun } from "@/lib/ingest/runs";
import { ingestBills } from "@/lib/ingest/ingest-bills";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const SAMPLE = path.resolve(__dirname, "../fixtures/focus/focus-1.0-sample.csv");
let orgId: string;

async function ingest(file = SAMPLE, name = "focus-1.0-sample.csv") {
  const run = await createIngestionRun(prisma, { orgId, source: "CLI", fileName: name, sourceUri: file });
  return ingestBills({ prisma, orgId, runId: run.id, files: [{ path: file, name }] });
}

beforeAll(async () => {
  orgId = (await createOrg(prisma, { slug: `focus-${Date.now().toString(36)}`, name: "FOCUS sample" })).id;
});

afterAll(async () => {
  await prisma.$disconnect();
  await closePgPool();
});

describe("FOCUS 1.0 sample", () => {
  it("loads 1000 rows with exact decimal totals and the providers' row counts", async () => {
    const s = await ingest();
    expect(s.format).toBe("focus-1.0");
    expect(s.rows).toBe(1000);
    expect(s.billedCost).toBe("20.52022672899");
    expect(s.effectiveCost).toBe("14.97651418586");
    expect(s.currency).toBe("USD");
    const byProvider = await prisma.$queryRaw<Array<{ provider_name: string; n: bigint }>>`
      SELECT provider_name, count(*) AS n FROM bill_line_items WHERE org_id = ${orgId} GROUP BY 1 ORDER BY 1`;
    expect(byProvider.map((r) => [r.provider_name, Number(r.n)])).toEqual([
      ["AWS", 942],
      ["Microsoft", 51],
      ["Oracle", 7],
    ]);
    const [db] = await prisma.$queryRaw<Array<{ billed: string; effective: string }>>`
      SELECT trim_scale(sum(billed_cost))::text AS billed, trim_scale(sum(effective_cost))::text AS effective
      FROM bill_line_items WHERE org_id = ${orgId}`;
    expect(db).toEqual({ billed: "20.52022672899", effective: "14.97651418586" });
    // One Oracle row belongs to the October period: four (account, period) slices.
    expect(s.billingPeriods.map((p) => [p.billingAccountId, p.billingPeriodStart.slice(0, 7), p.rows])).toEqual([
      ["/providers/Microsoft.Billing/billingAccounts/8611537", "2024-09", 51],
      ["1234567890123", "2024-09", 942],
      ["20209880", "2024-09", 6],
      ["20209880", "2024-10", 1],
    ]);
    // GPU recognition finds the sample's eight g5.4xlarge hours ("$1.624 per On Demand Linux g5.4xlarge Instance Hour").
    expect(s.gpuRows).toBe(8);
    const gpu = await prisma.billLineItem.findMany({ where: { orgId, gpuModel: { not: null } }, select: { instanceType: true, gpuModel: true, gpuCount: true } });
    expect(new Set(gpu.map((g) => `${g.instanceType} ${g.gpuModel} ${Number(g.gpuCount)}`))).toEqual(new Set(["g5.4xlarge A10G 1"]));
    const run = await prisma.ingestionRun.findUniqueOrThrow({ where: { id: s.runId } });
    expect(run).toMatchObject({ status: "SUCCEEDED", rowsTotal: 1000, rowsLoaded: 1000, progress: 1, currency: "USD", kind: "focus-1.0" });
    expect(run.billedCost?.toString()).toBe("20.52022672899");
  });

  it("survives the export's quirks: NULL literals, Usage-based, zone-less timestamps, Id in extra, JSON tags", async () => {
    const freq = await prisma.$queryRaw<Array<{ charge_frequency: string; n: bigint }>>`
      SELECT charge_frequency, count(*) AS n FROM bill_line_items WHERE org_id = ${orgId} GROUP BY 1 ORDER BY 1`;
    expect(freq.map((r) => [r.charge_frequency, Number(r.n)])).toEqual([
      ["One-Time", 1],
      ["Usage-Based", 999],
    ]);
    const nulls = await prisma.$queryRaw<Array<{ charge_class: bigint; pricing_category: bigint; resource_name: bigint }>>`
      SELECT count(charge_class) AS charge_class, count(*) FILTER (WHERE pricing_category IS NULL) AS pricing_category,
             count(resource_name) AS resource_name
      FROM bill_line_items WHERE org_id = ${orgId}`;
    // ChargeClass is NULL on every row; PricingCategory is empty on the 7 Oracle rows; ResourceName NULL or empty on all AWS/Oracle rows.
    expect(nulls.map((r) => [Number(r.charge_class), Number(r.pricing_category), Number(r.resource_name)])).toEqual([[0, 7, 51]]);
    const row = await prisma.billLineItem.findFirstOrThrow({ where: { orgId, extra: { path: ["Id"], equals: "11472" } } });
    expect(row.chargePeriodStart.toISOString()).toBe("2024-09-18T22:00:00.000Z");
    expect(row.billingPeriodStart.toISOString()).toBe("2024-09-01T00:00:00.000Z");
    expect(row.billedCost.toString()).toBe("8e-7");
    expect(row.tags).toEqual({});
    expect(row.extra).toMatchObject({ Id: "11472", RegionName: "US West (Oregon)", ListUnitPrice: "0.0000004" });
    const tagged = await prisma.billLineItem.count({ where: { orgId, tags: { path: ["environment"], equals: "dev" } } });
    expect(tagged).toBeGreaterThan(0);
    const negative = await prisma.billLineItem.count({ where: { orgId, billedCost: { lt: 0 } } });
    expect(negative).toBeGreaterThan(0);
  });

  it("is idempotent: ingesting the same file again replaces its slices and leaves the same totals", async () => {
    const again = await ingest();
    expect(again.rowsReplaced).toBe(1000);
    expect(again.billedCost).toBe("20.52022672899");
    const [db] = await prisma.$queryRaw<Array<{ n: bigint; billed: string; effective: string; runs: bigint }>>`
      SELECT count(*) AS n, trim_scale(sum(billed_cost))::text AS billed, trim_scale(sum(effective_cost))::text AS effective,
             count(DISTINCT ingestion_run_id) AS runs
      FROM bill_line_items WHERE org_id = ${orgId}`;
    expect({ ...db, n: Number(db!.n), runs: Number(db!.runs) }).toEqual({ n: 1000, billed: "20.52022672899", effective: "14.97651418586", runs: 1 });
  });
});
