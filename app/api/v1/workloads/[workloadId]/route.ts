// GET /api/v1/workloads/{id}?from&to&costBasis: one training run or inference service over time
// (lib/costs/queries/workload-detail.ts).
import { db } from "@/lib/db/client";
import { dashboardQuerySchema } from "@/lib/domain/fleet";
import { workloadDetail } from "@/lib/costs/queries/workload-detail";
import { orgRoute } from "@/lib/http/org-route";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  query: dashboardQuerySchema,
  handler: async ({ ctx, query, params }) =>
    workloadDetail(db(), { orgId: ctx.orgId, workloadId: String(params.workloadId), from: query.from, to: query.to, costBasis: query.costBasis }),
});
