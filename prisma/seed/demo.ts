// `burnrate seed --demo`: a realistic, deterministic AI org "demo" (see demo-fleet.ts for the fleet).
// Bills go through the real ingestion pipeline (a FOCUS CSV file, as a cloud delivers it). Telemetry
// goes through the real Prometheus connector: one connector per cluster, each run against an
// in-process Prometheus (demo-prometheus.ts) that answers query_range from the series the fleet's
// exporters would have scraped (demo-telemetry.ts), so the connector's client, parsing, hourly
// aggregation, workload identity, storage, watermark and GPU-to-bill linking all run. The hourly
// rollup refresh then runs exactly as the worker runs it, so rates and workload costs come from the
// same code as production.
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import type { PrismaClient } from "../../lib/db/client";
import { csvField, type CopyValue } from "../../lib/db/copy";
import { ingestBills } from "../../lib/ingest/ingest-bills";
import { createIngestionRun } from "../../lib/ingest/runs";
import type { PrometheusConfigInput } from "../../lib/connectors/prometheus/config";
import { createTelemetryConnector, updateTelemetryConnector } from "../../lib/telemetry/connectors";
import { runTelemetryConnector } from "../../lib/telemetry/run-connector";
import { createOrg } from "../../lib/orgs/create-org";
import { hashPassword } from "../../lib/auth/passwords";
import { MAX_REFRESH_WINDOW_HOURS, refreshRollups } from "../../lib/costs/refresh-rollups";
import { demoBillRows, type FocusRow } from "./demo-bills";
import { CLUSTERS, SERVICES } from "./demo-fleet";
import { createInProcessPrometheus } from "./demo-prometheus";
import { buildDemoFleetData, COUNTER_SCRAPE_MS } from "./demo-telemetry";

export const DEMO_SLUG = "demo";
export const DEMO_PASSWORD = "burnrate-demo";
export const DEMO_USERS = [
  { email: "demo@burnrate.dev", name: "Dana Demo", role: "ADMIN" },
  { email: "finance@burnrate.dev", name: "Finn Ance", role: "FINANCE" },
  { email: "ml@burnrate.dev", name: "Mei Lead", role: "ML_LEAD" },
  { email: "viewer@burnrate.dev", name: "Vic Viewer", role: "VIEWER" },
] as const;

const HOUR = 3_600_000;
const SEED = 20261128;
export { LATENCY_BOUNDS } from "./demo-telemetry";

export type DemoSummary = {
  org: string;
  window: { from: string; to: string };
  clusters: number;
  gpus: number;
  workloads: { trainingRuns: number; inferenceServices: number };
  rows: { billLineItems: number; gpuHourly: number; workloadHourly: number };
  rollups: { gpuHours: number; workloadHours: number };
  /** The Prometheus connector runs that brought the telemetry in (one per cluster). */
  connectors: Array<{ id: string; name: string; runId: string; chunks: number; samples: number; ms: number; rows: { gpuHours: number; gapHours: number; trafficHours: number } }>;
  logins: Array<{ email: string; role: string }>;
  password: string;
};

/** The deterministic fleet, schedule and scraped series of the demo window ending at `now`'s hour. */
export function demoFleetData({ now, days = 30 }: { now: Date; days?: number }) {
  return buildDemoFleetData({ now, days, seed: SEED });
}

export async function seedDemo({ prisma, now = new Date(), days = 30 }: { prisma: PrismaClient; now?: Date; days?: number }): Promise<DemoSummary> {
  const end = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
  const hours = days * 24;
  const start = new Date(end.getTime() - hours * HOUR);

  // Replace any previous demo org wholesale (cascades to every tenant row).
  await prisma.org.deleteMany({ where: { slug: DEMO_SLUG } });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const users: Array<{ id: string }> = [];
  for (const u of DEMO_USERS) {
    users.push(await prisma.user.upsert({ where: { email: u.email }, update: { passwordHash, name: u.name }, create: { email: u.email, name: u.name, passwordHash } }));
  }
  const org = await createOrg(prisma, { slug: DEMO_SLUG, name: "Demo AI Inc.", adminUserId: users[0]!.id });
  await prisma.membership.createMany({ data: DEMO_USERS.slice(1).map((u, i) => ({ orgId: org.id, userId: users[i + 1]!.id, role: u.role })) });

  const clusterIds = new Map<string, string>();
  for (const c of CLUSTERS) {
    const row = await prisma.cluster.create({
      data: {
        orgId: org.id,
        name: c.name,
        provider: c.provider,
        region: c.region,
        ...(c.onPrem
          ? { capexPerServer: c.onPrem.capexPerServer, lifeYears: c.onPrem.lifeYears, powerKwPerServer: c.onPrem.powerKwPerServer, pue: c.onPrem.pue, pricePerKwh: c.onPrem.pricePerKwh, colocationHourly: c.onPrem.colocationHourly, gpusPerServer: c.onPrem.gpusPerServer }
          : {}),
      },
    });
    clusterIds.set(c.name, row.id);
  }

  const fleet = buildDemoFleetData({ now, days, seed: SEED });
  const { nodes, schedule, specs } = fleet;

  // Workloads: services and the training runs, registered with their team and checkpoint policy (what
  // labels do not say). Telemetry attaches to them by (kind, namespace, name); first/last seen come
  // from the telemetry (LEAST/GREATEST with these bounds).
  await prisma.workload.createMany({
    data: specs.map((s) => ({
      orgId: org.id,
      clusterId: clusterIds.get(s.cluster)!,
      kind: s.kind,
      name: s.name,
      namespace: s.namespace,
      team: s.team,
      framework: s.framework,
      modelName: s.modelName ?? null,
      labels: s.kind === "TRAINING_RUN" ? { run_id: s.name, team: s.team } : { app: s.name, team: s.team, model_name: s.modelName ?? s.name },
      interruptible: s.interruptible,
      checkpointIntervalMinutes: s.checkpointIntervalMinutes ?? null,
      firstSeenAt: end,
      lastSeenAt: start,
    })),
  });

  // Bills: written as the FOCUS CSV (gzip) a cloud would deliver, and ingested through the real
  // pipeline (format detection, normalization, GPU recognition from the org's catalog, staging swap).
  // Before telemetry, so the connector runs can link GPUs to the billed instances. They cover the
  // telemetry window and the same length before it, so "this period vs the previous one" compares two
  // billed periods (the earlier one has bills only: the fleet's telemetry starts with the window).
  // The window's rows are generated exactly as before (same seed); the earlier period has its own.
  const billLineItems = await ingestDemoBills({ prisma, orgId: org.id, rows: demoBillPeriods({ nodes, start, hours }) });

  // Telemetry: one Prometheus connector per cluster, each backfilling the window from its cluster's
  // in-process Prometheus through the connector's own run (chunks, watermark, ingestion_runs row).
  // The connectors are then disabled: their URL names no real server, so the worker must not poll it.
  // The three run concurrently (their GPUs differ; the one workload two clusters share is upserted
  // commutatively), as three Prometheus servers would be polled.
  const connectors: DemoSummary["connectors"] = await Promise.all(
    CLUSTERS.map(async (c) => {
      const config: PrometheusConfigInput = {
        url: `http://prometheus.${c.name}.demo.invalid:9090`,
        clusterId: clusterIds.get(c.name)!,
        backfillDays: days,
        settleSeconds: 0,
        counterStepSeconds: COUNTER_SCRAPE_MS / 1000,
      };
      const connector = await createTelemetryConnector(prisma, { orgId: org.id, kind: "PROMETHEUS", name: `Prometheus ${c.name} (demo, in-process)`, config });
      const run = await runTelemetryConnector({
        prisma,
        orgId: org.id,
        connectorId: connector.id,
        now: end,
        source: "DEMO",
        refresh: "none",
        hooks: { prometheusTransport: createInProcessPrometheus(fleet.series.get(c.name) ?? []) },
      });
      await updateTelemetryConnector(prisma, { orgId: org.id, connectorId: connector.id, enabled: false });
      return { id: connector.id, name: connector.name, runId: run.runId, chunks: run.chunks, samples: run.samples, ms: run.timings.totalMs, rows: run.rows };
    }),
  );
  const rows = {
    gpuHourly: connectors.reduce((n, c) => n + c.rows.gpuHours + c.rows.gapHours, 0),
    workloadHourly: connectors.reduce((n, c) => n + c.rows.trafficHours, 0),
  };
  const summary = { billLineItems, ...rows };
  const gpuCount = await prisma.gpu.count({ where: { orgId: org.id } });

  // Fresh statistics after a bulk load, so the planner sees tens of thousands of rows, not an empty table.
  await prisma.$executeRawUnsafe("ANALYZE bill_line_items, gpu_hourly, workload_hourly, gpus");

  // Rates and workload costs, computed by the same refresh the worker runs after every ingestion.
  const rollups = { gpuHours: 0, workloadHours: 0 };
  for (let t = start.getTime(); t < end.getTime(); t += MAX_REFRESH_WINDOW_HOURS * HOUR) {
    const r = await refreshRollups(prisma, { orgId: org.id, from: new Date(t), to: new Date(Math.min(end.getTime(), t + MAX_REFRESH_WINDOW_HOURS * HOUR)) });
    rollups.gpuHours += r.gpuHourRows;
    rollups.workloadHours += r.workloadHourRows;
  }

  // Budgets: an org-wide monthly budget with headroom, and team budgets of which one is overrun.
  const monthStart = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), 1));
  const teamSpend = await prisma.$queryRaw<Array<{ team: string | null; spend: string }>>`
    SELECT tags->>'team' AS team, SUM(effective_cost)::text AS spend
    FROM bill_line_items
    WHERE org_id = ${org.id} AND charge_period_start >= ${monthStart} AND charge_period_start < ${end}
    GROUP BY 1`;
  const spendOf = (team: string | null) => Number(teamSpend.find((r) => r.team === team)?.spend ?? 0);
  const orgSpend = teamSpend.reduce((s, r) => s + Number(r.spend), 0);
  const daysIntoMonth = Math.max(1, (end.getTime() - monthStart.getTime()) / (24 * HOUR));
  const daysInMonth = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  const roundTo = (x: number, step: number) => Math.max(step, Math.round(x / step) * step);
  await prisma.budget.createMany({
    data: [
      { orgId: org.id, name: "Cloud and on-prem AI spend", period: "MONTH", amount: roundTo((orgSpend / daysIntoMonth) * daysInMonth * 1.15, 10_000), scopeKind: "ORG" },
      // Set below what the team has already spent this month: the overrun the demo should show.
      { orgId: org.id, name: "LLM research GPUs", period: "MONTH", amount: roundTo(spendOf("llm-research") * 0.85, 100), scopeKind: "TEAM", scopeValue: "llm-research" },
      { orgId: org.id, name: "Inference platform", period: "QUARTER", amount: roundTo((spendOf("inference-platform") / daysIntoMonth) * 92 * 1.1, 10_000), scopeKind: "TEAM", scopeValue: "inference-platform" },
      { orgId: org.id, name: "Vision team", period: "MONTH", amount: roundTo((spendOf("vision") / daysIntoMonth) * daysInMonth * 1.05, 1_000), scopeKind: "TEAM", scopeValue: "vision" },
    ],
  });

  return {
    org: org.slug,
    window: { from: start.toISOString(), to: end.toISOString() },
    clusters: CLUSTERS.length,
    gpus: gpuCount,
    workloads: { trainingRuns: schedule.runs.length, inferenceServices: SERVICES.length },
    rows: summary,
    rollups,
    connectors,
    logins: DEMO_USERS.map((u) => ({ email: u.email, role: u.role })),
    password: DEMO_PASSWORD,
  };
}


/** The demo's bill: the `hours` before `start` (bills only), then the telemetry window from `start`. */
function* demoBillPeriods({ nodes, start, hours }: { nodes: Parameters<typeof demoBillRows>[0]["nodes"]; start: Date; hours: number }): Generator<FocusRow> {
  yield* demoBillRows({ nodes, start: new Date(start.getTime() - hours * HOUR), hours, seed: SEED + 1, credit: false });
  yield* demoBillRows({ nodes, start, hours, seed: SEED });
}

/** Writes the demo's FOCUS rows as a gzip FOCUS 1.0 CSV in a temporary directory and ingests it (source DEMO). */
async function ingestDemoBills({ prisma, orgId, rows }: { prisma: PrismaClient; orgId: string; rows: Iterable<FocusRow> }): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "burnrate-demo-"));
  const file = path.join(dir, "demo-focus-1.0.csv.gz");
  try {
    async function* lines() {
      let header: string[] | undefined;
      let batch = "";
      for (const r of rows) {
        if (!header) {
          header = Object.keys(r);
          batch += header.join(",") + "\n";
        }
        batch += header.map((k) => csvField(r[k as keyof FocusRow] as CopyValue)).join(",") + "\n";
        if (batch.length > 1 << 16) {
          yield batch;
          batch = "";
        }
      }
      if (batch) yield batch;
    }
    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(file));
    const run = await createIngestionRun(prisma, { orgId, source: "DEMO", fileName: path.basename(file), sourceUri: file });
    const summary = await ingestBills({ prisma, orgId, runId: run.id, files: [{ path: file, name: path.basename(file) }] });
    // The file was temporary: a re-run of the demo's run would have nothing to read.
    await prisma.ingestionRun.update({ where: { id: run.id }, data: { sourceUri: null } });
    return summary.rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
