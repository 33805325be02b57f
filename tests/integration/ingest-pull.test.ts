// The pull connectors, as the worker runs them: an S3 bucket prefix (AWS SDK v3 against s3rver on
// loopback) where a CUR 2.0 export arrives in two gzip parts, and an HTTPS URL (a local server that
// wants a bearer token). New deliveries are ingested once, changed ones again, unchanged ones skipped.
import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { closePgPool } from "@/lib/db/pg";
import { createOrg } from "@/lib/orgs/create-org";
import { createBillConnector } from "@/lib/connectors/pull/bill-connectors";
import { pullBillConnector } from "@/lib/connectors/pull/pull-connector";
import { JOB_NAMES, QUEUES } from "@/lib/queue/contracts";
import { createIngestBillsProcessor } from "@/workers/processors/ingest-bills";
import { type RunningWorker, startWorker } from "@/workers/start-worker";
import { accountTotals, until } from "../support/ingest";
import { type LoopbackS3, startS3rver } from "../support/s3rver";

process.env.LOG_LEVEL ??= "error";
const FIXTURES = path.resolve(__dirname, "../fixtures/bills");
const redisUrl = process.env.REDIS_URL!;
const prefix = process.env.QUEUE_PREFIX!;
const prisma = createPrisma(process.env.DATABASE_URL!, 3);
let dir: string;
let orgId: string;
let endpoint: string;
let s3: LoopbackS3;
let worker: RunningWorker;

const putObject = (key: string, body: Buffer | string) => s3.put(key, body);

const totals = (account: string) => accountTotals(prisma, orgId, account);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "ingest-pull-"));
  s3 = await startS3rver({ directory: path.join(dir, "s3") });
  endpoint = s3.endpoint;
  orgId = (await createOrg(prisma, { slug: `pull-${Date.now().toString(36)}`, name: "Pull" })).id;
  worker = await startWorker({
    redisUrl,
    prefix,
    prisma,
    queues: [{ queue: QUEUES.ingestBills, concurrency: 1 }],
    processors: { [QUEUES.ingestBills]: createIngestBillsProcessor({ orgIds: [orgId], schedule: false }) },
    healthPort: 0,
    healthHost: "127.0.0.1",
    registerSchedules: false,
  });
});

afterAll(async () => {
  await worker?.close();
  const q = new Queue(QUEUES.ingestBills, { connection: { url: redisUrl }, prefix });
  await q.obliterate({ force: true }).catch(() => undefined);
  await q.close();
  await new Queue(QUEUES.rollups, { connection: { url: redisUrl }, prefix }).obliterate({ force: true }).catch(() => undefined);
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
  await prisma.$disconnect();
  await closePgPool();
});

describe("S3 pull connector", () => {
  it("is polled by the worker and ingests a two-part CUR delivery as one run, once", async () => {
    const [header, ...rows] = (await readFile(path.join(FIXTURES, "aws-cur-2.0.csv"), "utf8")).trimEnd().split("\n");
    const dataDir = "cur/acme-export/data/BILLING_PERIOD=2024-09";
    await putObject(`${dataDir}/acme-export-00001.csv.gz`, gzipSync([header, ...rows.slice(0, 5)].join("\n") + "\n"));
    await putObject(`${dataDir}/acme-export-00002.csv.gz`, gzipSync([header, ...rows.slice(5)].join("\n") + "\n"));
    await putObject("cur/acme-export/metadata/BILLING_PERIOD=2024-09/acme-export-Manifest.json", JSON.stringify({ dataFiles: 2 }));

    const connector = await createBillConnector(prisma, orgId, {
      kind: "BILL_S3",
      name: "CUR export",
      config: { bucket: "bills", prefix: "cur/", endpoint, region: "us-east-1" },
      secret: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    expect(connector.hasSecret).toBe(true);
    const stored = await prisma.connector.findUniqueOrThrow({ where: { id: connector.id } });
    expect(stored.secretCiphertext).not.toContain("S3RVER");

    // What the job scheduler does every minute: a poll finds the connector due and queues its pull.
    const q = new Queue(QUEUES.ingestBills, { connection: { url: redisUrl }, prefix });
    await q.add(JOB_NAMES[QUEUES.ingestBills].poll, { kind: "poll-connectors" });
    await q.close();
    const run = await until("the delivery to be ingested", async () => {
      const r = await prisma.ingestionRun.findFirst({ where: { connectorId: connector.id } });
      return r && (r.status === "SUCCEEDED" || r.status === "FAILED") ? r : null;
    });
    expect(run).toMatchObject({ status: "SUCCEEDED", source: "CONNECTOR", kind: "aws-cur-2.0", rowsTotal: 10, fileName: `${dataDir}/(2 files)` });
    expect(run.billedCost?.toFixed()).toBe("603.3761");
    expect(await totals("111122223333")).toEqual({ rows: 10, billed: "603.3761" });
    // The run succeeds before the pull finishes (it then queues the rollup and marks the connector).
    const settled = await until("the pull to finish", async () => {
      const c = await prisma.connector.findUniqueOrThrow({ where: { id: connector.id } });
      return c.status === "RUNNING" ? null : c;
    });
    expect(settled).toMatchObject({ status: "HEALTHY", lastError: null });

    // Nothing changed: the next pull skips it.
    const again = await pullBillConnector(prisma, { orgId, connectorId: connector.id });
    expect(again).toMatchObject({ found: 1, skipped: 1, ingested: [] });

    // AWS restates the period: part 2 changes (the 12.34 tax becomes 20.00). The whole delivery is
    // ingested again and replaces the period.
    await putObject(`${dataDir}/acme-export-00002.csv.gz`, gzipSync([header, ...rows.slice(5).map((r) => r.replace(",12.34,", ",20.00,"))].join("\n") + "\n"));
    const restated = await pullBillConnector(prisma, { orgId, connectorId: connector.id });
    expect(restated.ingested).toHaveLength(1);
    expect(await totals("111122223333")).toEqual({ rows: 10, billed: "611.0361" });
  }, 120_000);
});

describe("HTTPS pull connector", () => {
  let server: Server;
  let url: string;
  let body: Buffer;
  let etag = '"v1"';
  beforeAll(async () => {
    body = await readFile(path.join(FIXTURES, "gcp-billing.jsonl"));
    server = createServer((req, res) => {
      if (req.headers.authorization !== "Bearer s3cret") {
        res.writeHead(401).end("unauthorized");
        return;
      }
      res.writeHead(200, { etag, "content-type": "application/x-ndjson", "content-length": body.length });
      res.end(req.method === "HEAD" ? undefined : body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/exports/gcp-billing.jsonl`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("downloads with the stored token, skips an unchanged ETag, and reports a refused token", async () => {
    const c = await createBillConnector(prisma, orgId, { kind: "BILL_HTTPS", name: "GCP export", config: { url }, secret: { headers: { authorization: "Bearer s3cret" } } });
    const first = await pullBillConnector(prisma, { orgId, connectorId: c.id });
    expect(first.failed).toEqual([]);
    expect(first.ingested).toEqual([expect.objectContaining({ rows: 7, file: "gcp-billing.jsonl" })]);
    expect(await totals("01ABCD-23EFGH-45IJKL")).toEqual({ rows: 7, billed: "99.329856789012345678" });
    expect(await pullBillConnector(prisma, { orgId, connectorId: c.id })).toMatchObject({ skipped: 1, ingested: [] });
    etag = '"v2"';
    expect((await pullBillConnector(prisma, { orgId, connectorId: c.id })).ingested).toHaveLength(1);

    const bad = await createBillConnector(prisma, orgId, { kind: "BILL_HTTPS", name: "GCP export, wrong token", config: { url }, secret: { headers: { authorization: "Bearer nope" } } });
    await expect(pullBillConnector(prisma, { orgId, connectorId: bad.id })).rejects.toThrow("answered 401");
    expect(await prisma.connector.findUniqueOrThrow({ where: { id: bad.id } })).toMatchObject({ status: "FAILING" });
  });
});
