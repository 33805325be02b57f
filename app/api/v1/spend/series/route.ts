// GET /api/v1/spend/series?from&to&costBasis&groupBy=<dimension>&bucket=hour|day&<filters>: GPU spend
// over time per dimension value (lib/costs/queries/spend-series.ts).
import { db } from "@/lib/db/client";
import { dashboardQuerySchema } from "@/lib/domain/fleet";
import { spendSeries } from "@/lib/costs/queries/spend-series";
import { orgRoute } from "@/lib/http/org-route";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  query: dashboardQuerySchema,
  handler: async ({ ctx, query }) =>
    spendSeries(db(), { orgId: ctx.orgId, from: query.from, to: query.to, costBasis: query.costBasis, filters: query.filters, groupBy: query.groupBy, bucket: query.bucket ?? (query.to.getTime() - query.from.getTime() <= 48 * 3_600_000 ? "hour" : "day") }),
});
