// GET /api/v1/wasters?from&to&costBasis: the top 5 idle GPUs and starved training runs (lib/costs/queries/wasters.ts).
import { db } from "@/lib/db/client";
import { dashboardQuerySchema } from "@/lib/domain/fleet";
import { topWasters } from "@/lib/costs/queries/wasters";
import { orgRoute } from "@/lib/http/org-route";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  query: dashboardQuerySchema,
  handler: async ({ ctx, query }) => topWasters(db(), { orgId: ctx.orgId, from: query.from, to: query.to, costBasis: query.costBasis }),
});
