// What the recommendations read: hourly GPU demand per GPU type and the usage of GPUs, workloads and
// inference services over a lookback window, from the cost engine's hourly rollups (gpu_hourly,
// workload_hourly). Org-scoped and time-bounded. Money leaves SQL as float8 here on purpose: these are
// estimates fed to an optimizer (utilization is a float already); stored savings are rounded to cents.
import { Prisma, type PrismaClient } from "../db/client";
import type { GpuTypeDemand } from "./plan";
import type { GpuUsage, ServiceUsage, WorkloadUsage } from "./efficiency";

const HOUR = 3_600_000;

export type UsageWindow = { from: Date; to: Date; hours: number };

/**
 * The window: `lookbackDays` back from the last hour with GPU data before `now` (so a fleet whose data
 * stopped a while ago is still judged on its last weeks), clipped to the first hour with data.
 * Null when the org has no GPU-hours in the last `lookbackDays` before now... or ever in range.
 */
export async function resolveWindow(prisma: PrismaClient, { orgId, lookbackDays, now }: { orgId: string; lookbackDays: number; now: Date }): Promise<UsageWindow | null> {
  const nowHour = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
  // Look for data up to two lookbacks back: bounded, never all history.
  const earliest = new Date(nowHour.getTime() - 2 * lookbackDays * 24 * HOUR);
  const [last] = await prisma.$queryRaw<Array<{ last: Date | null }>>`
    SELECT max(hour) AS last FROM gpu_hourly WHERE org_id = ${orgId} AND hour >= ${earliest} AND hour < ${nowHour}`;
  if (!last?.last) return null;
  const to = new Date(last.last.getTime() + HOUR);
  const lookbackFrom = new Date(to.getTime() - lookbackDays * 24 * HOUR);
  const [first] = await prisma.$queryRaw<Array<{ first: Date | null }>>`
    SELECT min(hour) AS first FROM gpu_hourly WHERE org_id = ${orgId} AND hour >= ${lookbackFrom} AND hour < ${to}`;
  const from = first?.first && first.first > lookbackFrom ? first.first : lookbackFrom;
  return { from, to, hours: Math.round((to.getTime() - from.getTime()) / HOUR) };
}

/**
 * Spot-eligible: flagged interruptible, not an inference service (serving with a latency SLO never is),
 * no enabled latency SLO, and a training run must checkpoint.
 */
const INTERRUPTIBLE_SQL = (orgId: string) => Prisma.sql`(w.interruptible AND w.kind <> 'INFERENCE_SERVICE'
  AND (w.kind <> 'TRAINING_RUN' OR w.checkpoint_interval_minutes IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM slo_definitions s WHERE s.org_id = ${orgId} AND s.workload_id = w.id AND s.kind = 'LATENCY' AND s.enabled))`;

/** Hourly demand per GPU type: one entry per hour of the window (zero where nothing ran). */
export async function loadDemand(prisma: PrismaClient, { orgId, currency, window }: { orgId: string; currency: string; window: UsageWindow }): Promise<GpuTypeDemand[]> {
  const rows = await prisma.$queryRaw<Array<{ model: string; provider: string; hour: Date; d: number; i: number | null; cost: number | null; priced_gh: number | null; unpriced_gh: number | null }>>`
    SELECT g.model, COALESCE(c.provider, 'unassigned') AS provider, h.hour,
           SUM(h.gpu_hours)::float8 AS d,
           SUM(h.gpu_hours) FILTER (WHERE ${INTERRUPTIBLE_SQL(orgId)})::float8 AS i,
           SUM(h.rate * h.gpu_hours) FILTER (WHERE h.rate IS NOT NULL AND h.currency = ${currency})::float8 AS cost,
           SUM(h.gpu_hours) FILTER (WHERE h.rate IS NOT NULL AND h.currency = ${currency})::float8 AS priced_gh,
           SUM(h.gpu_hours) FILTER (WHERE h.rate IS NULL OR h.currency IS DISTINCT FROM ${currency})::float8 AS unpriced_gh
    FROM gpu_hourly h
    JOIN gpus g ON g.id = h.gpu_id AND g.org_id = ${orgId}
    LEFT JOIN workloads w ON w.id = h.workload_id AND w.org_id = ${orgId}
    LEFT JOIN clusters c ON c.id = g.cluster_id AND c.org_id = ${orgId}
    WHERE h.org_id = ${orgId} AND h.hour >= ${window.from} AND h.hour < ${window.to}
      -- GPUs the org already owns are not bought again: the split is about cloud capacity.
      AND COALESCE(c.provider, '') <> 'onprem' AND COALESCE(h.pricing_category, '') <> 'on-prem'
    GROUP BY 1, 2, 3`;
  const byModel = new Map<string, GpuTypeDemand & { pricedGh: number }>();
  for (const r of rows) {
    const key = `${r.model} · ${r.provider}`;
    let m = byModel.get(key);
    if (!m) {
      m = { gpuModel: r.model, provider: r.provider, key, demand: new Array(window.hours).fill(0), interruptible: new Array(window.hours).fill(0), observedHourly: null, unpricedGpuHours: 0, pricedCost: 0, pricedGh: 0 };
      byModel.set(key, m);
    }
    const idx = Math.round((r.hour.getTime() - window.from.getTime()) / HOUR);
    if (idx < 0 || idx >= window.hours) continue;
    m.demand[idx] = r.d;
    m.interruptible[idx] = Math.min(r.d, r.i ?? 0);
    m.pricedCost += r.cost ?? 0;
    m.pricedGh += r.priced_gh ?? 0;
    m.unpricedGpuHours += r.unpriced_gh ?? 0;
  }
  return [...byModel.values()]
    .map(({ pricedGh, ...m }) => ({ ...m, observedHourly: pricedGh > 0 ? m.pricedCost / pricedGh : null }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

/** Per GPU: hours, known hours, idle hours and idle cost (utilization below the org's idle threshold). */
export async function loadGpuUsage(prisma: PrismaClient, { orgId, currency, idleThreshold, window }: { orgId: string; currency: string; idleThreshold: number; window: UsageWindow }): Promise<GpuUsage[]> {
  const rows = await prisma.$queryRaw<Array<{ gpu_id: string; uuid: string; host: string; model: string; cluster: string; hours: number; known: number; idle: number; idle_cost: number; cost: number }>>`
    SELECT g.id AS gpu_id, g.uuid, COALESCE(g.hostname, g.provider_instance_id, g.uuid) AS host, g.model, COALESCE(c.name, 'unassigned') AS cluster,
           SUM(h.gpu_hours)::float8 AS hours,
           COALESCE(SUM(h.gpu_hours) FILTER (WHERE h.utilization IS NOT NULL), 0)::float8 AS known,
           COALESCE(SUM(h.gpu_hours) FILTER (WHERE h.utilization < ${idleThreshold}), 0)::float8 AS idle,
           COALESCE(SUM(h.rate * h.gpu_hours) FILTER (WHERE h.utilization < ${idleThreshold} AND h.currency = ${currency}), 0)::float8 AS idle_cost,
           COALESCE(SUM(h.rate * h.gpu_hours) FILTER (WHERE h.currency = ${currency}), 0)::float8 AS cost
    FROM gpu_hourly h
    JOIN gpus g ON g.id = h.gpu_id AND g.org_id = ${orgId}
    LEFT JOIN clusters c ON c.id = g.cluster_id AND c.org_id = ${orgId}
    WHERE h.org_id = ${orgId} AND h.hour >= ${window.from} AND h.hour < ${window.to}
    GROUP BY 1, 2, 3, 4, 5`;
  return rows.map((r) => ({ gpuId: r.gpu_id, uuid: r.uuid, host: r.host, gpuModel: r.model, cluster: r.cluster, hours: r.hours, knownHours: r.known, idleHours: r.idle, idleCost: r.idle_cost, cost: r.cost }));
}

/** Per workload: GPU-hours, known GPU-hours, useful GPU-hours and GPU cost. */
export async function loadWorkloadUsage(prisma: PrismaClient, { orgId, currency, window }: { orgId: string; currency: string; window: UsageWindow }): Promise<WorkloadUsage[]> {
  const rows = await prisma.$queryRaw<Array<{ id: string; kind: WorkloadUsage["kind"]; name: string; namespace: string; team: string | null; gh: number; known: number; useful: number; cost: number }>>`
    SELECT w.id, w.kind::text AS kind, w.name, w.namespace, NULLIF(w.team, '') AS team,
           SUM(h.gpu_hours)::float8 AS gh,
           COALESCE(SUM(h.gpu_hours) FILTER (WHERE h.utilization IS NOT NULL), 0)::float8 AS known,
           COALESCE(SUM(LEAST(GREATEST(h.utilization, 0), 1) * h.gpu_hours::float8) FILTER (WHERE h.utilization IS NOT NULL), 0)::float8 AS useful,
           COALESCE(SUM(h.rate * h.gpu_hours) FILTER (WHERE h.currency = ${currency}), 0)::float8 AS cost
    FROM gpu_hourly h
    JOIN workloads w ON w.id = h.workload_id AND w.org_id = ${orgId}
    WHERE h.org_id = ${orgId} AND h.hour >= ${window.from} AND h.hour < ${window.to}
    GROUP BY 1, 2, 3, 4, 5`;
  return rows.map((r) => ({ workloadId: r.id, kind: r.kind, name: r.name, namespace: r.namespace, team: r.team, gpuHours: r.gh, knownGpuHours: r.known, usefulGpuHours: r.useful, cost: r.cost }));
}

/** Per inference service and hour: GPUs, utilization, memory fraction, tokens and cost. */
export async function loadServiceUsage(prisma: PrismaClient, { orgId, currency, window }: { orgId: string; currency: string; window: UsageWindow }): Promise<ServiceUsage[]> {
  const rows = await prisma.$queryRaw<Array<{ id: string; name: string; namespace: string; team: string | null; model_name: string | null; hour: Date; gpus: number; util: number | null; mem: number | null; cost: number; tokens: number | null }>>`
    WITH g AS (
      SELECT h.workload_id, h.hour,
             SUM(h.gpu_hours)::float8 AS gpus,
             (SUM(LEAST(GREATEST(h.utilization, 0), 1) * h.gpu_hours::float8) FILTER (WHERE h.utilization IS NOT NULL)
               / NULLIF(SUM(h.gpu_hours) FILTER (WHERE h.utilization IS NOT NULL), 0)::float8) AS util,
             SUM(h.mem_used_mib) FILTER (WHERE h.mem_total_mib > 0) / NULLIF(SUM(h.mem_total_mib) FILTER (WHERE h.mem_total_mib > 0), 0) AS mem,
             COALESCE(SUM(h.rate * h.gpu_hours) FILTER (WHERE h.currency = ${currency}), 0)::float8 AS cost
      FROM gpu_hourly h
      JOIN workloads w ON w.id = h.workload_id AND w.org_id = ${orgId} AND w.kind = 'INFERENCE_SERVICE'
      WHERE h.org_id = ${orgId} AND h.hour >= ${window.from} AND h.hour < ${window.to}
      GROUP BY 1, 2
    )
    SELECT w.id, w.name, w.namespace, NULLIF(w.team, '') AS team, w.model_name, g.hour, g.gpus, g.util, g.mem, g.cost,
           (wh.prompt_tokens + wh.generation_tokens) AS tokens
    FROM g
    JOIN workloads w ON w.id = g.workload_id AND w.org_id = ${orgId}
    LEFT JOIN workload_hourly wh ON wh.workload_id = g.workload_id AND wh.hour = g.hour AND wh.org_id = ${orgId}
    ORDER BY w.id, g.hour`;
  const byId = new Map<string, ServiceUsage>();
  for (const r of rows) {
    let s = byId.get(r.id);
    if (!s) {
      s = { workloadId: r.id, name: r.name, namespace: r.namespace, team: r.team, modelName: r.model_name, hours: [] };
      byId.set(r.id, s);
    }
    s.hours.push({ gpus: r.gpus, utilization: r.util, memoryFraction: r.mem === null ? null : Math.min(1, r.mem), tokens: r.tokens ?? 0, cost: r.cost });
  }
  return [...byId.values()];
}

export type ScopeCostFilter = { gpuIds?: string[]; workloadId?: string; team?: string; gpuModel?: string; provider?: string };

/** What a recommendation's scope cost per month over a window (for realised savings). */
export async function scopeMonthlyCost(prisma: PrismaClient, { orgId, currency, from, to, scope }: { orgId: string; currency: string; from: Date; to: Date; scope: ScopeCostFilter }): Promise<{ monthly: number; hours: number }> {
  const conds: Prisma.Sql[] = [];
  if (scope.gpuIds?.length) conds.push(Prisma.sql`h.gpu_id = ANY(${scope.gpuIds}::text[])`);
  if (scope.workloadId) conds.push(Prisma.sql`h.workload_id = ${scope.workloadId}`);
  if (scope.team) conds.push(Prisma.sql`h.workload_id IN (SELECT id FROM workloads WHERE org_id = ${orgId} AND team = ${scope.team})`);
  if (scope.gpuModel) conds.push(Prisma.sql`h.gpu_id IN (SELECT id FROM gpus WHERE org_id = ${orgId} AND model = ${scope.gpuModel})`);
  if (scope.provider) {
    conds.push(Prisma.sql`h.gpu_id IN (SELECT g.id FROM gpus g LEFT JOIN clusters c ON c.id = g.cluster_id AND c.org_id = ${orgId}
      WHERE g.org_id = ${orgId} AND COALESCE(c.provider, 'unassigned') = ${scope.provider})`);
  }
  if (!conds.length) return { monthly: 0, hours: 0 };
  const [r] = await prisma.$queryRaw<Array<{ cost: number | null }>>`
    SELECT SUM(h.rate * h.gpu_hours) FILTER (WHERE h.currency = ${currency})::float8 AS cost
    FROM gpu_hourly h
    WHERE h.org_id = ${orgId} AND h.hour >= ${from} AND h.hour < ${to} AND ${Prisma.join(conds, " AND ")}`;
  const hours = Math.max(0, (to.getTime() - from.getTime()) / HOUR);
  return { monthly: hours > 0 ? ((r?.cost ?? 0) * 730) / hours : 0, hours };
}
