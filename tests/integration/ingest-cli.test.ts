// `burnrate ingest bill` and `burnrate bills totals` as operators and scripts run them: a real process,
// --json output with decimal strings, non-zero exit and the error on stderr when a file is bad.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { QUEUES } from "@/lib/queue/contracts";
import { runCli } from "../support/cli";

const root = path.resolve(__dirname, "../..");
const SAMPLE = path.resolve(root, "tests/fixtures/focus/focus-1.0-sample.csv");
const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const slug = `cli-ingest-${Date.now().toString(36)}`;
let dir: string;

const cli = (args: string[]) => runCli(args, { LOG_LEVEL: "error" });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "ingest-cli-"));
  await createOrg(prisma, { slug, name: "CLI ingest" });
});

afterAll(async () => {
  await new Queue(QUEUES.rollups, { connection: { url: process.env.REDIS_URL! }, prefix: process.env.QUEUE_PREFIX! }).obliterate({ force: true }).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
  await prisma.$disconnect();
});

describe("burnrate ingest bill / bills totals", () => {
  it("ingests the FOCUS sample and prints the totals as decimal strings", async () => {
    const r = await cli(["ingest", "bill", SAMPLE, "--org", slug, "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      rows: 1000,
      billedCost: "20.52022672899",
      effectiveCost: "14.97651418586",
      listCost: "20.39090575119",
      currency: "USD",
      // The sample's eight g5.4xlarge instance-hours (1 × A10G each), recognized from the description.
      gpuRows: 8,
      format: "focus-1.0",
    });
    expect(out.billingPeriods).toHaveLength(4);
    expect(out.rollupJobs.length).toBeGreaterThan(0);
  });

  it("a second ingestion leaves the same totals; bills totals reports them per account and period", async () => {
    expect((await cli(["ingest", "bill", SAMPLE, "--org", slug, "--json", "--no-refresh"])).code).toBe(0);
    const r = await cli(["bills", "totals", "--org", slug, "--json"]);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t).toMatchObject({ rows: 1000, currency: "USD", billedCost: "20.52022672899", effectiveCost: "14.97651418586", listCost: "20.39090575119" });
    expect(t.byBillingPeriod.find((p: { billingAccountId: string }) => p.billingAccountId === "1234567890123")).toMatchObject({ rows: 942, billingPeriodStart: "2024-09-01T00:00:00.000Z" });
    const window = JSON.parse((await cli(["bills", "totals", "--org", slug, "--from", "2024-10-01", "--to", "2024-11-01", "--json"])).stdout);
    expect(window).toMatchObject({ rows: 1, billedCost: "0.24" });
  });

  it("fails with a non-zero exit and the error on stderr, leaving the data as it was", async () => {
    const bad = path.join(dir, "bad.csv");
    await writeFile(bad, "BillingAccountId,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ProviderName,BilledCost,EffectiveCost\n1234567890123,USD,2024-09-01,2024-10-01,2024-09-02,2024-09-03,Usage,AWS,abc,1\n");
    const r = await cli(["ingest", "bill", bad, "--org", slug]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bad.csv, line 2, column BilledCost: "abc" is not a decimal number');
    const t = JSON.parse((await cli(["bills", "totals", "--org", slug, "--json"])).stdout);
    expect(t).toMatchObject({ rows: 1000, billedCost: "20.52022672899" });
    const usage = await cli(["ingest", "bill", bad, "--org", slug, "--format", "csv"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--format must be one of focus-1.0");
  });
});
