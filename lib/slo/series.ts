// Hourly SLI series of an SLO, from the hourly rollups (workload_hourly for inference services,
// gpu_hourly for GPU pools), for [from, to) in whole UTC hours.
import { histogramQuantile, parseHistogram } from "../costs/latency-quantiles";
import { Prisma, type PrismaClient, type SloDefinition } from "../db/client";
import type { EventHour, LevelHour } from "./burn-rate";
import { countAtOrBelow } from "./latency";

export type SloSeries = { type: "event"; series: EventHour[] } | { type: "level"; series: LevelHour[] };

export async function eventSeries(prisma: PrismaClient, slo: SloDefinition, { from, to }: { from: Date; to: Date }): Promise<EventHour[]> {
  if (!slo.workloadId) return [];
  const rows = await prisma.workloadHourly.findMany({
    where: { orgId: slo.orgId, workloadId: slo.workloadId, hour: { gte: from, lt: to } },
    select: { hour: true, inferences: true, failures: true, latencyHistogram: true },
    orderBy: { hour: "asc" },
  });
  const out: EventHour[] = [];
  for (const r of rows) {
    if (slo.kind === "SUCCESS_RATIO") {
      const total = r.inferences + r.failures;
      out.push({ hour: r.hour.getTime(), good: r.inferences, total, value: total > 0 ? r.inferences / total : null });
    } else {
      const h = parseHistogram(r.latencyHistogram);
      if (!h) continue;
      const total = h.counts[h.counts.length - 1] ?? 0;
      const q = histogramQuantile(slo.percentile ?? 0.95, h);
      out.push({ hour: r.hour.getTime(), good: countAtOrBelow(h, (slo.thresholdMs ?? 0) / 1000), total, value: q === null ? null : q * 1000 });
    }
  }
  return out;
}

/** Mean utilization per hour of the SLO's pool: Σ utilization × GPU-hours / Σ GPU-hours over known hours. */
export async function utilizationSeries(prisma: PrismaClient, slo: SloDefinition, { from, to }: { from: Date; to: Date }): Promise<LevelHour[]> {
  const v = slo.scopeValue ?? "";
  const scope = slo.workloadId
    ? Prisma.sql`AND h.workload_id = ${slo.workloadId}`
    : slo.scopeKind === "TEAM"
      ? Prisma.sql`AND w.team = ${v}`
      : slo.scopeKind === "CLUSTER"
        ? Prisma.sql`AND c.name = ${v}`
        : slo.scopeKind === "GPU_MODEL"
          ? Prisma.sql`AND g.model = ${v}`
          : Prisma.empty;
  const rows = await prisma.$queryRaw<Array<{ hour: Date; value: number | null }>>`
    SELECT h.hour,
           (SUM(LEAST(GREATEST(h.utilization, 0), 1) * h.gpu_hours::float8) FILTER (WHERE h.utilization IS NOT NULL)
             / NULLIF(SUM(h.gpu_hours::float8) FILTER (WHERE h.utilization IS NOT NULL), 0)) AS value
      FROM gpu_hourly h
      JOIN gpus g ON g.id = h.gpu_id AND g.org_id = ${slo.orgId}
      LEFT JOIN workloads w ON w.id = h.workload_id AND w.org_id = ${slo.orgId}
      LEFT JOIN clusters c ON c.id = g.cluster_id AND c.org_id = ${slo.orgId}
     WHERE h.org_id = ${slo.orgId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz
       ${scope}
     GROUP BY h.hour ORDER BY h.hour`;
  return rows.map((r) => ({ hour: r.hour.getTime(), value: r.value }));
}
