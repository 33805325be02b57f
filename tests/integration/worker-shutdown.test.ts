// The worker process: the real entry, started as `npm run worker` starts it (`node --import tsx`: one
// process, so SIGTERM reaches it directly; the tsx CLI wrapper SIGKILLs its child and exits 143 when the
// child's signal handshake takes over 30 ms, as on a loaded machine), answers its
// health check and drains on SIGTERM without a forced exit. In-process: close() lets the active job
// finish while /healthz already says 503.
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { Queue } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { QUEUES } from "@/lib/queue/contracts";
import { createProducers } from "@/lib/queue/producers";
import { startWorker } from "@/workers/start-worker";

const root = path.resolve(__dirname, "../..");
const redisUrl = process.env.REDIS_URL!;
const prefix = process.env.QUEUE_PREFIX!;
// The in-process case gets its own prefix so the spawned worker's scheduler never feeds it a job.
const inProcessPrefix = `${prefix}-inproc`;
const prisma = createPrisma(process.env.DATABASE_URL!, 2);
afterAll(async () => {
  await prisma.$disconnect();
  for (const p of [prefix, inProcessPrefix]) {
    const q = new Queue(QUEUES.rollups, { connection: { url: redisUrl }, prefix: p });
    await q.obliterate({ force: true });
    await q.close();
  }
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function healthz(port: number) {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string; uptimeSeconds: number; queues: Record<string, Record<string, number>> } };
}

function exitOf(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker still running ${timeoutMs} ms after SIGTERM`)), timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

describe("worker process (npm run worker)", () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
  });

  it("serves /healthz, then drains on SIGTERM and exits 0 on its own", async () => {
    const port = await freePort();
    const lines: string[] = [];
    child = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: process.env.DATABASE_URL,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        WORKER_HEALTH_PORT: String(port),
        WORKER_QUEUES: "",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buffered = "";
    const collect = (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split("\n");
      buffered = parts.pop() ?? "";
      lines.push(...parts.filter(Boolean));
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);

    const health = await waitFor("healthz 200", async () => {
      const h = await healthz(port);
      return h.status === 200 ? h : undefined;
    }, 15_000);
    expect(health.body).toMatchObject({ status: "ok", queues: { [QUEUES.rollups]: { waiting: 0, active: 0, failed: 0 } } });
    // The hourly fan-out scheduler was registered at start.
    const q = new Queue(QUEUES.rollups, { connection: { url: redisUrl }, prefix });
    try {
      expect((await q.getJobSchedulers()).map((s) => s.key)).toEqual(["rollups-hourly-fan-out"]);
    } finally {
      await q.close();
    }

    const signalledAt = Date.now();
    child.kill("SIGTERM");
    const exit = await exitOf(child, 10_000);
    const tookMs = Date.now() - signalledAt;

    const logs = lines.map((l) => JSON.parse(l) as { msg: string; activeResources?: string[] });
    expect(exit, lines.join("\n")).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(10_000);
    const messages = logs.map((l) => l.msg);
    expect(messages).toEqual(expect.arrayContaining(["worker started", "shutdown requested", "worker shutting down", "worker stopped"]));
    expect(messages).not.toContain("forcing exit");
    // beforeExit fires only when the event loop is empty: every Redis, Postgres and HTTP handle closed.
    const drained = logs.find((l) => l.msg === "worker drained, exiting naturally");
    expect(drained, lines.join("\n")).toBeDefined();
    // Only the stdout/stderr pipes to this test remain: no TCP socket (Redis, Postgres), server or timer.
    expect(drained!.activeResources!.filter((r) => r !== "PipeWrap" && r !== "TTYWrap")).toEqual([]);
    expect(drained!.activeResources!.length).toBeLessThanOrEqual(2);
  });
});

describe("startWorker().close()", () => {
  it("answers 503 while shutting down and lets the active job finish", async () => {
    let started!: () => void;
    const jobStarted = new Promise<void>((r) => (started = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));

    const worker = await startWorker({
      redisUrl,
      prefix: inProcessPrefix,
      prisma,
      queues: [{ queue: QUEUES.rollups, concurrency: 1 }],
      healthPort: 0,
      healthHost: "127.0.0.1",
      registerSchedules: false,
      processors: {
        [QUEUES.rollups]: {
          queue: QUEUES.rollups,
          process: async () => {
            started();
            await released;
            return { finished: true };
          },
        },
      },
    });
    const producers = createProducers({ redisUrl, prefix: inProcessPrefix });
    try {
      const from = new Date(Date.UTC(2026, 0, 20, 0));
      const jobId = await producers.enqueueRollupRefresh({ orgId: "org-shutdown", from, to: new Date(from.getTime() + 3_600_000) });
      await jobStarted;

      const closing = worker.close();
      const during = await waitFor("503 while draining", async () => {
        const h = await healthz(worker.healthPort);
        return h.status === 503 ? h : undefined;
      });
      expect(during.body.status).toBe("shutting_down");

      release();
      await closing;
      await expect(healthz(worker.healthPort)).rejects.toThrow();

      const q = new Queue(QUEUES.rollups, { connection: { url: redisUrl }, prefix: inProcessPrefix });
      try {
        const job = await q.getJob(jobId);
        expect(await job!.getState()).toBe("completed");
        expect(job!.returnvalue).toEqual({ finished: true });
      } finally {
        await q.close();
      }
    } finally {
      release();
      await worker.close();
      await producers.close();
    }
  });
});
