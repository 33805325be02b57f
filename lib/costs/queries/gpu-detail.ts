// One GPU over a window: its hours (utilization, memory, power, cost in the chosen basis, workload)
// and the workloads that held it, from gpu_hourly. Org-scoped: a GPU of another org is not found.
import type { PrismaClient } from "../../db/client";
import type { CostBasis } from "../../domain/reports";
import type { GpuDetail, GpuHour, GpuWorkload } from "../../domain/fleet";
import { notFound } from "../../http/errors";
import { inReportTransaction, loadReportOrg, rateColumn, UTILIZATION_SQL } from "./common";

type Input = { orgId: string; gpuId: string; from: Date; to: Date; costBasis: CostBasis };

export async function gpuDetail(prisma: PrismaClient, { orgId, gpuId, from, to, costBasis }: Input): Promise<GpuDetail> {
  const org = await loadReportOrg(prisma, orgId);
  const gpu = await prisma.gpu.findFirst({ where: { id: gpuId, orgId }, include: { cluster: { select: { name: true } } } });
  if (!gpu) throw notFound("No such GPU");
  const rate = rateColumn(costBasis);
  const [hours, workloads] = await inReportTransaction(prisma, async (tx) => [
    await tx.$queryRaw<Array<{ hour: Date; utilization: number | null; mem_used: number | null; mem_total: number | null; power: number | null; gh: number; cost: string | null; currency: string | null; pc: string | null; wname: string | null; wkind: string | null; wid: string | null }>>`
      SELECT h.hour, ${UTILIZATION_SQL} AS utilization, h.mem_used_mib AS mem_used, h.mem_total_mib AS mem_total, h.power_w AS power,
             h.gpu_hours::float8 AS gh, trim_scale(${rate} * h.gpu_hours)::text AS cost,
             CASE WHEN ${rate} IS NOT NULL THEN h.currency END AS currency, h.pricing_category AS pc,
             w.name AS wname, w.kind::text AS wkind, w.id AS wid
      FROM gpu_hourly h
      LEFT JOIN workloads w ON w.id = h.workload_id AND w.org_id = ${orgId}
      WHERE h.org_id = ${orgId} AND h.gpu_id = ${gpuId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz
      ORDER BY h.hour`,
    await tx.$queryRaw<Array<{ id: string; name: string; kind: string; namespace: string; hours: number; gh: number; known: number; useful: number | null; cost: string | null; currency: string | null }>>`
      SELECT w.id, w.name, w.kind::text AS kind, w.namespace, COUNT(*)::int AS hours, SUM(h.gpu_hours)::float8 AS gh,
             COALESCE(SUM(h.gpu_hours) FILTER (WHERE h.utilization IS NOT NULL), 0)::float8 AS known,
             SUM(${UTILIZATION_SQL} * h.gpu_hours::float8) AS useful,
             trim_scale(SUM(${rate} * h.gpu_hours))::text AS cost, MAX(CASE WHEN ${rate} IS NOT NULL THEN h.currency END) AS currency
      FROM gpu_hourly h
      JOIN workloads w ON w.id = h.workload_id AND w.org_id = ${orgId}
      WHERE h.org_id = ${orgId} AND h.gpu_id = ${gpuId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz
      GROUP BY w.id, w.name, w.kind, w.namespace`,
  ]);
  const out: GpuHour[] = hours.map((h) => ({
    hour: h.hour.toISOString(),
    utilization: h.utilization,
    memUsedMib: h.mem_used,
    memTotalMib: h.mem_total,
    powerW: h.power,
    gpuHours: h.gh,
    cost: h.cost,
    currency: h.currency,
    pricingCategory: h.pc,
    workload: h.wname,
    workloadKind: h.wkind,
    workloadId: h.wid,
  }));
  const ws: GpuWorkload[] = workloads
    .map((w) => ({
      id: w.id,
      name: w.name,
      kind: w.kind,
      namespace: w.namespace,
      hours: w.hours,
      gpuHours: Math.round(w.gh * 1e6) / 1e6,
      meanUtilization: w.known > 0 && w.useful !== null ? Math.round((w.useful / w.known) * 1e6) / 1e6 : null,
      cost: w.cost,
      currency: w.currency,
    }))
    .sort((a, b) => Number(b.cost ?? 0) - Number(a.cost ?? 0) || a.name.localeCompare(b.name));
  return {
    gpu: {
      id: gpu.id,
      uuid: gpu.uuid,
      label: gpu.hostname ? `${gpu.hostname}/${gpu.gpuIndex ?? gpu.uuid.slice(-6)}${gpu.migProfile ? ` ${gpu.migProfile}` : ""}` : gpu.uuid,
      node: gpu.hostname ?? "unknown host",
      cluster: gpu.cluster?.name ?? "unassigned",
      model: gpu.model,
      migProfile: gpu.migProfile,
      instanceType: gpu.instanceType,
      memoryMib: gpu.memoryMib,
      providerInstanceId: gpu.providerInstanceId,
    },
    window: { from: from.toISOString(), to: to.toISOString() },
    costBasis,
    idleThreshold: org.idleThreshold,
    hours: out,
    workloads: ws,
  };
}
