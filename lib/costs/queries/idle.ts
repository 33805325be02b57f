// The idle report: idle GPU-hours (known utilization below the org's threshold) and what they cost,
// grouped like the gpu-hours report (it is the same aggregate, projected). Groups without idle
// GPU-hours are left out of `rows`; `totals` cover every GPU-hour in the window, so Σ rows = totals.
import type { PrismaClient } from "../../db/client";
import type { IdleMetrics, IdleRow, IdleTotals } from "../../domain/reports";
import { ratio } from "../report-totals";
import { byCostThenKeys, gpuHourAggregates, type GpuHourAggregate, type GpuHoursInput } from "./gpu-hours";
import { loadReportOrg } from "./common";

function idleMetrics(m: GpuHourAggregate): IdleMetrics {
  return {
    currency: m.currency,
    idleGpuHours: m.idleGpuHours,
    idleCost: m.idleCost,
    unpricedIdleGpuHours: m.idleUnpricedGpuHours,
    idleShare: ratio(m.idleGpuHours, m.knownUtilizationGpuHours),
    gpuHours: m.gpuHours,
    unpricedGpuHours: m.unpricedGpuHours,
    knownUtilizationGpuHours: m.knownUtilizationGpuHours,
    unusedCapacityCost: m.unusedCapacityCost,
  };
}

export async function idleReport(prisma: PrismaClient, input: GpuHoursInput): Promise<{ rows: IdleRow[]; totals: IdleTotals }> {
  const org = await loadReportOrg(prisma, input.orgId);
  const groupBy = input.groupBy ?? [];
  const { rows, totals } = await gpuHourAggregates(prisma, org, input);
  const idleRows: IdleRow[] = rows
    .filter((r) => r.idleGpuHours > 0)
    .map((r) => ({ ...Object.fromEntries(groupBy.map((d) => [d, r[d]])), ...idleMetrics(r) }))
    .sort(byCostThenKeys(groupBy, "idleCost"));
  return { rows: idleRows, totals: { ...idleMetrics(totals), byCurrency: totals.byCurrency.map(idleMetrics) } };
}
