// GET /api/v1/workloads/{id}?from&to&costBasis: one training run or inference service over time
// (lib/costs/queries/workload-detail.ts). The workload is looked up in the caller's org before the
// query is validated, so another org's id is a 404 whatever the query.
import { db } from "@/lib/db/client";
import { dashboardQuerySchema } from "@/lib/domain/fleet";
import { workloadDetail } from "@/lib/costs/queries/workload-detail";
import { notFound } from "@/lib/http/errors";
import { orgRoute } from "@/lib/http/org-route";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ req, ctx, params }) => {
    const workloadId = String(params.workloadId);
    if (!(await db().workload.findFirst({ where: { id: workloadId, orgId: ctx.orgId }, select: { id: true } }))) throw notFound("No such workload");
    const query = dashboardQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    return workloadDetail(db(), { orgId: ctx.orgId, workloadId, from: query.from, to: query.to, costBasis: query.costBasis });
  },
});
