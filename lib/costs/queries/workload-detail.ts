// One training run or inference service over a window: its GPU-hours hour by hour (utilization per
// GPU and overall, cost), its cost by pricing category and GPU model, CPU/RAM cost, traffic and
// latency per hour, and its SLOs. Same definitions as the training-runs and inference reports
// (docs/metrics.md): GPU cost = Σ rate × GPU-hours; utilization GPU-hour weighted over known hours.
import type { PrismaClient } from "../../db/client";
import type { CostBasis } from "../../domain/reports";
import type { WorkloadDetail, WorkloadHourPoint } from "../../domain/dashboard-data";
import { sumDecimals } from "../../domain/decimal-sum";
import { notFound } from "../../http/errors";
import { histogramQuantile, mergeHistograms, parseHistogram, type Histogram } from "../latency-quantiles";
import { inReportTransaction, loadReportOrg, rateColumn, UTILIZATION_SQL } from "./common";

type GpuRow = { hour: Date; gpu_id: string; label: string; u: number | null; gh: number; wh: number | null; cost: string | null; cur: string | null; pc: string | null; model: string };
type WlRow = { hour: Date; cur: string; cpu_ram: string; inferences: number; failures: number; tokens: number; hist: unknown };

export async function workloadDetail(prisma: PrismaClient, { orgId, workloadId, from, to, costBasis }: { orgId: string; workloadId: string; from: Date; to: Date; costBasis: CostBasis }): Promise<WorkloadDetail> {
  const org = await loadReportOrg(prisma, orgId);
  const w = await prisma.workload.findFirst({ where: { id: workloadId, orgId }, include: { cluster: { select: { name: true } } } });
  if (!w) throw notFound("No such workload");
  const rate = rateColumn(costBasis);
  const [gpuRows, wlRows] = await inReportTransaction(prisma, async (tx) => [
    await tx.$queryRaw<GpuRow[]>`
      SELECT h.hour, h.gpu_id, COALESCE(g.hostname || '/' || COALESCE(g.gpu_index::text, right(g.uuid, 6)), g.uuid) || COALESCE(' ' || g.mig_profile, '') AS label,
             ${UTILIZATION_SQL} AS u, h.gpu_hours::float8 AS gh, h.energy_wh AS wh, trim_scale(${rate} * h.gpu_hours)::text AS cost,
             CASE WHEN ${rate} IS NOT NULL THEN h.currency END AS cur, COALESCE(h.pricing_category, 'unpriced') AS pc, g.model
      FROM gpu_hourly h JOIN gpus g ON g.id = h.gpu_id AND g.org_id = ${orgId}
      WHERE h.org_id = ${orgId} AND h.workload_id = ${workloadId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz`,
    await tx.$queryRaw<WlRow[]>`
      SELECT wh.hour, wh.currency AS cur, (wh.cpu_cost + wh.ram_cost)::text AS cpu_ram, wh.inferences, wh.failures,
             wh.prompt_tokens + wh.generation_tokens AS tokens, wh.latency_histogram AS hist
      FROM workload_hourly wh
      WHERE wh.org_id = ${orgId} AND wh.workload_id = ${workloadId} AND wh.hour >= ${from}::timestamptz AND wh.hour < ${to}::timestamptz`,
  ]);
  const slos = await prisma.sloDefinition.findMany({ where: { orgId, workloadId, enabled: true }, select: { name: true, kind: true, percentile: true, thresholdMs: true, objective: true } });

  const currency = gpuRows.find((r) => r.cur)?.cur ?? null;
  const byHour = new Map<string, { gh: number; known: number; useful: number; costs: Array<string | null>; inferences: number; tokens: number; hist: Histogram | null }>();
  const slot = (t: Date) => {
    const k = t.toISOString();
    let s = byHour.get(k);
    if (!s) byHour.set(k, (s = { gh: 0, known: 0, useful: 0, costs: [], inferences: 0, tokens: 0, hist: null }));
    return s;
  };
  const breakdown = new Map<string, { pricingCategory: string; gpuModel: string; gpuHours: number; costs: Array<string | null>; currency: string | null }>();
  const perGpu = new Map<string, { label: string; gh: number; points: Map<string, number | null> }>();
  let gh = 0, known = 0, useful = 0, idle = 0, energyWh = 0;
  const knownCosts: Array<string | null> = [];
  for (const r of gpuRows) {
    const s = slot(r.hour);
    s.gh += r.gh;
    s.costs.push(r.cost);
    gh += r.gh;
    energyWh += r.wh ?? 0;
    if (r.u !== null) {
      s.known += r.gh;
      s.useful += r.u * r.gh;
      known += r.gh;
      useful += r.u * r.gh;
      knownCosts.push(r.cost);
      if (r.u < org.idleThreshold) idle += r.gh;
    }
    const bk = `${r.pc}|${r.model}|${r.cur}`;
    const b = breakdown.get(bk) ?? { pricingCategory: r.pc ?? "unpriced", gpuModel: r.model, gpuHours: 0, costs: [], currency: r.cur };
    b.gpuHours += r.gh;
    b.costs.push(r.cost);
    breakdown.set(bk, b);
    const g = perGpu.get(r.gpu_id) ?? { label: r.label, gh: 0, points: new Map() };
    g.gh += r.gh;
    g.points.set(r.hour.toISOString(), r.u);
    perGpu.set(r.gpu_id, g);
  }
  let inferences = 0, tokens = 0;
  const hists: Histogram[] = [];
  for (const r of wlRows) {
    const s = slot(r.hour);
    s.inferences += r.inferences;
    s.tokens += r.tokens;
    inferences += r.inferences;
    tokens += r.tokens;
    const h = parseHistogram(r.hist);
    if (h) {
      s.hist = h;
      hists.push(h);
    }
  }
  const p95 = (h: Histogram | null) => {
    const v = h ? histogramQuantile(0.95, h) : null;
    return v === null ? null : Math.round(v * 1e6) / 1e3;
  };
  const hours: WorkloadHourPoint[] = [...byHour.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([hour, s]) => ({
      hour,
      gpuHours: round6(s.gh),
      utilization: s.known > 0 ? round6(s.useful / s.known) : null,
      cost: currency && s.costs.length ? sumDecimals(s.costs) : null,
      inferences: s.inferences,
      tokens: s.tokens,
      p95LatencyMs: p95(s.hist),
    }));
  const gpuSeries = [...perGpu.entries()]
    .sort(([, a], [, b]) => b.gh - a.gh || a.label.localeCompare(b.label))
    .slice(0, 16)
    .map(([gpuId, g]) => ({ gpuId, label: g.label, points: hours.map((h) => [h.hour, g.points.has(h.hour) ? g.points.get(h.hour)! : null] as [string, number | null]) }));
  const energyKwh = round6(energyWh / 1000);
  const cpuRam = wlRows.filter((r) => !currency || r.cur === currency).map((r) => r.cpu_ram);
  return {
    workload: { id: w.id, kind: w.kind, name: w.name, namespace: w.namespace, team: w.team, cluster: w.cluster?.name ?? null, framework: w.framework, modelName: w.modelName },
    window: { from: from.toISOString(), to: to.toISOString() },
    costBasis,
    idleThreshold: org.idleThreshold,
    currency,
    totals: {
      gpuHours: round6(gh),
      knownGpuHours: round6(known),
      usefulGpuHours: round6(useful),
      meanUtilization: known > 0 ? round6(useful / known) : null,
      idleGpuHours: round6(idle),
      gpuCost: currency ? sumDecimals(gpuRows.map((r) => r.cost)) : null,
      knownGpuCost: currency ? sumDecimals(knownCosts) : null,
      cpuRamCost: cpuRam.length ? sumDecimals(cpuRam) : null,
      energyKwh,
      inferences,
      tokens,
      p95LatencyMs: p95(mergeHistograms(hists)),
    },
    breakdown: [...breakdown.values()]
      .map((b) => ({ pricingCategory: b.pricingCategory, gpuModel: b.gpuModel, gpuHours: round6(b.gpuHours), cost: b.currency ? sumDecimals(b.costs) : null, currency: b.currency }))
      .sort((a, b) => Number(b.cost ?? 0) - Number(a.cost ?? 0)),
    gpuSeries,
    hours,
    slos: slos.map((s) => ({ name: s.name, kind: s.kind, percentile: s.percentile, thresholdMs: s.thresholdMs, objective: s.objective })),
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
