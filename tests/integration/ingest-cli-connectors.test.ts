// `burnrate connector add s3-bills|https-bills`, `connector list` and `connector run` for bill pull
// connectors, as an operator runs them: a real CLI process against s3rver and a token-checking HTTP
// server on loopback. The credentials given on the command line are stored sealed, never in clear.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { QUEUES } from "@/lib/queue/contracts";
import { accountTotals } from "../support/ingest";
import { type LoopbackS3, S3RVER_CREDENTIALS, startS3rver } from "../support/s3rver";
import { runCli } from "../support/cli";

const root = path.resolve(__dirname, "../..");
const FOCUS_SAMPLE = path.resolve(root, "tests/fixtures/focus/focus-1.0-sample.csv");
const GCP_JSONL = path.resolve(root, "tests/fixtures/bills/gcp-billing.jsonl");
const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const slug = `cli-pull-${Date.now().toString(36)}`;
let orgId: string;
let dir: string;
let s3: LoopbackS3;

const cli = (args: string[]) => runCli(args, { LOG_LEVEL: "error" });

async function orgTotals() {
  const [t] = await prisma.$queryRaw<Array<{ n: bigint; billed: string | null; effective: string | null }>>`
    SELECT count(*) AS n, trim_scale(sum(billed_cost))::text AS billed, trim_scale(sum(effective_cost))::text AS effective FROM bill_line_items WHERE org_id = ${orgId}`;
  return { rows: Number(t!.n), billed: t!.billed, effective: t!.effective };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "ingest-cli-connectors-"));
  s3 = await startS3rver({ directory: path.join(dir, "s3") });
  orgId = (await createOrg(prisma, { slug, name: "CLI pull" })).id;
});

afterAll(async () => {
  await new Queue(QUEUES.rollups, { connection: { url: process.env.REDIS_URL! }, prefix: process.env.QUEUE_PREFIX! }).obliterate({ force: true }).catch(() => undefined);
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
  await prisma.$disconnect();
});

describe("burnrate connector add|list|run for bill connectors", () => {
  it("adds an S3 prefix connector, lists it, pulls the FOCUS export once and skips it when unchanged", async () => {
    await s3.put("exports/focus/2024-09/focus-1.0-sample.csv", await readFile(FOCUS_SAMPLE));
    await s3.put("exports/focus/2024-09/manifest.json", "{}");

    const added = await cli([
      "connector", "add", "s3-bills", "--org", slug, "--name", "FOCUS export", "--bucket", s3.bucket, "--prefix", "exports/focus/",
      "--endpoint", s3.endpoint, "--access-key-id", S3RVER_CREDENTIALS.accessKeyId, "--secret-access-key", S3RVER_CREDENTIALS.secretAccessKey, "--every", "900", "--json",
    ]);
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    const { id } = JSON.parse(added.stdout) as { id: string };
    expect(JSON.parse(added.stdout)).toMatchObject({ id, kind: "BILL_S3", name: "FOCUS export", everySeconds: 900, hasCredentials: true });

    const row = await prisma.connector.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ orgId, kind: "BILL_S3", everySeconds: 900, config: { bucket: "bills", prefix: "exports/focus/", endpoint: s3.endpoint, region: "us-east-1" } });
    // Sealed: the secret access key is not stored in clear.
    expect(row.secretCiphertext).toMatch(/^v1:/);
    expect(row.secretCiphertext).not.toContain(S3RVER_CREDENTIALS.secretAccessKey);

    const listed = await cli(["connector", "list", "--org", slug, "--json"]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id, kind: "BILL_S3", name: "FOCUS export", url: "s3://bills/exports/focus/", enabled: true, status: "NEVER_RUN", hasCredentials: true, everySeconds: 900 }),
    ]);

    const pulled = await cli(["connector", "run", id, "--json"]);
    expect(pulled.code).toBe(0);
    const result = JSON.parse(pulled.stdout);
    expect(result).toMatchObject({ connectorId: id, found: 1, skipped: 0, failed: [], status: "succeeded" });
    expect(result.ingested).toEqual([expect.objectContaining({ rows: 1000, file: "exports/focus/2024-09/focus-1.0-sample.csv" })]);
    expect(result.rollupJobs.length).toBeGreaterThan(0);
    // The acceptance totals of the FOCUS sample, exactly.
    expect(await orgTotals()).toEqual({ rows: 1000, billed: "20.52022672899", effective: "14.97651418586" });
    const runs = await prisma.ingestionRun.findMany({ where: { orgId, connectorId: id } });
    expect(runs).toEqual([expect.objectContaining({ source: "CONNECTOR", status: "SUCCEEDED", rowsTotal: 1000 })]);

    const again = await cli(["connector", "run", id, "--json"]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ found: 1, skipped: 1, ingested: [] });
    expect(await orgTotals()).toEqual({ rows: 1000, billed: "20.52022672899", effective: "14.97651418586" });

    const human = await cli(["connector", "list", "--org", slug]);
    expect(human.stdout).toContain("BILL_S3");
    expect(human.stdout).toContain("HEALTHY");
  }, 120_000);

  it("adds an HTTPS connector with a bearer token, pulls it, and exits 1 with the error when the token is refused", async () => {
    const body = await readFile(GCP_JSONL);
    const server: Server = createServer((req, res) => {
      if (req.headers.authorization !== "Bearer t0ken") {
        res.writeHead(401).end("unauthorized");
        return;
      }
      res.writeHead(200, { etag: '"v1"', "content-length": body.length });
      res.end(req.method === "HEAD" ? undefined : body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gcp/billing.jsonl`;
    try {
      const added = await cli(["connector", "add", "https-bills", "--org", slug, "--url", url, "--bearer-token", "t0ken", "--json"]);
      expect(added.code).toBe(0);
      const { id } = JSON.parse(added.stdout) as { id: string };
      const row = await prisma.connector.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ kind: "BILL_HTTPS", name: `https 127.0.0.1:${new URL(url).port}`, everySeconds: 3600, config: { url } });
      expect(row.secretCiphertext).not.toContain("t0ken");

      const pulled = await cli(["connector", "run", id, "--json"]);
      expect(pulled.code).toBe(0);
      expect(JSON.parse(pulled.stdout).ingested).toEqual([expect.objectContaining({ rows: 7, file: "billing.jsonl" })]);
      expect(await accountTotals(prisma, orgId, "01ABCD-23EFGH-45IJKL")).toEqual({ rows: 7, billed: "99.329856789012345678" });

      const wrong = await cli(["connector", "add", "https-bills", "--org", slug, "--url", url, "--name", "wrong token", "--header", "Authorization: Bearer nope", "--json"]);
      expect(wrong.code).toBe(0);
      const failed = await cli(["connector", "run", JSON.parse(wrong.stdout).id]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain("answered 401");
      expect(await prisma.connector.findUniqueOrThrow({ where: { id: JSON.parse(wrong.stdout).id } })).toMatchObject({ status: "FAILING" });
      // The earlier data is untouched.
      expect(await accountTotals(prisma, orgId, "01ABCD-23EFGH-45IJKL")).toEqual({ rows: 7, billed: "99.329856789012345678" });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 120_000);

  it("rejects incomplete or mixed options with a usage error (exit 2) and stores nothing", async () => {
    const before = await prisma.connector.count({ where: { orgId } });
    const noBucket = await cli(["connector", "add", "s3-bills", "--org", slug]);
    expect(noBucket.code).toBe(2);
    expect(noBucket.stderr).toContain("--bucket");
    const mixed = await cli(["connector", "add", "https-bills", "--org", slug, "--url", "https://example.invalid/x.csv", "--bucket", "b"]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain("--bucket applies to s3-bills");
    const halfKey = await cli(["connector", "add", "s3-bills", "--org", slug, "--bucket", "bills", "--access-key-id", "AKIA"]);
    expect(halfKey.code).toBe(2);
    const badFormat = await cli(["connector", "add", "s3-bills", "--org", slug, "--bucket", "bills", "--format", "excel"]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain("--format must be one of");
    const strayOnTelemetry = await cli(["connector", "add", "prometheus", "--org", slug, "--url", "http://127.0.0.1:9", "--bucket", "bills"]);
    expect(strayOnTelemetry.code).toBe(2);
    expect(strayOnTelemetry.stderr).toContain("--bucket applies to s3-bills and https-bills connectors");
    expect(await prisma.connector.count({ where: { orgId } })).toBe(before);
  }, 60_000);
});
