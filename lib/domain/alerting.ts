// Budgets, SLOs, alert channels and digest preferences: client-safe types and zod schemas shared by
// the server actions, the API routes and the forms. No Prisma, no Node APIs.
import { z } from "zod";

export const BUDGET_PERIODS = ["MONTH", "QUARTER"] as const;
export const SCOPE_KINDS = ["ORG", "TEAM", "CLUSTER", "SERVICE", "GPU_MODEL"] as const;
export const SEVERITIES = ["INFO", "WARNING", "CRITICAL"] as const;
export const SLO_KINDS = ["LATENCY", "SUCCESS_RATIO", "GPU_UTILIZATION", "SPEND"] as const;
export type ScopeKindName = (typeof SCOPE_KINDS)[number];
export type SeverityName = (typeof SEVERITIES)[number];
export type SloKindName = (typeof SLO_KINDS)[number];

export const SCOPE_LABELS: Record<ScopeKindName, string> = {
  ORG: "Whole organization",
  TEAM: "Team tag",
  CLUSTER: "Cluster",
  SERVICE: "Service",
  GPU_MODEL: "GPU model",
};

export const SEVERITY_ORDER: Record<SeverityName, number> = { INFO: 0, WARNING: 1, CRITICAL: 2 };

const money = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => /^\d{1,14}(\.\d{1,2})?$/.test(v) && Number(v) > 0, { message: "a positive amount with at most 2 decimals" });

const scopeFields = {
  scopeKind: z.enum(SCOPE_KINDS).default("ORG"),
  scopeValue: z.string().trim().max(200).nullish(),
};

function scopeValueRequired<T extends { scopeKind: ScopeKindName; scopeValue?: string | null }>(v: T) {
  return v.scopeKind === "ORG" || Boolean(v.scopeValue);
}
const scopeMessage = { message: "name the team, cluster, service or GPU model", path: ["scopeValue"] };

export const budgetInputSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    period: z.enum(BUDGET_PERIODS).default("MONTH"),
    amount: money,
    currency: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/)
      .transform((c) => c.toUpperCase())
      .default("USD"),
    ...scopeFields,
    costBasis: z.enum(["EFFECTIVE", "BILLED"]).default("EFFECTIVE"),
    thresholds: z.array(z.coerce.number().int().min(1).max(1000)).max(10).default([50, 80, 100]),
    forecastThreshold: z.coerce.number().int().min(1).max(1000).nullable().default(100),
  })
  .refine(scopeValueRequired, scopeMessage);
export type BudgetInput = z.infer<typeof budgetInputSchema>;

/** The editable part of a budget. */
export const budgetUpdateSchema = z.object({
  budgetId: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(120),
  amount: money,
  thresholds: z.array(z.coerce.number().int().min(1).max(1000)).max(10),
  forecastThreshold: z.coerce.number().int().min(1).max(1000).nullable(),
});
export type BudgetUpdate = z.infer<typeof budgetUpdateSchema>;

/** Where a channel's alerts come from: empty scopes = every scope. */
export const channelRoutingSchema = z.object({
  scopes: z.array(z.object({ kind: z.enum(SCOPE_KINDS), value: z.string().trim().max(200).nullish() })).max(50).default([]),
});
export type ChannelRouting = z.infer<typeof channelRoutingSchema>;

export const slackChannelInputSchema = z.object({
  name: z.string().trim().min(1).max(80),
  webhookUrl: z
    .string()
    .trim()
    .url()
    .refine((u) => /^https?:\/\//.test(u), { message: "an http(s) URL" }),
  minSeverity: z.enum(SEVERITIES).default("INFO"),
  routing: channelRoutingSchema.default({ scopes: [] }),
});
export type SlackChannelInput = z.infer<typeof slackChannelInputSchema>;

export const sloInputSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    kind: z.enum(SLO_KINDS),
    /** LATENCY: 0.5-0.999 (p50..p99.9). */
    percentile: z.coerce.number().gt(0).lt(1).nullish(),
    thresholdMs: z.coerce.number().positive().max(3_600_000).nullish(),
    /** SUCCESS_RATIO and GPU_UTILIZATION: 0-1. */
    objective: z.coerce.number().gt(0).lt(1).nullish(),
    workloadId: z.string().min(1).max(64).nullish(),
    ...scopeFields,
    budgetId: z.string().min(1).max(64).nullish(),
    windowDays: z.coerce.number().int().min(1).max(90).default(28),
  })
  // pN ≤ X ms ⟺ at least N of the requests take ≤ X ms: the percentile is the objective on the share of
  // fast requests, and 1 − N is the error budget.
  .refine((v) => v.kind !== "LATENCY" || (v.percentile && v.thresholdMs), {
    message: "a latency SLO needs a percentile and a threshold in ms",
    path: ["thresholdMs"],
  })
  .refine((v) => !(v.kind === "LATENCY" || v.kind === "SUCCESS_RATIO") || v.workloadId, { message: "pick the inference service", path: ["workloadId"] })
  .refine((v) => v.kind !== "SUCCESS_RATIO" || v.objective, { message: "a success-ratio SLO needs an objective", path: ["objective"] })
  .refine((v) => v.kind !== "GPU_UTILIZATION" || v.objective, { message: "a utilization SLO needs a target", path: ["objective"] })
  .refine((v) => v.kind !== "SPEND" || v.budgetId, { message: "a spend SLO names a budget", path: ["budgetId"] });
export type SloInput = z.infer<typeof sloInputSchema>;

export const digestPreferencesSchema = z.object({
  enabled: z.boolean(),
  /** 0 = Sunday ... 6 = Saturday, in `timezone`. */
  dayOfWeek: z.coerce.number().int().min(0).max(6).default(1),
  hour: z.coerce.number().int().min(0).max(23).default(8),
  timezone: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .refine(isTimeZone, { message: "an IANA time zone such as Europe/Paris" })
    .default("UTC"),
});
export type DigestPreferences = z.infer<typeof digestPreferencesSchema>;

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// ── views returned by the API and the pages

export type BudgetView = {
  id: string;
  name: string;
  period: "MONTH" | "QUARTER";
  periodKey: string;
  periodStart: string;
  periodEnd: string;
  amount: string;
  currency: string;
  scopeKind: ScopeKindName;
  scopeValue: string | null;
  costBasis: "EFFECTIVE" | "BILLED";
  thresholds: number[];
  forecastThreshold: number | null;
  /** Exact spend in the budget's currency this period so far. */
  actual: string;
  /** actual / amount × 100, 1 decimal. */
  percentUsed: number;
  forecast: { method: string; projected: string; low: string; high: string; percentOfBudget: number; daysSeen: number; daysLeft: number };
  /** Cumulative per day: actual, then projection with range; and the budget line. */
  points: Array<{ day: string; actual: number | null; forecast: number | null; low: number | null; high: number | null }>;
  /** Spend in other currencies that this budget leaves out. */
  excludedCurrencies: string[];
};

export type TopMover = { dimension: "team" | "cluster" | "service"; key: string; current: string; previous: string; delta: string };
