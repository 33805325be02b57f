// The JSON of GET /api/v1/recommendations (client-safe), shared by the route, the CLI and the page.
import { z } from "zod";
import { LOOKBACK_DAYS, type RecommendationInputs, recommendationInputsSchema } from "./inputs";
import type { CapacityPlanJson, GpuTypeDemand } from "./plan";

export const RECOMMENDATION_STATUSES = ["OPEN", "ACCEPTED", "DISMISSED"] as const;

export const editableInputsSchema = recommendationInputsSchema.pick({ global: true, gpuTypes: true }).partial();

/** Query of GET /api/v1/recommendations. `inputs` (JSON) recomputes the plan as a what-if, unsaved. */
export const recommendationsQuerySchema = z.object({
  lookback: z.coerce
    .number()
    .int()
    .refine((n): n is (typeof LOOKBACK_DAYS)[number] => (LOOKBACK_DAYS as readonly number[]).includes(n), { message: `one of ${LOOKBACK_DAYS.join(", ")}` })
    .default(30),
  inputs: z
    .string()
    .max(200_000)
    .transform((s, c) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        c.addIssue({ code: "custom", message: "must be JSON" });
        return z.NEVER;
      }
    })
    .pipe(editableInputsSchema)
    .optional(),
  include: z.enum(["demand"]).optional(),
  status: z.enum(RECOMMENDATION_STATUSES).optional(),
});

export type RecommendationRow = {
  id: string;
  kind: string;
  title: string;
  summary: string | null;
  scope: unknown;
  evidence: Record<string, unknown>;
  monthlySavings: string;
  currency: string;
  risk: string | null;
  status: (typeof RECOMMENDATION_STATUSES)[number];
  dismissReason: string | null;
  acceptedAt: string | null;
  realizedSavings: string | null;
  computedAt: string;
};

export type RecommendationsResponse = {
  org: { slug: string; currency: string };
  lookbackDays: number;
  window: { from: string; to: string; hours: number } | null;
  inputs: RecommendationInputs;
  /** True when `inputs` overrode the stored ones (a what-if). */
  whatIf: boolean;
  /**
   * Which of `inputs` are defaults computed for this answer, not saved by the org: `global` true when
   * the org-wide inputs were never saved, `gpuTypes` the GPU types with no saved prices. Saving the
   * inputs on the page (or a what-if overriding them) makes them non-defaults.
   */
  defaults: { global: boolean; gpuTypes: string[] };
  plan: CapacityPlanJson;
  recommendations: RecommendationRow[];
  demand?: GpuTypeDemand[];
};
