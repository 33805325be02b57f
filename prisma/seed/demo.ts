// `burnrate seed --demo`: a realistic, deterministic AI org "demo" (see demo-fleet.ts for the fleet).
// Bills go through the real ingestion pipeline (a FOCUS CSV file, as a cloud delivers it). Until the
// telemetry connectors exist, hourly GPU telemetry is written straight to the tables they would fill
// (through COPY); the hourly rollup refresh then runs exactly as the worker runs it, so rates and
// workload costs come from the same code as production.
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import type pg from "pg";
import type { PrismaClient } from "../../lib/db/client";
import { copyRows, csvField, type CopyValue } from "../../lib/db/copy";
import { ingestBills } from "../../lib/ingest/ingest-bills";
import { createIngestionRun } from "../../lib/ingest/runs";
import { withPgTransaction } from "../../lib/db/pg";
import { createOrg } from "../../lib/orgs/create-org";
import { hashPassword } from "../../lib/auth/passwords";
import { MAX_REFRESH_WINDOW_HOURS, refreshRollups } from "../../lib/costs/refresh-rollups";
import { demoBillRows, type FocusRow } from "./demo-bills";
import { buildNodes, buildTrainingSchedule, CLUSTERS, IDLE_NODES, OUTAGES, SERVICE_PLACEMENT, SERVICES, type WorkloadSpec } from "./demo-fleet";
import { clamp, createRng } from "./random";

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
/** Latency histogram bounds in seconds (vLLM's e2e latency buckets, trimmed). */
export const LATENCY_BOUNDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40];

export type DemoSummary = {
  org: string;
  window: { from: string; to: string };
  clusters: number;
  gpus: number;
  workloads: { trainingRuns: number; inferenceServices: number };
  rows: { billLineItems: number; gpuHourly: number; workloadHourly: number };
  rollups: { gpuHours: number; workloadHours: number };
  logins: Array<{ email: string; role: string }>;
  password: string;
};

/** Daily demand shape for inference (0..1), peaking mid-afternoon US time, lower on weekends. */
function diurnal(t: Date): number {
  const localHour = (t.getUTCHours() + 24 - 6) % 24; // US Central
  const day = Math.max(0, Math.sin((Math.PI * (localHour - 6)) / 16));
  const weekend = [0, 6].includes(t.getUTCDay()) ? 0.55 : 1;
  return (0.12 + 0.88 * day) * weekend;
}

/** Cumulative histogram counts for `n` requests with median `median` seconds (log-normal spread). */
function latencyHistogram(n: number, median: number, sigma: number): number[] {
  const cdf = (x: number) => 0.5 * (1 + erf(Math.log(x / median) / (sigma * Math.SQRT2)));
  return [...LATENCY_BOUNDS.map((b) => Math.round(n * cdf(b))), n];
}

function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

export async function seedDemo({ prisma, now = new Date(), days = 30 }: { prisma: PrismaClient; now?: Date; days?: number }): Promise<DemoSummary> {
  const end = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
  const hours = days * 24;
  const start = new Date(end.getTime() - hours * HOUR);
  const rng = createRng(SEED);

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

  // GPUs.
  const nodes = buildNodes(rng);
  const gpuRows = nodes.flatMap((n) =>
    Array.from({ length: n.gpuCount }, (_, i) => ({
      node: n,
      index: i,
      uuid: `GPU-${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`,
    })),
  );
  const createdGpus = await prisma.gpu.createManyAndReturn({
    data: gpuRows.map((g) => ({
      orgId: org.id,
      clusterId: clusterIds.get(g.node.cluster)!,
      uuid: g.uuid,
      gpuIndex: g.index,
      model: g.node.gpuModel,
      hostname: g.node.hostname,
      providerInstanceId: g.node.resourceId,
      instanceType: g.node.instanceType,
      memoryMib: g.node.memoryMib,
      firstSeenAt: start,
      lastSeenAt: new Date(end.getTime() - HOUR),
    })),
    select: { id: true, uuid: true },
  });
  const gpuIdByUuid = new Map(createdGpus.map((g) => [g.uuid, g.id]));

  // Workloads: services and the training schedule.
  const schedule = buildTrainingSchedule({ start, hours, seed: SEED });
  const specs: WorkloadSpec[] = [...SERVICES, ...schedule.runs];
  const createdWorkloads = await prisma.workload.createManyAndReturn({
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
    })),
    select: { id: true, name: true, kind: true },
  });
  const workloadIdByKey = new Map(specs.map((s) => [s.key, createdWorkloads.find((w) => w.name === s.name && w.kind === s.kind)!.id]));
  const specByKey = new Map(specs.map((s) => [s.key, s]));

  // Hour-by-hour occupant of each GPU: (node, gpu index, hour) → workload key.
  const occupant = new Map<string, Array<string | undefined>>();
  const slot = (node: string, gpu: number) => {
    const k = `${node}/${gpu}`;
    if (!occupant.has(k)) occupant.set(k, new Array<string | undefined>(hours));
    return occupant.get(k)!;
  };
  for (const p of SERVICE_PLACEMENT) for (const g of p.gpus) slot(p.node, g).fill(p.service);
  for (const p of schedule.placements) {
    for (const node of p.nodes) {
      const n = nodes.find((x) => x.name === node)!;
      const gpus = p.gpus === "all" ? Array.from({ length: n.gpuCount }, (_, i) => i) : p.gpus;
      for (const g of gpus) slot(node, g).fill(p.workloadKey, p.fromHour, p.toHour);
    }
  }

  // Bills: written as the FOCUS CSV (gzip) a cloud would deliver, and ingested through the real
  // pipeline (format detection, normalization, GPU recognition from the org's catalog, staging swap).
  const billLineItems = await ingestDemoBills({ prisma, orgId: org.id, rows: demoBillRows({ nodes, start, hours, seed: SEED }) });

  const summary = await withPgTransaction(async (client: pg.PoolClient) => {
    // Hourly GPU telemetry rollups (what the DCGM connector will produce).
    const trng = createRng(SEED ^ 0x7e1e);
    const serviceLoad = new Map<string, number[]>();
    const gpuHourly = await copyRows(client, {
      table: "gpu_hourly",
      columns: ["org_id", "gpu_id", "hour", "utilization", "sm_active", "tensor_active", "mem_used_mib", "mem_total_mib", "power_w", "samples", "gpu_hours", "workload_id", "namespace", "pod"],
      rows: (function* () {
        for (const g of gpuRows) {
          const n = g.node;
          const occ = slot(n.name, g.index);
          const outages = OUTAGES.filter((o) => o.node === n.name);
          const podSuffix = trng.hex(5);
          for (let h = 0; h < hours; h++) {
            const t = new Date(start.getTime() + h * HOUR);
            const key = occ[h];
            const spec = key ? specByKey.get(key) : undefined;
            const missing = outages.some((o) => h >= o.fromHour && h < o.toHour);
            let util: number;
            if (!spec || IDLE_NODES.includes(n.name)) util = clamp(trng.normal(0.004, 0.004), 0, 0.03);
            else if (spec.kind === "INFERENCE_SERVICE") {
              const load = diurnal(t);
              util = clamp(spec.efficiency * (0.15 + 0.85 * load) + trng.normal(0, 0.03), 0.02, 0.99);
            } else util = clamp(trng.normal(spec.efficiency, 0.05), 0.05, 0.99);
            const pod = spec ? (spec.kind === "TRAINING_RUN" ? `${spec.name}-${n.name.slice(-1)}` : `${spec.name}-7d9c5b6f8-${podSuffix}`) : null;
            const row = [
              org.id,
              gpuIdByUuid.get(g.uuid)!,
              t,
              missing ? null : round4(util),
              missing ? null : round4(util * 0.92),
              missing ? null : round4(spec ? util * 0.55 : 0),
              missing ? null : Math.round(spec ? 18000 + util * (n.memoryMib - 24000) : 480),
              missing ? null : n.memoryMib,
              missing ? null : Math.round(10 * (n.idleW + (n.maxW - n.idleW) * Math.pow(util, 0.9) + trng.normal(0, 5))) / 10,
              missing ? 0 : 120,
              1,
              spec ? workloadIdByKey.get(spec.key)! : null,
              spec?.namespace ?? null,
              pod,
            ];
            if (spec?.kind === "INFERENCE_SERVICE" && !missing) {
              const arr = serviceLoad.get(spec.key) ?? new Array<number>(hours).fill(0);
              arr[h]! += 1;
              serviceLoad.set(spec.key, arr);
            }
            yield row;
          }
        }
      })(),
    });

    // Inference traffic per service-hour (what the vLLM/Triton connectors will produce).
    const wrng = createRng(SEED ^ 0x1f3);
    const incidentDay = Math.min(days - 2, 21);
    const workloadHourly = await copyRows(client, {
      table: "workload_hourly",
      columns: ["org_id", "workload_id", "hour", "inferences", "failures", "prompt_tokens", "generation_tokens", "latency_histogram", "currency"],
      rows: (function* () {
        for (const s of SERVICES) {
          for (let h = 0; h < hours; h++) {
            const t = new Date(start.getTime() + h * HOUR);
            const load = diurnal(t);
            const requests = Math.round(s.peakRequestsPerHour! * load * wrng.between(0.93, 1.07));
            const incident = s.key === "svc:llama" && Math.floor(h / 24) === incidentDay && t.getUTCHours() >= 14 && t.getUTCHours() < 18;
            const failures = Math.round(requests * (incident ? 0.06 : wrng.between(0.0005, 0.003)));
            const median = s.baseLatency! * (1 + 0.6 * load) * (incident ? 3.2 : 1);
            const hist = latencyHistogram(requests, median, 0.55);
            yield [
              org.id,
              workloadIdByKey.get(s.key)!,
              t,
              requests - failures,
              failures,
              s.promptTokens ? Math.round((requests - failures) * s.promptTokens * wrng.between(0.9, 1.1)) : 0,
              s.generationTokens ? Math.round((requests - failures) * s.generationTokens * wrng.between(0.9, 1.1)) : 0,
              JSON.stringify({ le: LATENCY_BOUNDS, counts: hist }),
              "USD",
            ];
          }
        }
      })(),
    });
    return { billLineItems, gpuHourly, workloadHourly };
  });

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
    gpus: createdGpus.length,
    workloads: { trainingRuns: schedule.runs.length, inferenceServices: SERVICES.length },
    rows: summary,
    rollups,
    logins: DEMO_USERS.map((u) => ({ email: u.email, role: u.role })),
    password: DEMO_PASSWORD,
  };
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

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
