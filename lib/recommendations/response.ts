// The JSON of GET /api/v1/recommendations, built once for the route and `burnrate recommend --json`.
// Read-only: computing it writes nothing (defaults are reported in `defaults`, not stored).
import type { PrismaClient } from "../db/client";
import type { RecommendationRow, RecommendationsResponse } from "./api-types";
import type { RecommendationInputs } from "./inputs";
import { listRecommendations } from "./list";
import { planToJson } from "./plan";
import { computeRecommendations } from "./run";

export async function recommendationsResponse(
  prisma: PrismaClient,
  {
    orgId,
    orgSlug,
    lookbackDays,
    override,
    status,
    includeDemand = false,
    now,
  }: { orgId: string; orgSlug: string; lookbackDays: number; override?: Partial<Pick<RecommendationInputs, "global" | "gpuTypes">>; status?: RecommendationRow["status"]; includeDemand?: boolean; now?: Date },
): Promise<RecommendationsResponse> {
  const computed = await computeRecommendations(prisma, { orgId, lookbackDays, override, withActions: false, ...(now ? { now } : {}) });
  return {
    org: { slug: orgSlug, currency: computed.inputs.currency },
    lookbackDays,
    window: computed.window && { from: computed.window.from.toISOString(), to: computed.window.to.toISOString(), hours: computed.window.hours },
    inputs: computed.inputs,
    whatIf: Boolean(override),
    defaults: computed.defaults,
    plan: planToJson(computed.plan),
    recommendations: await listRecommendations(prisma, { orgId, status }),
    ...(includeDemand ? { demand: computed.demands } : {}),
  };
}
