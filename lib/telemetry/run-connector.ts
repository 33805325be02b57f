// Runs one telemetry connector (Prometheus, OpenCost, Kubecost) over a window, chunk by chunk:
//
//   window   explicit (CLI --from/--to, a manual backfill), or from the watermark (first run: the
//            driver's backfill, default 30 days) to now − settle delay. The last chunk may end inside
//            an hour: that hour is stored as far as it goes and fetched again next time.
//   chunk    fetch (network only) → one transaction: rows, then the watermark. A chunk whose fetch or
//            write fails stores nothing and leaves the watermark where it was; the run fails with the
//            source's error and the next run starts again from the watermark (catch-up).
//   after    link GPUs to bills, then refresh the rollups (rates, workload GPU-hours and cost) for
//            every hour written, inline (CLI) or through the rollups queue (worker).
//
// One run per connector at a time: a session-level advisory lock held for the whole run. Every run
// leaves an ingestion_runs row with its window, progress, rows and error, and updates the
// connector's status, last_run_at, last_success_at and last_error.
import type pg from "pg";
import { MAX_REFRESH_WINDOW_HOURS, refreshRollups } from "@/lib/costs/refresh-rollups";
import type { Connector, PrismaClient } from "@/lib/db/client";
import { pgPool, withPgTransaction } from "@/lib/db/pg";
import { logger } from "@/lib/log";
import { splitHourWindow } from "@/lib/queue/hour-windows";
import type { ChunkWindow, ConnectorDriver } from "./connector-driver";
import { createDriver, type DriverHooks } from "./drivers";
import { HOUR_MS } from "./types";

export type RefreshMode = "inline" | "none" | ((w: { orgId: string; from: Date; to: Date; cause: string }) => Promise<unknown>);

export type RunConnectorOptions = {
  prisma: PrismaClient;
  /** node-postgres pool for the chunk transactions (COPY); default the process pool. */
  pool?: pg.Pool;
  orgId: string;
  connectorId: string;
  now?: Date;
  /** Explicit window; otherwise from the watermark. */
  window?: { from: Date; to: Date };
  source?: "CONNECTOR" | "CLI" | "API" | "DEMO";
  refresh: RefreshMode;
  encryptionKey?: string;
  hooks?: DriverHooks;
  /** After each stored chunk (the worker reports job progress with it). */
  onProgress?: (p: { chunksDone: number; chunks: number; runId: string }) => Promise<void> | void;
  /** For tests and bench: use this driver instead of building one from the connector row. */
  driver?: ConnectorDriver;
};

export type RunConnectorResult = {
  runId: string;
  connectorId: string;
  window: { from: string; to: string } | null;
  chunks: number;
  rows: { gpuHours: number; gapHours: number; trafficHours: number; gpus: number; workloads: number };
  samples: number;
  watermark: string | null;
  refreshed: { from: string; to: string } | null;
  /** fetchMs: time spent waiting for fetches (the rest overlaps with writing). */
  timings: { fetchMs: number; writeMs: number; refreshMs: number; totalMs: number };
};

export class ConnectorBusyError extends Error {
  readonly code = "conflict";
  constructor(connectorId: string) {
    super(`Connector ${connectorId} is already running; try again when that run has finished`);
    this.name = "ConnectorBusyError";
  }
}

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
const ceilHour = (ms: number) => Math.ceil(ms / HOUR_MS) * HOUR_MS;
const iso = (ms: number) => new Date(ms).toISOString();

/** Chunks of [from, to): aligned to chunkHours within the UTC day, the last one possibly ending inside an hour. */
export function planChunks(from: number, to: number, chunkHours: number): ChunkWindow[] {
  if (to <= from) return [];
  const whole = splitHourWindow({ from: new Date(floorHour(from)), to: new Date(ceilHour(to)) }, chunkHours);
  return whole
    .map((c) => ({ from: new Date(Math.max(c.from.getTime(), from)), to: new Date(Math.min(c.to.getTime(), to)) }))
    .filter((c) => c.to.getTime() > c.from.getTime());
}

/** The window a run covers: explicit, or watermark (else the backfill start) → now − settle. */
export function planWindow({
  explicit,
  watermark,
  now,
  backfillDays,
  settleSeconds,
}: {
  explicit?: { from: Date; to: Date };
  watermark: Date | null;
  now: Date;
  backfillDays: number;
  settleSeconds: number;
}): { from: number; to: number } {
  const settled = now.getTime() - settleSeconds * 1000;
  if (explicit) {
    const from = floorHour(explicit.from.getTime());
    const to = Math.min(ceilHour(explicit.to.getTime()), settled);
    return { from, to };
  }
  const from = watermark ? watermark.getTime() : floorHour(now.getTime() - backfillDays * 24 * HOUR_MS);
  return { from, to: settled };
}

async function acquireLock(pool: pg.Pool, connectorId: string): Promise<pg.PoolClient> {
  const client = await pool.connect();
  try {
    const r = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok", [`telemetry-connector:${connectorId}`]);
    if (!r.rows[0]?.ok) throw new ConnectorBusyError(connectorId);
    return client;
  } catch (err) {
    client.release();
    throw err;
  }
}

async function releaseLock(client: pg.PoolClient, connectorId: string) {
  try {
    await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [`telemetry-connector:${connectorId}`]);
    client.release();
  } catch (err) {
    // A broken connection drops its session locks with it.
    client.release(err as Error);
  }
}

export async function runTelemetryConnector(opts: RunConnectorOptions): Promise<RunConnectorResult> {
  const { prisma, orgId, connectorId } = opts;
  const pool = opts.pool ?? pgPool();
  const now = opts.now ?? new Date();
  const started = performance.now();

  const connector = await prisma.connector.findFirst({ where: { id: connectorId, orgId } });
  if (!connector) throw Object.assign(new Error(`No connector ${connectorId} in this organization`), { code: "not_found" });
  const org = await prisma.org.findUniqueOrThrow({ where: { id: orgId }, select: { currency: true, runLabelKeys: true, settings: true } });

  const lock = await acquireLock(pool, connectorId);
  let driver: ConnectorDriver | undefined;
  let runId: string | undefined;
  const timings = { fetchMs: 0, writeMs: 0, refreshMs: 0, totalMs: 0 };
  const rows = { gpuHours: 0, gapHours: 0, trafficHours: 0, gpus: 0, workloads: 0 };
  let samples = 0;
  let minHour: number | null = null;
  let maxHour: number | null = null;
  let watermark = connector.watermark;
  let chunksDone = 0;
  let finished = false;

  const log = logger;
  try {
    driver = opts.driver ?? createDriver({ connector: connector as Connector, org, encryptionKey: opts.encryptionKey, hooks: opts.hooks });
    const window = planWindow({ explicit: opts.window, watermark: connector.watermark, now, backfillDays: driver.backfillDays, settleSeconds: driver.settleSeconds });
    const chunks = planChunks(window.from, window.to, driver.chunkHours);
    const run = await prisma.ingestionRun.create({
      data: {
        orgId,
        connectorId,
        source: opts.source ?? "CONNECTOR",
        kind: driver.ingestionKind,
        status: "RUNNING",
        windowStart: chunks.length ? new Date(window.from) : null,
        windowEnd: chunks.length ? new Date(window.to) : null,
        rowsTotal: null,
        startedAt: new Date(),
      },
      select: { id: true },
    });
    runId = run.id;
    await prisma.connector.update({ where: { id: connectorId }, data: { status: "RUNNING", lastRunAt: now } });

    if (chunks.length) await driver.prepare();
    // The next chunks are fetched while the current one is written (network and Prometheus overlap
    // with Postgres). A prefetch that fails is reported when its turn comes, after the chunks before
    // it have committed.
    const d = driver;
    const fetchOne = (chunk: ChunkWindow) => {
      const p = d.fetchChunk(chunk);
      p.catch(() => undefined);
      return p;
    };
    // Fetches in flight, in chunk order: the driver says how many chunks ahead it fetches.
    const ahead = Math.max(1, d.prefetchChunks ?? 1);
    const pending: Array<Promise<unknown>> = chunks.slice(0, ahead).map(fetchOne);
    for (const [i, chunk] of chunks.entries()) {
      const label = `${chunk.from.toISOString()} → ${chunk.to.toISOString()}`;
      try {
        const t0 = performance.now();
        const fetched = await pending.shift()!;
        const t1 = performance.now();
        timings.fetchMs += t1 - t0;
        const following = chunks[i + ahead];
        if (following) pending.push(fetchOne(following));
        const complete = chunk.to.getTime() % HOUR_MS === 0 ? chunk.to.getTime() : floorHour(chunk.to.getTime());
        const advance = opts.window ? watermark !== null && chunk.from.getTime() <= watermark.getTime() : true;
        const stats = await withPgTransaction(async (client) => {
          // The commit does not wait for its WAL flush: a crash can lose the last chunks, but only
          // together with the watermark they moved (one transaction), so the next run fetches them
          // again. The run's final status update (a synchronous commit) flushes them all.
          await client.query("SET LOCAL synchronous_commit = off");
          const s = await d.writeChunk(client, fetched, chunk);
          if (advance && (watermark === null || complete > watermark.getTime())) {
            await client.query("UPDATE connectors SET watermark = $1, updated_at = now() WHERE id = $2 AND org_id = $3", [new Date(complete), connectorId, orgId]);
            return { ...s, watermark: new Date(complete) };
          }
          return { ...s, watermark };
        }, pool);
        timings.writeMs += performance.now() - t1;
        watermark = stats.watermark;
        rows.gpuHours += stats.gpuHourRows;
        rows.gapHours += stats.gapRows;
        rows.trafficHours += stats.trafficRows;
        rows.gpus = Math.max(rows.gpus, stats.gpus);
        rows.workloads = Math.max(rows.workloads, stats.workloads);
        samples += stats.samples;
        if (stats.minHour !== null) minHour = minHour === null ? stats.minHour : Math.min(minHour, stats.minHour);
        if (stats.maxHour !== null) maxHour = maxHour === null ? stats.maxHour : Math.max(maxHour, stats.maxHour);
      } catch (err) {
        throw Object.assign(new Error(`${(err as Error).message} (chunk ${label}; nothing of this chunk was stored)`), { cause: err, code: (err as { code?: string }).code });
      }
      chunksDone++;
      await prisma.ingestionRun.update({
        where: { id: runId },
        data: { progress: chunksDone / chunks.length, rowsLoaded: rows.gpuHours + rows.gapHours + rows.trafficHours },
      });
      await opts.onProgress?.({ chunksDone, chunks: chunks.length, runId });
    }

    finished = true;
    const refreshed = await finish({ opts, driver, pool, minHour, maxHour, timings, runId });
    timings.totalMs = performance.now() - started;
    await prisma.$transaction([
      prisma.ingestionRun.update({
        where: { id: runId },
        data: { status: "SUCCEEDED", progress: 1, rowsLoaded: rows.gpuHours + rows.gapHours + rows.trafficHours, finishedAt: new Date() },
      }),
      prisma.connector.update({ where: { id: connectorId }, data: { status: "HEALTHY", lastSuccessAt: new Date(), lastError: null } }),
    ]);
    log.info({ connectorId, orgId, runId, chunks: chunks.length, rows, samples, ms: Math.round(timings.totalMs) }, "telemetry connector run succeeded");
    return {
      runId,
      connectorId,
      window: chunks.length ? { from: iso(window.from), to: iso(window.to) } : null,
      chunks: chunks.length,
      rows,
      samples,
      watermark: watermark?.toISOString() ?? null,
      refreshed,
      timings: roundTimings(timings),
    };
  } catch (err) {
    const message = (err as Error).message;
    // What earlier chunks stored is kept (their watermark moved): refresh it so the rollups agree.
    if (driver && !finished) await finish({ opts, driver, pool, minHour, maxHour, timings, runId }).catch((e: unknown) => log.warn({ connectorId, err: e }, "refresh after a failed run failed"));
    await Promise.allSettled([
      runId
        ? prisma.ingestionRun.update({ where: { id: runId }, data: { status: "FAILED", error: message, errorDetail: { chunksDone, watermark: watermark?.toISOString() ?? null }, finishedAt: new Date() } })
        : prisma.ingestionRun.create({ data: { orgId, connectorId, source: opts.source ?? "CONNECTOR", kind: connector.kind.toLowerCase(), status: "FAILED", error: message, startedAt: new Date(), finishedAt: new Date() } }),
      prisma.connector.update({ where: { id: connectorId }, data: { status: "FAILING", lastError: message.slice(0, 2000) } }),
    ]);
    log.warn({ connectorId, orgId, runId, err }, "telemetry connector run failed");
    throw err;
  } finally {
    driver?.close();
    await releaseLock(lock, connectorId);
  }
}

async function finish({
  opts,
  driver,
  pool,
  minHour,
  maxHour,
  timings,
  runId,
}: {
  opts: RunConnectorOptions;
  driver: ConnectorDriver;
  pool: pg.Pool;
  minHour: number | null;
  maxHour: number | null;
  timings: RunConnectorResult["timings"];
  runId: string | undefined;
}): Promise<{ from: string; to: string } | null> {
  if (minHour === null || maxHour === null) return null;
  const from = new Date(minHour);
  const to = new Date(maxHour + HOUR_MS);
  const t0 = performance.now();
  await driver.afterRun?.({ prisma: opts.prisma, pool, from, to });
  if (opts.refresh === "inline") {
    for (let t = from.getTime(); t < to.getTime(); t += MAX_REFRESH_WINDOW_HOURS * HOUR_MS) {
      await refreshRollups(opts.prisma, { orgId: opts.orgId, from: new Date(t), to: new Date(Math.min(to.getTime(), t + MAX_REFRESH_WINDOW_HOURS * HOUR_MS)) });
    }
  } else if (typeof opts.refresh === "function") {
    await opts.refresh({ orgId: opts.orgId, from, to, cause: runId ? `telemetry-${runId}` : "telemetry" });
  }
  timings.refreshMs += performance.now() - t0;
  return { from: from.toISOString(), to: to.toISOString() };
}

function roundTimings(t: RunConnectorResult["timings"]): RunConnectorResult["timings"] {
  return { fetchMs: Math.round(t.fetchMs), writeMs: Math.round(t.writeMs), refreshMs: Math.round(t.refreshMs), totalMs: Math.round(t.totalMs) };
}
