// One hand-written file per source format (tests/fixtures/bills, column layouts from each provider's
// documentation), with totals computed by hand from the rules in docs/ingestion.md (see the README
// there for the arithmetic).
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { closePgPool } from "@/lib/db/pg";
import { createOrg } from "@/lib/orgs/create-org";
import { createIngestionRun } from "@/lib/ingest/runs";
import { ingestBills } from "@/lib/ingest/ingest-bills";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const FIXTURES = path.resolve(__dirname, "../fixtures/bills");
let orgId: string;

async function ingest(name: string) {
  const p = path.join(FIXTURES, name);
  const run = await createIngestionRun(prisma, { orgId, source: "CLI", fileName: name, sourceUri: p });
  return ingestBills({ prisma, orgId, runId: run.id, files: [{ path: p, name }] });
}

async function lines(billingAccountId: string) {
  return prisma.billLineItem.findMany({ where: { orgId, billingAccountId }, orderBy: { id: "asc" } });
}

beforeAll(async () => {
  orgId = (await createOrg(prisma, { slug: `formats-${Date.now().toString(36)}`, name: "Formats" })).id;
});

afterAll(async () => {
  await prisma.$disconnect();
  await closePgPool();
});

describe("AWS CUR 2.0 (CSV)", () => {
  it("maps line item types to FOCUS costs and categories", async () => {
    const s = await ingest("aws-cur-2.0.csv");
    expect(s).toMatchObject({
      format: "aws-cur-2.0",
      rows: 10,
      billedCost: "603.3761",
      effectiveCost: "147.3973",
      listCost: "142.61424",
      currency: "USD",
      gpuRows: 6,
    });
    expect(s.billingPeriods).toEqual([
      expect.objectContaining({ billingAccountId: "111122223333", billingPeriodStart: "2024-09-01T00:00:00.000Z", billingPeriodEnd: "2024-10-01T00:00:00.000Z", rows: 10 }),
    ]);
    const l = await lines("111122223333");
    const by = (id: string) => l.find((x) => (x.extra as Record<string, string>).identity_line_item_id === id)!;
    expect(by("l1")).toMatchObject({ chargeCategory: "Usage", pricingCategory: "Standard", instanceType: "p5.48xlarge", gpuModel: "H100", tags: { team: "llm", env: "prod" }, serviceName: "Amazon Elastic Compute Cloud", serviceCategory: "Compute", providerName: "AWS", subAccountId: "444455556666", subAccountName: "ml-prod" });
    expect(by("l2")).toMatchObject({ pricingCategory: "Committed", commitmentDiscountType: "Savings Plan", commitmentDiscountStatus: "Used", gpuModel: "A100-40GB" });
    expect(by("l2").effectiveCost.toString()).toBe("21.30219");
    expect(by("l3").effectiveCost.toString()).toBe("0");
    expect(by("l4")).toMatchObject({ chargeCategory: "Purchase", chargeFrequency: "Recurring" });
    expect(by("l4").effectiveCost.toString()).toBe("2.69781");
    expect(by("l5").effectiveCost.toString()).toBe("0.6412");
    expect(by("l6").effectiveCost.toString()).toBe("12.5");
    expect(by("l7")).toMatchObject({ pricingCategory: "Dynamic", instanceType: "g6e.12xlarge", gpuModel: "L40S" });
    expect(Number(by("l7").gpuCount)).toBe(4);
    expect(by("l9").chargeCategory).toBe("Tax");
    expect(by("l10").chargeCategory).toBe("Credit");
  });
});

describe("AWS legacy CUR (CSV with lineItem/… headers)", () => {
  it("reads slash-style headers, resourceTags columns and RI fees", async () => {
    const s = await ingest("aws-cur-legacy.csv");
    expect(s).toMatchObject({ format: "aws-cur-legacy", rows: 6, billedCost: "150032.5272", effectiveCost: "63.9914", listCost: "141.5908", gpuRows: 3 });
    const l = await lines("999988887777");
    expect(l[0]).toMatchObject({ instanceType: "p4de.24xlarge", gpuModel: "A100-80GB", tags: { Team: "vision", CostCenter: "cc-42" }, regionId: "us-west-2" });
    expect(l[1]).toMatchObject({ pricingCategory: "Committed", commitmentDiscountType: "Reservation", gpuModel: "H100" });
    expect(l[2]).toMatchObject({ chargeCategory: "Purchase", chargeFrequency: "One-Time" });
    expect(l[2]!.effectiveCost.toString()).toBe("0");
    expect(l[3]).toMatchObject({ pricingCategory: "Dynamic", gpuModel: "L4" });
    expect(l[4]!.chargeCategory).toBe("Credit");
    expect(l[5]).toMatchObject({ serviceCategory: "Networking", gpuModel: null });
  });
});

describe("GCP billing export", () => {
  it("newline-delimited JSON: credits into the cost, machine types and GPU SKUs, exact numbers", async () => {
    const s = await ingest("gcp-billing.jsonl");
    expect(s).toMatchObject({
      format: "gcp-billing",
      rows: 7,
      billedCost: "99.329856789012345678",
      effectiveCost: "99.329856789012345678",
      listCost: "107.143456789012345678",
      gpuRows: 3,
    });
    const l = await lines("01ABCD-23EFGH-45IJKL");
    expect(l[0]).toMatchObject({ instanceType: "a3-highgpu-8g", gpuModel: "H100", serviceName: "Compute Engine", subAccountId: "acme-ml-prod", tags: { team: "inference" }, regionId: "us-central1" });
    expect(l[1]).toMatchObject({ instanceType: "a3-highgpu-8g", gpuModel: "H100", chargeDescription: "A3 Instance Core running in Americas" });
    expect(l[2]!.billedCost.toString()).toBe("7.5");
    expect(l[2]!.extra).toMatchObject({ x_Cost: "10.0", x_Credits: "-2.5" });
    expect(l[3]).toMatchObject({ pricingCategory: "Committed", commitmentDiscountId: "cud-l4-1", gpuModel: "L4", instanceType: null });
    expect(Number(l[3]!.gpuCount)).toBe(1);
    expect(l[4]!.billedCost.toString()).toBe("0.123456789012345678");
    expect(l[5]).toMatchObject({ chargeCategory: "Tax" });
    expect(l[6]!.effectiveCost.toString()).toBe("0");
  });

  it("CSV flattened with underscores and BigQuery's timestamp format", async () => {
    const s = await ingest("gcp-billing.csv");
    expect(s).toMatchObject({ format: "gcp-billing", rows: 3, billedCost: "8.4634", effectiveCost: "8.4634", listCost: "8.4635", gpuRows: 2 });
    expect(s.billingPeriods.map((p) => p.billingPeriodStart)).toEqual(["2024-10-01T00:00:00.000Z"]);
    const l = await prisma.billLineItem.findMany({ where: { orgId, ingestionRunId: s.runId }, orderBy: { id: "asc" } });
    expect(l[0]).toMatchObject({ gpuModel: "A100-80GB", pricingCategory: "Standard" });
    expect(Number(l[0]!.gpuCount)).toBe(2);
    expect(l[0]!.chargePeriodStart.toISOString()).toBe("2024-10-05T10:00:00.000Z");
    expect(l[1]).toMatchObject({ gpuModel: "L4", pricingCategory: "Dynamic", tags: { team: "vision" } });
  });
});

describe("Azure cost export (CSV)", () => {
  it("maps ChargeType and PricingModel, amortizes commitments, reads brace-less tags and VM sizes", async () => {
    const s = await ingest("azure-cost.csv");
    expect(s).toMatchObject({ format: "azure-cost", rows: 7, billedCost: "3905.566", effectiveCost: "2405.566", listCost: "3977.421", currency: "EUR", gpuRows: 4 });
    expect(s.billingPeriods).toEqual([
      expect.objectContaining({ billingAccountId: "8611537", billingPeriodStart: "2024-09-01T00:00:00.000Z", billingPeriodEnd: "2024-10-01T00:00:00.000Z" }),
    ]);
    const l = await lines("8611537");
    expect(l[0]).toMatchObject({ instanceType: "Standard_ND96isr_H100_v5", gpuModel: "H100", tags: { team: "llm", env: "prod" }, regionId: "eastus", resourceName: "nd-h100-1", resourceType: "microsoft.compute/virtualmachines", pricingCategory: "Standard" });
    expect(l[0]!.chargePeriodStart.toISOString()).toBe("2024-09-15T00:00:00.000Z");
    expect(l[0]!.chargePeriodEnd.toISOString()).toBe("2024-09-16T00:00:00.000Z");
    expect(l[1]).toMatchObject({ instanceType: "Standard_NC24ads_A100_v4", gpuModel: "A100-80GB", pricingCategory: "Committed", commitmentDiscountType: "Reservation", commitmentDiscountStatus: "Used" });
    expect(l[2]).toMatchObject({ pricingCategory: "Dynamic", gpuModel: "A100-80GB" });
    expect(l[3]).toMatchObject({ chargeCategory: "Purchase" });
    expect(l[3]!.effectiveCost.toString()).toBe("0");
    expect(l[5]).toMatchObject({ commitmentDiscountStatus: "Unused", chargeCategory: "Usage" });
    expect(l[6]).toMatchObject({ chargeCategory: "Credit" });
  });
});

describe("FOCUS 1.1 and 1.2", () => {
  it("1.2: ServiceProviderName for the provider, InvoiceId, x_UsageType for the GPU", async () => {
    const s = await ingest("focus-1.2.csv");
    expect(s).toMatchObject({ format: "focus-1.2", rows: 2, billedCost: "56.54", effectiveCost: "31.772", listCost: "56.54", gpuRows: 1 });
    const l = await lines("acct-12");
    expect(l[0]).toMatchObject({ providerName: "AWS", invoiceId: "INV-2024-11-0001", instanceType: "p5.48xlarge", gpuModel: "H100", pricingCategory: "Committed" });
    expect(l[0]!.extra).toMatchObject({ HostProviderName: "AWS", PricingCurrency: "USD", x_UsageType: "USE1-BoxUsage:p5.48xlarge" });
    expect(l[1]).toMatchObject({ chargeCategory: "Usage", pricingCategory: "Standard", gpuModel: null });
  });

  it("1.1: SkuMeter names the Azure VM size", async () => {
    const s = await ingest("focus-1.1.csv");
    expect(s).toMatchObject({ format: "focus-1.1", rows: 2, billedCost: "98.57", effectiveCost: "98.52", gpuRows: 1 });
    const l = await lines("/providers/Microsoft.Billing/billingAccounts/11");
    expect(l[0]).toMatchObject({ instanceType: "Standard_ND96isr_H100_v5", gpuModel: "H100" });
  });
});
