import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { recommendationsQuerySchema, type RecommendationsResponse } from "@/lib/recommendations/api-types";
import { listRecommendations } from "@/lib/recommendations/list";
import { planToJson } from "@/lib/recommendations/plan";
import { computeRecommendations } from "@/lib/recommendations/run";

// GET /api/v1/recommendations?lookback=30[&inputs=<json>][&include=demand][&status=OPEN]
// The capacity plan is computed live from the rollups and the org's inputs (or the given ones, a
// what-if that is not saved); efficiency actions are the stored ones, with their status.
export const GET = orgRoute({
  permission: "org:read",
  query: recommendationsQuerySchema,
  handler: async ({ ctx, query }): Promise<RecommendationsResponse> => {
    const computed = await computeRecommendations(db(), { orgId: ctx.orgId, lookbackDays: query.lookback, override: query.inputs, withActions: false });
    return {
      org: { slug: ctx.orgSlug, currency: computed.inputs.currency },
      lookbackDays: query.lookback,
      window: computed.window && { from: computed.window.from.toISOString(), to: computed.window.to.toISOString(), hours: computed.window.hours },
      inputs: computed.inputs,
      whatIf: Boolean(query.inputs),
      plan: planToJson(computed.plan),
      recommendations: await listRecommendations(db(), { orgId: ctx.orgId, status: query.status }),
      ...(query.include === "demand" ? { demand: computed.demands } : {}),
    };
  },
});
