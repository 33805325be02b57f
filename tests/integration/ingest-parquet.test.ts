// AWS delivers CUR (2.0 and legacy) as Parquet too: the same hand-written CUR 2.0 bill as
// tests/fixtures/bills/aws-cur-2.0.csv, written as Parquet (costs as DOUBLE, dates as TIMESTAMP, several
// row groups), gives the same totals.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parquetWriteFile } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvParser } from "@/lib/connectors/shared/csv-parser";
import { createPrisma } from "@/lib/db/client";
import { closePgPool } from "@/lib/db/pg";
import { createOrg } from "@/lib/orgs/create-org";
import { createIngestionRun } from "@/lib/ingest/runs";
import { ingestBills } from "@/lib/ingest/ingest-bills";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
let dir: string;
let orgId: string;

const DOUBLE = /cost$|_amount$|_rate$|commitment_to_date$|used_commitment$|unused_recurring_fee$|billing_period$/;
const TIMESTAMP = /_date$/;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "ingest-parquet-"));
  orgId = (await createOrg(prisma, { slug: `parquet-${Date.now().toString(36)}`, name: "Parquet" })).id;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await prisma.$disconnect();
  await closePgPool();
});

describe("AWS CUR 2.0 as Parquet", () => {
  it("reads row group by row group and gives the CSV's totals", async () => {
    const text = await readFile(path.resolve(__dirname, "../fixtures/bills/aws-cur-2.0.csv"), "utf8");
    const [header, ...records] = new CsvParser().push(text, true).map((r) => r.fields);
    const columnData = header!.map((name, i) => {
      const values = records.map((r) => (r[i] === "" ? null : r[i]!));
      if (DOUBLE.test(name)) return { name, type: "DOUBLE" as const, data: values.map((v) => (v === null ? null : Number(v))) };
      if (TIMESTAMP.test(name)) return { name, type: "TIMESTAMP" as const, data: values.map((v) => (v === null ? null : new Date(v))) };
      return { name, type: "STRING" as const, data: values };
    });
    const file = path.join(dir, "cur-00001.snappy.parquet");
    parquetWriteFile({ filename: file, columnData, rowGroupSize: 4 });

    const run = await createIngestionRun(prisma, { orgId, source: "CLI", fileName: "cur-00001.snappy.parquet", sourceUri: file });
    const s = await ingestBills({ prisma, orgId, runId: run.id, files: [{ path: file, name: "cur-00001.snappy.parquet" }] });
    expect(s).toMatchObject({ format: "aws-cur-2.0", rows: 10, billedCost: "603.3761", effectiveCost: "147.3973", listCost: "142.61424", gpuRows: 6 });
    const p5 = await prisma.billLineItem.findFirstOrThrow({ where: { orgId, instanceType: "p5.48xlarge" } });
    expect(p5.chargePeriodStart.toISOString()).toBe("2024-09-10T10:00:00.000Z");
    expect(p5.tags).toEqual({ team: "llm", env: "prod" });
  });
});
