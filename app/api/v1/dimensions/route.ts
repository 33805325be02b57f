// GET /api/v1/dimensions?from&to: the values of cluster, gpuModel, pricingCategory, team, namespace
// the filter pickers offer (lib/costs/queries/dimension-values.ts).
import { db } from "@/lib/db/client";
import { dashboardQuerySchema } from "@/lib/domain/fleet";
import { dimensionValues } from "@/lib/costs/queries/dimension-values";
import { orgRoute } from "@/lib/http/org-route";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  query: dashboardQuerySchema,
  handler: async ({ ctx, query }) => dimensionValues(db(), { orgId: ctx.orgId, from: query.from, to: query.to }),
});
