import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { recommendationsQuerySchema, type RecommendationsResponse } from "@/lib/recommendations/api-types";
import { recommendationsResponse } from "@/lib/recommendations/response";

// GET /api/v1/recommendations?lookback=30[&inputs=<json>][&include=demand][&status=OPEN]
// The capacity plan is computed live from the rollups and the org's inputs (or the given ones, a
// what-if that is not saved); efficiency actions are the stored ones, with their status. A GET writes
// nothing: inputs never saved are defaults computed in memory and listed in `defaults`.
export const GET = orgRoute({
  permission: "org:read",
  query: recommendationsQuerySchema,
  handler: async ({ ctx, query }): Promise<RecommendationsResponse> =>
    recommendationsResponse(db(), { orgId: ctx.orgId, orgSlug: ctx.orgSlug, lookbackDays: query.lookback, override: query.inputs, status: query.status, includeDemand: query.include === "demand" }),
});
