// One entry point for every cost report, used by the API route and the CLI so both return the same
// document: { report, window, costBasis, groupBy, filters, idleThreshold, orgCurrency, rows, totals }.
import type { PrismaClient } from "../db/client";
import type { Report, ReportKind, ReportQuery } from "../domain/reports";
import { loadDailySources } from "./daily-rollup";
import { loadReportOrg, type ReportSources } from "./queries/common";
import { gpuHoursReport } from "./queries/gpu-hours";
import { idleReport } from "./queries/idle";
import { inferenceReport } from "./queries/inference";
import { trainingRunsReport } from "./queries/training-runs";

export async function runReport<K extends ReportKind>(
  prisma: PrismaClient,
  { orgId, kind, query, sources }: { orgId: string; kind: K; query: Omit<ReportQuery, "format">; sources?: ReportSources },
): Promise<Report<K>> {
  const { from, to, groupBy, filters, costBasis } = query;
  // Whole days from the daily rollup, edges and stale days from the hourly tables (daily-rollup.ts):
  // the hourly path's numbers at a fraction of the rows. HOURLY_SOURCES reads everything hour by hour.
  const input = { orgId, from, to, costBasis, filters, sources: sources ?? (await loadDailySources(prisma, { orgId, from, to })) };
  const org = await loadReportOrg(prisma, orgId);
  const body =
    kind === "gpu-hours"
      ? await gpuHoursReport(prisma, { ...input, groupBy })
      : kind === "idle"
        ? await idleReport(prisma, { ...input, groupBy })
        : kind === "training-runs"
          ? await trainingRunsReport(prisma, input)
          : await inferenceReport(prisma, input);
  return {
    report: kind,
    window: { from: from.toISOString(), to: to.toISOString(), hours: (to.getTime() - from.getTime()) / 3_600_000 },
    costBasis,
    groupBy: kind === "gpu-hours" || kind === "idle" ? groupBy : [],
    filters,
    idleThreshold: org.idleThreshold,
    orgCurrency: org.currency,
    ...body,
  } as unknown as Report<K>;
}
