// Client-safe shapes of the GPU fleet endpoints (heatmap, GPU detail) and the heatmap cell codes.
import { z } from "zod";
import { COST_BASES, REPORT_DIMENSIONS, type CostBasis, type ReportDimension, type ReportFilters } from "./reports";

/** Cell codes besides utilization (0..10000, in 1/10,000). */
export const CELL_GAP = -1;
export const CELL_NONE = -2;

export type HeatmapGpu = {
  id: string;
  uuid: string;
  label: string;
  node: string;
  cluster: string;
  model: string;
  migProfile: string | null;
  instanceType: string | null;
  gpuHours: number;
  knownGpuHours: number;
  idleGpuHours: number;
  meanUtilization: number | null;
  currency: string | null;
  cost: string | null;
  idleCost: string | null;
};

export type HeatmapResponse = {
  window: { from: string; to: string };
  bucket: "hour" | "day";
  columns: number;
  costBasis: CostBasis;
  idleThreshold: number;
  orgCurrency: string;
  gpus: HeatmapGpu[];
  /** base64 of little-endian int16, gpus.length × columns, row-major (see lib/costs/queries/heatmap.ts). */
  cells: string;
};

export type GpuHour = {
  hour: string;
  utilization: number | null;
  memUsedMib: number | null;
  memTotalMib: number | null;
  powerW: number | null;
  gpuHours: number;
  cost: string | null;
  currency: string | null;
  pricingCategory: string | null;
  workload: string | null;
  workloadKind: string | null;
  workloadId: string | null;
};

export type GpuWorkload = { id: string; name: string; kind: string; namespace: string; hours: number; gpuHours: number; meanUtilization: number | null; cost: string | null; currency: string | null };

export type GpuDetail = {
  gpu: Omit<HeatmapGpu, "gpuHours" | "knownGpuHours" | "idleGpuHours" | "meanUtilization" | "currency" | "cost" | "idleCost"> & { memoryMib: number | null; providerInstanceId: string | null };
  window: { from: string; to: string };
  costBasis: CostBasis;
  idleThreshold: number;
  hours: GpuHour[];
  workloads: GpuWorkload[];
};

const HOUR_MS = 3_600_000;
const wholeHour = z.iso.datetime({ offset: true }).transform((s, ctx) => {
  const d = new Date(s);
  if (d.getTime() % HOUR_MS !== 0) {
    ctx.addIssue({ code: "custom", message: "must be a whole UTC hour" });
    return z.NEVER;
  }
  return d;
});
const list = z.string().transform((s) => [...new Set(s.split(",").map((v) => v.trim()).filter(Boolean))]);

/** Window, basis and filters shared by the dashboard's own endpoints (the reports' names and rules). */
export const dashboardQuerySchema = z
  .object({
    org: z.string().optional(),
    from: wholeHour,
    to: wholeHour,
    costBasis: z.enum(COST_BASES).default("effective"),
    groupBy: z.enum(REPORT_DIMENSIONS).optional(),
    bucket: z.enum(["hour", "day"]).optional(),
    ...(Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, list.optional()])) as Record<ReportDimension, z.ZodOptional<typeof list>>),
  })
  .strict()
  .refine((q) => q.to.getTime() > q.from.getTime(), { path: ["to"], message: "must be after from" })
  .refine((q) => q.to.getTime() - q.from.getTime() <= 731 * 24 * HOUR_MS, { path: ["to"], message: "the window is at most 731 days" })
  .transform((q) => {
    const filters: ReportFilters = {};
    for (const d of REPORT_DIMENSIONS) if (q[d]?.length) filters[d] = q[d];
    return { from: q.from, to: q.to, costBasis: q.costBasis, groupBy: q.groupBy ?? null, bucket: q.bucket ?? null, filters };
  });
