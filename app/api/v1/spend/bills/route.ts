// GET /api/v1/spend/bills?from&to&costBasis: all bill spend and GPU bill spend in the window and the
// window of the same length before it, per currency (lib/costs/queries/bill-spend.ts).
import { db } from "@/lib/db/client";
import { dashboardQuerySchema } from "@/lib/domain/fleet";
import { billSpend } from "@/lib/costs/queries/bill-spend";
import { orgRoute } from "@/lib/http/org-route";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  query: dashboardQuerySchema,
  handler: async ({ ctx, query }) =>
    billSpend(db(), { orgId: ctx.orgId, from: query.from, to: query.to, previousFrom: new Date(2 * query.from.getTime() - query.to.getTime()), costBasis: query.costBasis }),
});
