// Cost reports: the query every caller sends (API query string, CLI flags) and the rows they get back.
// Client-safe: no Prisma, no Node APIs. The numbers' meanings are docs/metrics.md "Reports".
//
// Conventions every report follows:
//   - money is a decimal string in `currency` (exact SQL numeric sums; unit prices rounded to 6 places);
//     amounts in different currencies are never added: a group spanning two currencies gives two rows;
//   - quantities (GPU-hours, kWh, requests, tokens) are JSON numbers; utilization is a 0-1 fraction;
//   - GPU-hours without a rate (unlinked GPUs) count in `unpricedGpuHours` and in no money figure;
//   - GPU-hours with unknown utilization (telemetry gaps) count in `gapGpuHours`, never as idle or as zero.
import { z } from "zod";

export const REPORT_KINDS = ["gpu-hours", "training-runs", "inference", "idle"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_DIMENSIONS = ["cluster", "gpuModel", "pricingCategory", "team", "namespace"] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** Dimensions of a workload itself (training runs, inference services can be filtered by these). */
export const WORKLOAD_DIMENSIONS = ["cluster", "team", "namespace"] as const satisfies readonly ReportDimension[];

export const COST_BASES = ["effective", "billed"] as const;
export type CostBasis = (typeof COST_BASES)[number];

export const REPORT_FORMATS = ["json", "csv"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Values a dimension takes when the data does not say (so they can be filtered on like any other). */
export const UNATTRIBUTED = "unattributed";
export const UNASSIGNED_CLUSTER = "unassigned";
export const UNPRICED_CATEGORY = "unpriced";

/** Longest window a report accepts: two years of hourly rows. */
export const MAX_REPORT_WINDOW_HOURS = 731 * 24;
const HOUR_MS = 3_600_000;

const GROUPABLE: Record<ReportKind, readonly ReportDimension[]> = {
  "gpu-hours": REPORT_DIMENSIONS,
  idle: REPORT_DIMENSIONS,
  "training-runs": [],
  inference: [],
};
const FILTERABLE: Record<ReportKind, readonly ReportDimension[]> = {
  "gpu-hours": REPORT_DIMENSIONS,
  idle: REPORT_DIMENSIONS,
  "training-runs": WORKLOAD_DIMENSIONS,
  inference: WORKLOAD_DIMENSIONS,
};

export function groupableDimensions(kind: ReportKind): readonly ReportDimension[] {
  return GROUPABLE[kind];
}
export function filterableDimensions(kind: ReportKind): readonly ReportDimension[] {
  return FILTERABLE[kind];
}

export function isReportKind(value: unknown): value is ReportKind {
  return typeof value === "string" && (REPORT_KINDS as readonly string[]).includes(value);
}

export type ReportFilters = Partial<Record<ReportDimension, string[]>>;

/** A parsed, validated report query. `from` inclusive, `to` exclusive, both whole UTC hours. */
export type ReportQuery = {
  from: Date;
  to: Date;
  groupBy: ReportDimension[];
  filters: ReportFilters;
  costBasis: CostBasis;
  format: ReportFormat;
};

// ISO 8601 date ("2026-11-01", midnight UTC) or date-time with Z or an offset.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

const wholeHour = z
  .string()
  .trim()
  .regex(ISO_INSTANT, "must be an ISO 8601 date or date-time with Z or an offset, e.g. 2026-11-01T00:00:00Z")
  .transform((s, ctx) => {
    const d = new Date(s);
    if (!Number.isFinite(d.getTime())) {
      ctx.addIssue({ code: "custom", message: "is not a valid date" });
      return z.NEVER;
    }
    if (d.getTime() % HOUR_MS !== 0) {
      ctx.addIssue({ code: "custom", message: "must be a whole UTC hour (reports are hourly)" });
      return z.NEVER;
    }
    return d;
  });

const list = z
  .string()
  .transform((s) => [...new Set(s.split(",").map((v) => v.trim()).filter(Boolean))]);

/**
 * The query-string schema of one report kind: `from`, `to`, `groupBy` (comma-separated dimensions),
 * one filter per dimension (comma-separated values, any of which matches), `costBasis`, `format`.
 * Unknown parameters are rejected so a typo (`groupby`) is a 422, not a silently different report.
 * `org` is accepted (and ignored here): session callers name the org with it (lib/http/org-route.ts).
 */
export function reportQuerySchema(kind: ReportKind) {
  const groupable = GROUPABLE[kind];
  const filterable = FILTERABLE[kind];
  const filterShape = Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, list.optional()])) as Record<ReportDimension, z.ZodOptional<typeof list>>;
  return z
    .strictObject({
      org: z.string().optional(),
      from: wholeHour,
      to: wholeHour,
      groupBy: list.optional(),
      costBasis: z.enum(COST_BASES).default("effective"),
      format: z.enum(REPORT_FORMATS).default("json"),
      ...filterShape,
    })
    .superRefine((q, ctx) => {
      // Zod runs this refinement even when a field already failed (its value is then the raw input).
      if (!(q.from instanceof Date) || !(q.to instanceof Date)) return;
      if (q.to.getTime() <= q.from.getTime()) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
      else if (q.to.getTime() - q.from.getTime() > MAX_REPORT_WINDOW_HOURS * HOUR_MS) {
        ctx.addIssue({ code: "custom", path: ["to"], message: `the window is at most ${MAX_REPORT_WINDOW_HOURS / 24} days` });
      }
      for (const g of q.groupBy ?? []) {
        if (!(groupable as readonly string[]).includes(g)) {
          ctx.addIssue({
            code: "custom",
            path: ["groupBy"],
            message: groupable.length
              ? `unknown dimension "${g}"; one or more of ${groupable.join(", ")}`
              : `the ${kind} report has one row per ${kind === "inference" ? "service" : "run"} and takes no groupBy; filter with ${filterable.join(", ")}`,
          });
        }
      }
      for (const d of REPORT_DIMENSIONS) {
        if (q[d] !== undefined && !(filterable as readonly string[]).includes(d)) {
          ctx.addIssue({ code: "custom", path: [d], message: `the ${kind} report filters by ${filterable.join(", ")} only` });
        } else if (q[d] !== undefined && q[d].length === 0) {
          ctx.addIssue({ code: "custom", path: [d], message: "give at least one value" });
        }
      }
    })
    .transform((q): ReportQuery => {
      const filters: ReportFilters = {};
      for (const d of REPORT_DIMENSIONS) if (q[d]?.length) filters[d] = q[d];
      return {
        from: q.from,
        to: q.to,
        groupBy: (q.groupBy ?? []) as ReportDimension[],
        filters,
        costBasis: q.costBasis,
        format: q.format,
      };
    });
}

// ───────────────────────────── rows ─────────────────────────────

export type GroupKeys = Partial<Record<ReportDimension, string>>;

/** GPU-hour figures shared by the gpu-hours and idle reports (and their totals). */
export type GpuHoursMetrics = {
  /** Billing currency of every money figure in the row; null when no GPU-hour of the row has a rate. */
  currency: string | null;
  /** Σ provisioned GPU-hours (a MIG slice counts as its fraction). */
  gpuHours: number;
  /** Of those, GPU-hours without a rate: in no money figure, never priced at zero. */
  unpricedGpuHours: number;
  /** GPU-hours with a known utilization (the denominator of meanUtilization). */
  knownUtilizationGpuHours: number;
  /** GPU-hours with no utilization sample (telemetry gaps): neither idle nor busy. */
  gapGpuHours: number;
  /** Σ utilization × GPU-hours over known hours. */
  usefulGpuHours: number;
  /** Σ usefulGpuHours / Σ knownUtilizationGpuHours (GPU-hour weighted), 0-1; null when nothing is known. */
  meanUtilization: number | null;
  /** Known utilization below the org's idle threshold. */
  idleGpuHours: number;
  /** Σ cost of the priced GPU-hours (rate × GPU-hours). */
  cost: string | null;
  /** cost / priced GPU-hours. */
  costPerGpuHour: string | null;
  /** Cost of the priced GPU-hours with known utilization / their useful GPU-hours. */
  costPerUsefulGpuHour: string | null;
  /** Σ rate × GPU-hours over idle GPU-hours. */
  idleCost: string | null;
  /** Σ rate × GPU-hours × (1 − utilization) over GPU-hours with known utilization. */
  unusedCapacityCost: string | null;
  /** Cost of the priced GPU-hours with unknown utilization (in neither idle nor unused capacity cost). */
  gapCost: string | null;
  /** GPU-hours and cost with no workload on the GPU: shown, never spread over the workloads. */
  unattributedGpuHours: number;
  unattributedCost: string | null;
  /** Σ GPU energy (DCGM power × GPU-hours), kWh. */
  energyKwh: number;
};

export type GpuHoursRow = GroupKeys & GpuHoursMetrics;
export type GpuHoursTotals = GpuHoursMetrics & { byCurrency: GpuHoursMetrics[] };

export type IdleMetrics = Pick<
  GpuHoursMetrics,
  "currency" | "gpuHours" | "unpricedGpuHours" | "knownUtilizationGpuHours" | "idleGpuHours" | "idleCost" | "unusedCapacityCost"
> & {
  /** idleGpuHours / knownUtilizationGpuHours; null when nothing is known. */
  idleShare: number | null;
  /** Idle GPU-hours without a rate (in idleGpuHours, not in idleCost). */
  unpricedIdleGpuHours: number;
};
export type IdleRow = GroupKeys & IdleMetrics;
export type IdleTotals = IdleMetrics & { byCurrency: IdleMetrics[] };

export type TrainingRunMetrics = {
  currency: string | null;
  gpuHours: number;
  unpricedGpuHours: number;
  knownUtilizationGpuHours: number;
  gapGpuHours: number;
  usefulGpuHours: number;
  meanUtilization: number | null;
  idleGpuHours: number;
  /** idleGpuHours / knownUtilizationGpuHours. */
  idleShare: number | null;
  /** Σ rate × GPU-hours of the GPUs the run held. */
  gpuCost: string | null;
  /** CPU and RAM allocation cost (OpenCost/Kubecost) in the window. */
  cpuRamCost: string | null;
  /** gpuCost + cpuRamCost. */
  cost: string | null;
  /** GPU cost of the hours with known utilization / useful GPU-hours. */
  costPerUsefulGpuHour: string | null;
  energyKwh: number;
  /** kWh × PUE × price per kWh where the GPUs' cluster has a price per kWh (on-prem); else null. */
  energyCost: string | null;
};

export type TrainingRunRow = TrainingRunMetrics & {
  runId: string;
  namespace: string;
  team: string;
  cluster: string;
  /** First hour to last hour with GPUs held, inclusive, within the window. */
  durationHours: number;
  firstHour: string | null;
  lastHour: string | null;
};
export type TrainingRunTotals = TrainingRunMetrics & { runs: number; byCurrency: TrainingRunMetrics[] };

export type LatencyQuantiles = { p50LatencyMs: number | null; p95LatencyMs: number | null; p99LatencyMs: number | null };

export type InferenceMetrics = LatencyQuantiles & {
  currency: string | null;
  gpuHours: number;
  unpricedGpuHours: number;
  meanUtilization: number | null;
  /** Successful requests (increase of the success counter, resets handled by the connector). */
  inferences: number;
  failures: number;
  /** inferences / (inferences + failures). */
  successRatio: number | null;
  promptTokens: number;
  generationTokens: number;
  /** promptTokens + generationTokens. */
  tokens: number;
  /** GPU cost of the GPU-hours serving it. */
  cost: string | null;
  /** cost / inferences × 1000. */
  costPer1kInferences: string | null;
  /** cost / tokens × 1,000,000. */
  costPer1mTokens: string | null;
  /** CPU and RAM allocation cost, shown apart (not in cost, per DOMAIN.md). */
  cpuRamCost: string | null;
  energyKwh: number;
  energyCost: string | null;
};

export type InferenceRow = InferenceMetrics & {
  service: string;
  namespace: string;
  modelName: string | null;
  team: string;
  cluster: string;
};
export type InferenceTotals = InferenceMetrics & { services: number; byCurrency: InferenceMetrics[] };

export type ReportRows = {
  "gpu-hours": { rows: GpuHoursRow[]; totals: GpuHoursTotals };
  idle: { rows: IdleRow[]; totals: IdleTotals };
  "training-runs": { rows: TrainingRunRow[]; totals: TrainingRunTotals };
  inference: { rows: InferenceRow[]; totals: InferenceTotals };
};

export type Report<K extends ReportKind = ReportKind> = {
  report: K;
  window: { from: string; to: string; hours: number };
  costBasis: CostBasis;
  groupBy: ReportDimension[];
  filters: ReportFilters;
  /** The org's idle threshold (utilization fraction) the idle figures use. */
  idleThreshold: number;
  /** The org's reporting currency (rows carry the bill's). */
  orgCurrency: string;
} & ReportRows[K];
