// "Run now" end to end: an admin adds a Prometheus connector pointing at a real Prometheus (started
// here, backfilled with two days of DCGM samples), clicks Run now, and sees the run's progress while a
// real worker process (node --import tsx workers/index.ts, same database, Redis and queue prefix as the
// web server) executes it, then its success and the run in the history.
//
// The Prometheus sits behind a loopback gate that holds the queries of every chunk after the first
// until the test has seen the progress, so "progress" is observed, not raced.
import { expect, test } from "@playwright/test";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import type net from "node:net";
import path from "node:path";
import { type OmSeries, type RunningPrometheus, startPrometheus, toOpenMetrics } from "../tests/support/prometheus";
import { LAB_ORG, E2E_DATABASE_URL, E2E_ENCRYPTION_KEY, E2E_QUEUE_PREFIX, E2E_REDIS_URL } from "./env";
import { fixtures, query } from "./helpers";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const root = path.resolve(__dirname, "..");

/** A pass-through proxy to `target` that holds query_range calls starting at or after `holdFrom` (ms) until released. */
async function startGate(target: string, holdFrom: number) {
  let open = false;
  let held = 0;
  const waiting: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      try {
        if (req.url?.startsWith("/api/v1/query_range")) {
          const start = Number(new URLSearchParams(body.toString("utf8")).get("start")) * 1000;
          if (!open && start >= holdFrom) {
            held++;
            await new Promise<void>((r) => waiting.push(r));
          }
        }
        const upstream = await fetch(`${target}${req.url}`, {
          method: req.method,
          headers: req.headers["content-type"] ? { "content-type": req.headers["content-type"] } : {},
          body: req.method === "POST" ? body : undefined,
        });
        res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
        res.end(Buffer.from(await upstream.arrayBuffer()));
      } catch (err) {
        res.writeHead(502).end(String(err));
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    held: () => held,
    release() {
      open = true;
      for (const r of waiting.splice(0)) r();
    },
    async close() {
      this.release();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Two GPUs of one host, a sample a minute for two days ending three hours ago, with a pod on GPU 0. */
function history(now: number): OmSeries[] {
  const end = Math.floor(now / HOUR) * HOUR - 3 * HOUR;
  const start = end - 2 * DAY;
  return [0, 1].map((gpu) => {
    const samples = [];
    for (let t = start; t < end; t += 60_000) samples.push({ t, v: gpu === 0 ? 0.5 + 0.25 * Math.sin(t / HOUR) : 0.01 });
    return {
      name: "DCGM_FI_PROF_GR_ENGINE_ACTIVE",
      labels: { gpu: String(gpu), UUID: `GPU-e2e-run-now-${gpu}`, modelName: "NVIDIA H100 80GB HBM3", Hostname: "e2e-node-1", ...(gpu === 0 ? { pod: "e2e-train-7-0", namespace: "ml" } : {}) },
      samples,
    };
  });
}

let prom: RunningPrometheus;
let gate: Awaited<ReturnType<typeof startGate>>;
let worker: ChildProcess;
let workerLog = "";

test.beforeAll(async () => {
  prom = await startPrometheus({ openMetrics: toOpenMetrics(history(Date.now())) });
  // The first chunk of a first run is the backfill's first (partial) UTC day: hold everything after it.
  const backfillFrom = Math.floor((Date.now() - 30 * DAY) / HOUR) * HOUR;
  gate = await startGate(prom.url, Math.floor(backfillFrom / DAY) * DAY + DAY);
  worker = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: E2E_DATABASE_URL,
      REDIS_URL: E2E_REDIS_URL,
      QUEUE_PREFIX: E2E_QUEUE_PREFIX,
      ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
      WORKER_HEALTH_PORT: "0",
      NODE_ENV: "production",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (c: Buffer) => (workerLog = (workerLog + String(c)).slice(-8000));
  worker.stdout?.on("data", keep);
  worker.stderr?.on("data", keep);
});

test.afterAll(async () => {
  await gate?.close();
  if (worker && worker.exitCode === null) {
    worker.kill("SIGTERM");
    await Promise.race([once(worker, "exit"), new Promise((r) => setTimeout(r, 15_000))]);
    if (worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
  }
  await prom?.stop();
});

test("Run now: progress while the worker runs it, then success, and the run in the history", async ({ page }) => {
  test.setTimeout(180_000);
  const name = `run-now-${Math.random().toString(36).slice(2, 8)}`;

  await page.goto(`/${LAB_ORG.slug}/settings?tab=connectors`);
  const form = page.getByRole("form", { name: "Add a connector" });
  await form.getByLabel("Kind").selectOption("PROMETHEUS");
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("URL").fill(gate.url);
  // A daily schedule: its first slot is far away, so the run this test watches is the manual one.
  await form.getByLabel("Interval (seconds)").fill("86400");
  await form.getByRole("button", { name: "Add connector" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Added ${name}` })).toBeVisible();
  const row = page.locator(`[data-testid="connector-row"][data-name="${name}"]`);
  await expect(row).toContainText("Never run");

  await row.getByRole("button", { name: `Run ${name} now` }).click();

  // Progress: the first chunk is stored (by the worker), the next one is held at the gate.
  const progress = page.getByTestId("run-progress");
  const bar = progress.getByRole("progressbar", { name: "Run progress" });
  await expect(bar).toBeVisible({ timeout: 60_000 });
  await expect.poll(async () => Number(await bar.getAttribute("value")), { timeout: 60_000, message: workerLog }).toBeGreaterThan(0);
  const value = Number(await bar.getAttribute("value"));
  expect(value).toBeLessThan(1);
  expect(gate.held()).toBeGreaterThan(0);
  const [running] = await query<{ status: string; progress: number; source: string; kind: string; org_id: string }>(
    `SELECT r.status, r.progress, r.source::text AS source, r.kind, r.org_id FROM ingestion_runs r JOIN connectors c ON c.id = r.connector_id WHERE c.name = $1`,
    [name],
  );
  expect(running).toMatchObject({ status: "RUNNING", kind: "prometheus-telemetry", org_id: fixtures().labOrgId });
  expect(running!.progress).toBeCloseTo(value, 6);
  await expect(progress).toContainText(`${Math.round(value * 100)}%`);

  // Success, once the gate opens.
  gate.release();
  await expect(progress).toContainText("Done:", { timeout: 90_000 });
  const [done] = await query<{ status: string; rows_loaded: number; gpu_hours: number }>(
    `SELECT r.status, r.rows_loaded,
            (SELECT count(*)::int FROM gpu_hourly h JOIN gpus g ON g.id = h.gpu_id WHERE g.uuid LIKE 'GPU-e2e-run-now-%') AS gpu_hours
     FROM ingestion_runs r JOIN connectors c ON c.id = r.connector_id WHERE c.name = $1`,
    [name],
  );
  expect(done!.status).toBe("SUCCEEDED");
  // Two GPUs × 48 hours of samples.
  expect(done!.gpu_hours).toBe(2 * 48);
  expect(done!.rows_loaded).toBeGreaterThanOrEqual(done!.gpu_hours);
  await expect(progress).toContainText(`Done: ${done!.rows_loaded.toLocaleString("en-US")} rows`);

  // History.
  await row.getByRole("button", { name: `Run history of ${name}` }).click();
  const history = page.getByRole("table", { name: "Run history" });
  await expect(history).toBeVisible();
  const runRow = history.getByTestId("connector-run-row");
  await expect(runRow).toHaveCount(1);
  await expect(runRow).toContainText("SUCCEEDED");
  await expect(runRow).toContainText(done!.rows_loaded.toLocaleString("en-US"));

  // Clean up: the connector (and its run) go with it.
  await row.getByRole("button", { name: `Delete ${name}` }).click();
  await row.getByRole("button", { name: "Confirm delete" }).click();
  await expect(row).toHaveCount(0);
});
