// GET /api/v1/fleet/heatmap?from&to&costBasis&bucket=hour|day&<dimension filters>: one row per GPU,
// one column per hour or day, utilization cells as base64 int16 (lib/costs/queries/heatmap.ts).
import { db } from "@/lib/db/client";
import { heatmapBucket } from "@/lib/domain/dashboard-view";
import { dashboardQuerySchema } from "@/lib/domain/fleet";
import { fleetHeatmap } from "@/lib/costs/queries/heatmap";
import { orgRoute } from "@/lib/http/org-route";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  query: dashboardQuerySchema,
  handler: async ({ ctx, query }) => {
    const bucket = query.bucket ?? heatmapBucket((query.to.getTime() - query.from.getTime()) / 3_600_000);
    return fleetHeatmap(db(), { orgId: ctx.orgId, from: query.from, to: query.to, costBasis: query.costBasis, filters: query.filters, bucket });
  },
});
