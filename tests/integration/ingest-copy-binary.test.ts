// The binary COPY encoding of bill rows against Postgres' own reading of the same values as text: every
// decimal form parseDecimal accepts (signs, leading/trailing points, exponents, long scales, zeros),
// timestamps across eras and zones, JSON, non-ASCII and long text, and NULLs must come out of
// bill_line_items exactly as `value::numeric` / `::timestamptz` / `::jsonb` / text give them.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyRow, type BillRow, ROW_COLUMNS } from "@/lib/connectors/shared/bill-row";
import { CopyBinaryEncoder } from "@/lib/connectors/shared/copy-binary";
import { parseDecimal } from "@/lib/connectors/shared/decimal";
import { createPrisma } from "@/lib/db/client";
import { closePgPool } from "@/lib/db/pg";
import { ingestBills } from "@/lib/ingest/ingest-bills";
import { createIngestionRun } from "@/lib/ingest/runs";
import { createOrg } from "@/lib/orgs/create-org";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
let orgId: string;

const DECIMALS = [
  "0", "-0", "+0", "0.0", "00", "1", "-1", "+3", "12", "123", "1234", "12345", "123456789", "9999", "10000", "10001",
  "0.5", ".5", "5.", "-.5", "0.0005", "0.00050", "1.50", "-1.50", "63.5796788443", "34.9688233644", "0.000000001",
  "123456789012345678901234567890.123456789012345678901234567890", "-0.00000000000000000001", "99999999.9999",
  "1E3", "1e3", "1.2E-7", "-1.2e-7", "5E7", "1.5E2", "1.5e+2", "12.345E1", "12.345E-1", "0.001e3", "7e0", "1e-20", "3E-1000",
  "1000000", "100000000", "0.0001", "0.00010000", "2.5000000000000000",
];
const TIMESTAMPS = [
  "2024-09-01T00:00:00.000Z", "2024-10-01T00:00:00.000Z", "1999-12-31T23:59:59.999Z", "2000-01-01T00:00:00.000Z",
  "1970-01-01T00:00:00.000Z", "1900-02-28T12:34:56.789Z", "0100-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z",
];

function rowWith(i: number): BillRow {
  const r = emptyRow("focus-1.0");
  const d = DECIMALS[i % DECIMALS.length]!;
  r.providerName = i % 3 === 0 ? "AWS" : "Ünïcødé, \"quoted\"\nline — 東京 🚀";
  r.billingAccountId = `acct-${i}`;
  r.billingCurrency = "USD";
  r.billingPeriodStart = TIMESTAMPS[i % TIMESTAMPS.length]!;
  r.billingPeriodEnd = TIMESTAMPS[(i + 1) % TIMESTAMPS.length]!;
  r.chargePeriodStart = TIMESTAMPS[(i + 2) % TIMESTAMPS.length]!;
  r.chargePeriodEnd = TIMESTAMPS[(i + 3) % TIMESTAMPS.length]!;
  r.chargeCategory = "Usage";
  r.chargeDescription = i % 2 ? "x".repeat(70 + i) : "";
  r.billedCost = d;
  r.effectiveCost = DECIMALS[(i + 7) % DECIMALS.length]!;
  r.listCost = i % 4 === 0 ? null : DECIMALS[(i + 13) % DECIMALS.length]!;
  r.contractedCost = i % 5 === 0 ? null : d;
  r.pricingQuantity = DECIMALS[(i + 21) % DECIMALS.length]!;
  r.resourceName = i % 2 ? "a".repeat(100_000) : null;
  r.gpuModel = i % 2 ? "H100" : null;
  r.gpuCount = i % 2 ? ["8", "0.5", "1.25", "0.12345"][i % 4]! : null;
  r.tags = i % 2 ? `{"team": "llm-research", "ünï": "東京", "n": ${i}}` : "{}";
  r.extra = i % 3 ? `{"x_Note": "a\\"b", "x_Number": 1.50}` : "{}";
  return r;
}

beforeAll(async () => {
  orgId = (await createOrg(prisma, { slug: `copybin-${Date.now().toString(36)}`, name: "Binary COPY" })).id;
  await client.connect();
});

afterAll(async () => {
  await client.end();
  await prisma.$disconnect();
  await closePgPool();
});

describe("binary COPY of bill rows", () => {
  it("every decimal in the list is one parseDecimal accepts", () => {
    for (const d of DECIMALS) expect(parseDecimal(d), d).toBe(d);
  });

  it("stores exactly what Postgres reads from the same values as text", async () => {
    const rows = Array.from({ length: DECIMALS.length * 3 }, (_, i) => rowWith(i));
    // Small chunks: rows straddle buffers, and long values need bigger ones.
    const enc = new CopyBinaryEncoder(orgId, "run-binary", 1024);
    const stream = client.query(copyFrom(`COPY bill_line_items (org_id, ingestion_run_id, ${ROW_COLUMNS.map((c) => c.column).join(", ")}) FROM STDIN (FORMAT binary)`));
    const done = new Promise<void>((resolve, reject) => {
      stream.on("finish", resolve);
      stream.on("error", reject);
    });
    for (const r of rows) {
      enc.row(r);
      if (enc.full) stream.write(enc.take());
    }
    enc.finish();
    stream.end(enc.take());
    await done;

    const stored = await client.query<Record<string, string | null>>(
      `SELECT ${ROW_COLUMNS.map((c) => `${c.column}::text AS ${c.column}`).join(", ")} FROM bill_line_items WHERE org_id = $1 ORDER BY id`,
      [orgId],
    );
    expect(stored.rows).toHaveLength(rows.length);
    const typeOf = (t: string) => t.replace(/ NOT NULL$/, "").replace(/\(3\)$/, "(3)");
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const values = ROW_COLUMNS.map((c) => r[c.field]);
      const expected = await client.query<Record<string, string | null>>(
        `SELECT ${ROW_COLUMNS.map((c, k) => `$${k + 1}::${typeOf(c.type)}::text AS ${c.column}`).join(", ")}`,
        values,
      );
      expect(stored.rows[i], `row ${i} (billed ${r.billedCost})`).toEqual(expected.rows[0]);
    }
  });

  it("rejects decimals NUMERIC cannot hold at validation, not in the database", () => {
    expect(parseDecimal("1E1001")).toBeUndefined();
    expect(parseDecimal("1e-1001")).toBeUndefined();
    expect(parseDecimal("1".repeat(1001))).toBeUndefined();
    expect(parseDecimal("1E1000")).toBe("1E1000");
  });
});

// A FOCUS CSV through the whole pipeline (read, parse, normalize, binary COPY): the file's texture must
// come out of bill_line_items value for value. The file is read in 64 KiB chunks, ASCII ones as latin1 and
// the others through the UTF-8 decoder: multibyte characters are placed across chunk boundaries on purpose.
const READ_CHUNK = 1 << 16;
const HEADER = ["BilledCost", "EffectiveCost", "BillingAccountId", "BillingCurrency", "BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory", "ProviderName", "ResourceName", "ChargeDescription", "ListCost", "RegionId", "Tags", "x_Note"];
const DESCRIPTIONS = [
  "plain",
  "with, commas, inside",
  'doubled ""quotes"" and, comma',
  "embedded\nnewline",
  "embedded\r\ncrlf, and comma",
  "é at the start",
  "東京 region 🚀 launch",
  "",
];

function csvField(v: string | null): string {
  if (v === null) return "NULL";
  return /[",\r\n]/.test(v) || v === "" ? `"${v.replace(/"/g, '""')}"` : v;
}

describe("a FOCUS CSV through the pipeline", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "burnrate-copybin-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("stores quoted fields, embedded line breaks, CRLF, BOM, NULL and characters split across reads exactly", async () => {
    const expected: Array<{ resource: string | null; description: string | null; region: string | null; note: string | null; billed: string; list: string | null }> = [];
    const parts: Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(HEADER.join(",") + "\r\n")];
    let offset = parts[0]!.length + parts[1]!.length;
    let boundary = READ_CHUNK;
    let straddles = 0;
    for (let i = 0; i < 1500; i++) {
      const billed = `${i}.${String(i * 7919).padStart(10, "0")}`;
      const list = i % 4 === 0 ? null : `${i}.5`;
      const region = i % 3 === 0 ? null : i % 3 === 1 ? "us-east-1" : "";
      const note = i % 5 === 0 ? "naïve café" : null;
      const before = `${billed},${billed},acct-${i % 3},USD,2024-09-01 00:00:00,2024-10-01 00:00:00,2024-09-0${1 + (i % 9)} 0${i % 10}:00:00,2024-09-0${1 + (i % 9)} 0${i % 10}:30:00,${i % 2 ? "usage" : "Usage"},AWS,`;
      let description = DESCRIPTIONS[i % DESCRIPTIONS.length]!;
      // Pad the resource name so that a character of 2, 3 or 4 bytes starts just before the next read boundary.
      let resource: string | null = i % 7 === 0 ? null : `r-${i}`;
      const multibyte = ["é", "東", "🚀"][i % 3]!;
      const mbBytes = Buffer.byteLength(multibyte);
      const fixed = Buffer.byteLength(before) + Buffer.byteLength(`r-${i}-,"`);
      const pad = boundary - (mbBytes - 1) - offset - fixed;
      if (pad >= 0 && pad < 2000) {
        resource = `r-${i}-${"p".repeat(pad)}`;
        description = `${multibyte}, split across reads`;
        straddles++;
        boundary += READ_CHUNK;
      }
      const line = before + [csvField(resource), `"${description.replace(/"/g, '""')}"`, csvField(list), csvField(region), csvField(`{"n": ${i}}`), csvField(note)].join(",") + "\r\n";
      const bytes = Buffer.from(line);
      parts.push(bytes);
      offset += bytes.length;
      if (offset > boundary) boundary += READ_CHUNK * Math.ceil((offset - boundary) / READ_CHUNK);
      expected.push({ resource, description: description === "" ? null : description.replace(/\r\n/g, "\r\n"), region: region === "" ? null : region, note, billed, list });
    }
    expect(straddles).toBeGreaterThanOrEqual(3);
    const file = path.join(dir, "texture.csv");
    const bytes = Buffer.concat(parts);
    await writeFile(file, bytes);
    // The boundary characters really straddle: a read chunk ends inside a multibyte sequence.
    let split = 0;
    for (let b = READ_CHUNK; b < bytes.length; b += READ_CHUNK) if ((bytes[b]! & 0xc0) === 0x80) split++;
    expect(split).toBeGreaterThanOrEqual(3);

    const org = (await createOrg(prisma, { slug: `copybin-csv-${Date.now().toString(36)}`, name: "Binary COPY CSV" })).id;
    const run = await createIngestionRun(prisma, { orgId: org, source: "CLI", fileName: "texture.csv", sourceUri: file });
    const s = await ingestBills({ prisma, orgId: org, runId: run.id, files: [{ path: file, name: "texture.csv" }] });
    expect(s.rows).toBe(expected.length);
    const stored = await client.query<{ resource_name: string | null; charge_description: string | null; region_id: string | null; note: string | null; billed: string; list: string | null; charge_category: string; tags: string }>(
      `SELECT resource_name, charge_description, region_id, extra->>'x_Note' AS note, billed_cost::text AS billed, list_cost::text AS list, charge_category, tags::text AS tags
       FROM bill_line_items WHERE org_id = $1 ORDER BY billed_cost`,
      [org],
    );
    expect(stored.rows).toHaveLength(expected.length);
    for (let i = 0; i < expected.length; i++) {
      const e = expected[i]!;
      const r = stored.rows[i]!;
      expect({ resource: r.resource_name, description: r.charge_description, region: r.region_id, note: r.note, billed: r.billed, list: r.list }, `row ${i}`).toEqual(e);
      expect(r.charge_category).toBe("Usage");
      expect(r.tags).toBe(`{"n": ${i}}`);
    }
  });
});
