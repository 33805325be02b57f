// The asynchronous ways in: POST /api/v1/bills with an API key answers 202 and a run id, the worker
// ingests it, GET /api/v1/ingestion-runs/:id reports status and progress, the rollups of the replaced
// billing periods are queued. And a worker killed (SIGKILL) in the middle of an ingestion leaves the
// previous data intact; the job is picked up again and completes with the right totals.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Queue, Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { createPrisma } from "@/lib/db/client";
import { closePgPool } from "@/lib/db/pg";
import { logger } from "@/lib/log";
import { createOrg } from "@/lib/orgs/create-org";
import { createIngestionRun } from "@/lib/ingest/runs";
import { ingestBills } from "@/lib/ingest/ingest-bills";
import { workerRedisOptions } from "@/lib/queue/connection";
import { QUEUES } from "@/lib/queue/contracts";
import { closeQueues, createProducers } from "@/lib/queue/producers";
import { createIngestBillsProcessor } from "@/workers/processors/ingest-bills";
import { type RunningWorker, startWorker } from "@/workers/start-worker";
import { POST as postBills } from "@/app/api/v1/bills/route";
import { GET as getRun } from "@/app/api/v1/ingestion-runs/[id]/route";
import { accountTotals, until } from "../support/ingest";

process.env.LOG_LEVEL ??= "error";
const root = path.resolve(__dirname, "../..");
const redisUrl = process.env.REDIS_URL!;
const prefix = process.env.QUEUE_PREFIX!;
const prisma = createPrisma(process.env.DATABASE_URL!, 3);
const producers = createProducers({ redisUrl, prefix });
let dir: string;
let orgId: string;
let apiKey: string;

const HEADER = "BillingAccountId,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ProviderName,ServiceName,SkuId,BilledCost,EffectiveCost,ListCost";
function bill(account: string, rows: number, cost: string) {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    const h = String(i % 24).padStart(2, "0");
    lines.push(`${account},USD,2024-09-01,2024-10-01,2024-09-02T${h}:00:00Z,2024-09-02T${h}:59:59Z,Usage,AWS,EC2,BoxUsage:p5.48xlarge,${cost},${cost},${cost}`);
  }
  return lines.join("\n") + "\n";
}

const totals = (account: string) => accountTotals(prisma, orgId, account);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "ingest-worker-"));
  process.env.INGEST_STORAGE_DIR = path.join(dir, "uploads");
  orgId = (await createOrg(prisma, { slug: `worker-${Date.now().toString(36)}`, name: "Worker" })).id;
  apiKey = (await createApiKey(prisma, { orgId, name: "ci", role: "FINANCE" })).key;
});

afterAll(async () => {
  const q = new Queue(QUEUES.ingestBills, { connection: { url: redisUrl }, prefix });
  await q.obliterate({ force: true }).catch(() => undefined);
  await q.close();
  await new Queue(QUEUES.rollups, { connection: { url: redisUrl }, prefix }).obliterate({ force: true }).catch(() => undefined);
  await producers.close();
  await closeQueues();
  await rm(dir, { recursive: true, force: true });
  await prisma.$disconnect();
  await closePgPool();
});

describe("POST /api/v1/bills → worker → GET /api/v1/ingestion-runs/:id", () => {
  let worker: RunningWorker;
  beforeAll(async () => {
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
  afterAll(() => worker?.close());

  it("streams the body to storage, answers 202 with the run, and the worker ingests it", async () => {
    const body = new Blob([bill("acct-api", 48, "2.5")]).stream();
    const res = await postBills(
      new Request("http://localhost/api/v1/bills?filename=api-bill.csv", { method: "POST", body, headers: { authorization: `Bearer ${apiKey}`, "content-type": "text/csv" }, duplex: "half" } as RequestInit),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(202);
    const out = (await res.json()) as { runId: string; statusUrl: string; status: string };
    expect(out.status).toBe("QUEUED");
    expect(res.headers.get("location")).toBe(`/api/v1/ingestion-runs/${out.runId}`);

    const view = await until("the run to succeed", async () => {
      const r = await getRun(new Request(`http://localhost${out.statusUrl}`, { headers: { authorization: `Bearer ${apiKey}` } }), { params: Promise.resolve({ id: out.runId }) });
      const v = (await r.json()) as { status: string; progress: number; rowsLoaded: number; billedCost: string; source: string; fileName: string; gpuRows: number };
      return v.status === "SUCCEEDED" || v.status === "FAILED" ? v : null;
    });
    expect(view).toMatchObject({ status: "SUCCEEDED", progress: 1, rowsLoaded: 48, billedCost: "120", source: "API", fileName: "api-bill.csv", gpuRows: 48 });
    expect(await totals("acct-api")).toEqual({ rows: 48, billed: "120" });
    // The rollups of September 2024 were queued, caused by this run.
    const rollups = new Queue(QUEUES.rollups, { connection: { url: redisUrl }, prefix });
    const jobs = await rollups.getJobs(["waiting", "delayed", "active", "completed"]);
    await rollups.close();
    expect(jobs.filter((j) => j.id?.endsWith(`-${out.runId}`)).length).toBe(30);
  });

  it("rejects bad input for good (no retries) and reports the error on the run", async () => {
    const res = await postBills(
      new Request("http://localhost/api/v1/bills?filename=bad.csv", { method: "POST", body: "a,b\n1,2\n", headers: { authorization: `Bearer ${apiKey}` } }),
      { params: Promise.resolve({}) },
    );
    const { runId } = (await res.json()) as { runId: string };
    const run = await until("the run to fail", async () => {
      const r = await prisma.ingestionRun.findUniqueOrThrow({ where: { id: runId } });
      return r.status === "FAILED" ? r : null;
    });
    expect(run.error).toMatch(/^bad\.csv, line 1: the header matches no known bill format/);
    expect(run.attempts).toBe(1);
  });

  it("refuses a key without the bills:ingest permission and an empty body", async () => {
    const viewer = (await createApiKey(prisma, { orgId, name: "viewer", role: "VIEWER" })).key;
    const denied = await postBills(new Request("http://localhost/api/v1/bills", { method: "POST", body: "x", headers: { authorization: `Bearer ${viewer}` } }), { params: Promise.resolve({}) });
    expect(denied.status).toBe(403);
    const empty = await postBills(new Request("http://localhost/api/v1/bills?filename=e.csv", { method: "POST", headers: { authorization: `Bearer ${apiKey}` } }), { params: Promise.resolve({}) });
    expect(empty.status).toBe(422);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toBe("e.csv: the file is empty");
  });
});

describe("a worker killed in the middle of an ingestion", () => {
  // A prefix of its own: BullMQ throttles stalled-job checks per queue with a key whose lifetime is the
  // stalledInterval of the last worker that checked (30 s for the worker above).
  const killPrefix = `${prefix}-kill`;
  const killProducers = createProducers({ redisUrl, prefix: killPrefix });
  let child: ChildProcess | undefined;
  let retryWorker: Worker | undefined;
  afterAll(async () => {
    child?.kill("SIGKILL");
    await retryWorker?.close();
    const q = new Queue(QUEUES.ingestBills, { connection: { url: redisUrl }, prefix: killPrefix });
    await q.obliterate({ force: true }).catch(() => undefined);
    await q.close();
    await new Queue(QUEUES.rollups, { connection: { url: redisUrl }, prefix: killPrefix }).obliterate({ force: true }).catch(() => undefined);
    await killProducers.close();
  });

  it("leaves the previous data intact, and the retried job completes with the right totals", async () => {
    // Previous data: 10 rows of 1.5 for acct-kill, September 2024.
    const before = path.join(dir, "before.csv");
    await writeFile(before, bill("acct-kill", 10, "1.5"));
    const first = await createIngestionRun(prisma, { orgId, source: "CLI", fileName: "before.csv", sourceUri: before });
    await ingestBills({ prisma, orgId, runId: first.id, files: [{ path: before, name: "before.csv" }] });
    expect(await totals("acct-kill")).toEqual({ rows: 10, billed: "15" });

    // The restated bill: 80,000 rows of 0.01, big enough to be killed half way.
    const big = path.join(dir, "restated.csv");
    await writeFile(big, bill("acct-kill", 80_000, "0.01"));
    const run = await createIngestionRun(prisma, { orgId, source: "API", fileName: "restated.csv", sourceUri: big });

    // `node --import tsx`, not the tsx binary: that one runs the script in a child process, which a
    // SIGKILL of the parent would leave running.
    child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "ingest-worker.child.ts")], {
      cwd: root,
      env: { ...process.env, QUEUE_PREFIX: killPrefix, TSX_TSCONFIG_PATH: path.join(root, "tsconfig.json"), LOG_LEVEL: "error" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout!.on("data", (b: Buffer) => (output += b.toString()));
    await until("the child worker to start", async () => output.includes("ready"), 30_000);
    await killProducers.enqueueIngestRun({ orgId, runId: run.id });

    // Kill it once rows are streaming into the database.
    await until("rows to be loading", async () => {
      const r = await prisma.ingestionRun.findUniqueOrThrow({ where: { id: run.id } });
      return r.status === "RUNNING" && r.rowsLoaded > 0;
    });
    const pid = child.pid!;
    child.kill("SIGKILL");
    await new Promise((r) => child!.once("exit", r));
    expect(() => process.kill(pid, 0)).toThrow();
    const killed = await prisma.ingestionRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(killed.status).toBe("RUNNING");
    expect(killed.rowsLoaded).toBeLessThan(80_000);
    // Nothing of the half-loaded file is visible; the previous bill is whole.
    expect(await totals("acct-kill")).toEqual({ rows: 10, billed: "15" });

    // Another worker picks the stalled job up (its 2 s lock expired) and ingests the file again.
    const processor = createIngestBillsProcessor({ schedule: false });
    retryWorker = new Worker(QUEUES.ingestBills, (job) => processor.process(job, { prisma, producers: killProducers, log: logger, now: () => new Date() }), {
      connection: workerRedisOptions(redisUrl),
      prefix: killPrefix,
      lockDuration: 2_000,
      stalledInterval: 1_000,
    });
    const done = await until(
      "the retried run to succeed",
      async () => {
        const r = await prisma.ingestionRun.findUniqueOrThrow({ where: { id: run.id } });
        return r.status === "SUCCEEDED" || r.status === "FAILED" ? r : null;
      },
      60_000,
    );
    expect(done.status).toBe("SUCCEEDED");
    expect(done.attempts).toBe(2);
    expect(done.rowsReplaced).toBe(10);
    expect(await totals("acct-kill")).toEqual({ rows: 80_000, billed: "800" });
  }, 120_000);
});
