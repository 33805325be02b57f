// Bad input gets a clear error naming file, line and column, the run is marked failed, and nothing that
// was there before changes. Also what real exports contain and must be accepted: a BOM, CRLF, quoted
// fields with commas and line breaks.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { closePgPool } from "@/lib/db/pg";
import { createOrg } from "@/lib/orgs/create-org";
import { createIngestionRun } from "@/lib/ingest/runs";
import { ingestBills, type IngestBillsOptions } from "@/lib/ingest/ingest-bills";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
let dir: string;
let orgId: string;

const HEADER = "BillingAccountId,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ProviderName,ServiceName,ChargeDescription,BilledCost,EffectiveCost,ListCost,Tags";
const row = (cost: string, { currency = "USD", start = "2024-09-03 10:00:00", desc = "compute", tags = "" } = {}) =>
  `acct-1,${currency},2024-09-01 00:00:00,2024-10-01 00:00:00,${start},2024-09-03 11:00:00,Usage,AWS,EC2,${desc},${cost},${cost},${cost},${tags}`;
const csv = (...rows: string[]) => [HEADER, ...rows].join("\n") + "\n";

async function file(name: string, content: string | Buffer) {
  const p = path.join(dir, name);
  await writeFile(p, content);
  return p;
}

async function ingest(name: string, content: string | Buffer, extra: Partial<IngestBillsOptions> = {}) {
  const p = await file(name, content);
  const run = await createIngestionRun(prisma, { orgId, source: "CLI", fileName: name, sourceUri: p });
  try {
    const summary = await ingestBills({ prisma, orgId, runId: run.id, files: [{ path: p, name }], ...extra });
    return { run: await prisma.ingestionRun.findUniqueOrThrow({ where: { id: run.id } }), summary, error: null };
  } catch (error) {
    return { run: await prisma.ingestionRun.findUniqueOrThrow({ where: { id: run.id } }), summary: null, error: error as Error };
  }
}

async function totals() {
  const [t] = await prisma.$queryRaw<Array<{ n: bigint; billed: string | null }>>`
    SELECT count(*) AS n, trim_scale(sum(billed_cost))::text AS billed FROM bill_line_items WHERE org_id = ${orgId}`;
  return { rows: Number(t!.n), billed: t!.billed };
}

async function expectRejected(name: string, content: string | Buffer, message: string | RegExp, extra: Partial<IngestBillsOptions> = {}) {
  const before = await totals();
  const r = await ingest(name, content, extra);
  expect(r.error, "ingestion should fail").not.toBeNull();
  if (typeof message === "string") expect(r.error!.message).toBe(message);
  else expect(r.error!.message).toMatch(message);
  expect(r.run.status).toBe("FAILED");
  expect(r.run.error).toBe(r.error!.message);
  expect(await totals()).toEqual(before);
  return r;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "ingest-bad-"));
  orgId = (await createOrg(prisma, { slug: `bad-${Date.now().toString(36)}`, name: "Bad input" })).id;
  const ok = await ingest("good.csv", csv(row("1.25"), row("2.50")));
  expect(ok.error).toBeNull();
  expect(await totals()).toEqual({ rows: 2, billed: "3.75" });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await prisma.$disconnect();
  await closePgPool();
});

describe("bad input is rejected with file, line and column, and earlier data stays", () => {
  it("unknown format", async () => {
    const r = await expectRejected("inventory.csv", "sku,qty,price\nA,1,2\n", /^inventory\.csv, line 1: the header matches no known bill format .* it starts with "sku", "qty", "price"/);
    expect(r.run.errorDetail).toMatchObject({ code: "unknown_format", file: "inventory.csv", line: 1 });
  });

  it("missing required columns", async () => {
    const header = HEADER.replace("BillingAccountId,", "").replace(",ChargeCategory", "");
    await expectRejected(
      "no-account.csv",
      `${header}\nUSD,2024-09-01,2024-10-01,2024-09-03,2024-09-04,AWS,EC2,x,1,1,1,\n`,
      "no-account.csv, line 1: the header lacks required FOCUS columns: BillingAccountId, ChargeCategory",
    );
  });

  it("a non-numeric cost", async () => {
    const r = await expectRejected("bad-cost.csv", csv(row("1.00"), row("1.00"), row("12,5x".replace(",", ";"))), 'bad-cost.csv, line 4, column BilledCost: "12;5x" is not a decimal number');
    expect(r.run.errorDetail).toMatchObject({ code: "invalid_value", line: 4, column: "BilledCost" });
  });

  it("an unparseable date", async () => {
    await expectRejected(
      "bad-date.csv",
      csv(row("1.00"), row("1.00", { start: "2024-02-30 10:00:00" })),
      'bad-date.csv, line 3, column ChargePeriodStart: "2024-02-30 10:00:00" is not a date-time (expected ISO 8601 such as 2024-09-01T00:00:00Z)',
    );
    await expectRejected("bad-date2.csv", csv(row("1.00", { start: "yesterday" })), /^bad-date2\.csv, line 2, column ChargePeriodStart: "yesterday" is not a date-time/);
  });

  it("more than one currency without a rate; with a rate it converts exactly", async () => {
    await expectRejected(
      "two-currencies.csv",
      csv(row("1.00"), row("2.00", { currency: "EUR" })),
      "two-currencies.csv, line 3, column BillingCurrency: found EUR after USD (line 2 of two-currencies.csv); a bill in more than one currency needs a conversion rate for each other currency (--rate EUR=<rate in USD>)",
    );
    const r = await ingest("two-currencies-rated.csv", csv(row("1.00"), row("2.00", { currency: "EUR" })), { rates: { EUR: "1.0825" }, targetCurrency: "USD" });
    expect(r.error).toBeNull();
    expect(r.summary).toMatchObject({ rows: 2, currency: "USD", billedCost: "3.165" });
    const converted = await prisma.billLineItem.findFirstOrThrow({ where: { orgId, extra: { path: ["x_OriginalBillingCurrency"], equals: "EUR" } } });
    expect(converted.billedCost.toString()).toBe("2.165");
    expect(converted.extra).toMatchObject({ x_ExchangeRate: "1.0825", x_OriginalBilledCost: "2.00" });
    // Put the baseline back for the other cases.
    expect((await ingest("good.csv", csv(row("1.25"), row("2.50")))).error).toBeNull();
  });

  it("a truncated gzip", async () => {
    const gz = gzipSync(Buffer.from(csv(...Array.from({ length: 2000 }, (_, i) => row(`${i}.01`)))));
    const r = await expectRejected("cut.csv.gz", gz.subarray(0, Math.floor(gz.length * 0.6)), /^cut\.csv\.gz, line \d+: the gzip stream is truncated \(unexpected end of file\)/);
    expect(r.run.errorDetail).toMatchObject({ code: "corrupt_file" });
  });

  it("an empty file, and one with only a header", async () => {
    await expectRejected("empty.csv", "", "empty.csv: the file is empty");
    await expectRejected("empty.csv.gz", gzipSync(Buffer.alloc(0)), "empty.csv.gz: the file is empty (no data after decompression)");
    await expectRejected("header-only.csv", HEADER + "\r\n", "header-only.csv: the file has a header but no bill rows");
  });

  it("a file over the size limit", async () => {
    await expectRejected("big.csv", csv(row("1.00"), row("2.00")), /^big\.csv: the file is \d+ bytes, over the limit of 100 bytes$/, { maxBytes: 100 });
  });

  it("a row with the wrong number of fields, and an unclosed quote", async () => {
    await expectRejected("short.csv", csv(row("1.00"), "acct-1,USD"), "short.csv, line 3: expected 14 fields as in the header, found 2");
    await expectRejected("quote.csv", csv(row("1.00"), row("1.00", { desc: '"never closed' })), 'quote.csv, line 3, column ChargeDescription: malformed CSV: a quoted field is never closed (missing ")');
  });
});

describe("what real exports contain is accepted", () => {
  it("a BOM, CRLF line ends, quoted fields with commas, quotes and line breaks; later lines keep their numbers", async () => {
    const rows = [
      row("1.10", { desc: '"On-demand, Linux ""p5"" instance"' }),
      row("2.20", { desc: '"line one\r\nline two\r\nline three"', tags: '"{""team"": ""ml, infra""}"' }),
      row("3.30"),
      row("bad"),
    ];
    const content = "\ufeff" + [HEADER, ...rows].join("\r\n") + "\r\n";
    // The 4th row starts on line 7: the quoted description above it spans three lines.
    await expectRejected("crlf.csv", content, 'crlf.csv, line 7, column BilledCost: "bad" is not a decimal number');
    const r = await ingest("crlf.csv", "\ufeff" + [HEADER, ...rows.slice(0, 3)].join("\r\n"));
    expect(r.error).toBeNull();
    expect(r.summary).toMatchObject({ rows: 3, billedCost: "6.6" });
    const lines = await prisma.billLineItem.findMany({ where: { orgId }, orderBy: { billedCost: "asc" } });
    expect(lines.map((l) => l.chargeDescription)).toEqual(['On-demand, Linux "p5" instance', "line one\r\nline two\r\nline three", "compute"]);
    expect(lines[1]!.tags).toEqual({ team: "ml, infra" });
    expect(lines[0]!.billingAccountId).toBe("acct-1");
  });
});
