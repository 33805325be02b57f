// GET /api/v1/fleet/gpus/{gpuId}?from&to&costBasis: one GPU's hours (utilization, memory, power, cost,
// workload) and the workloads that ran on it (lib/costs/queries/gpu-detail.ts). The GPU is looked up
// in the caller's org before the query is validated, so another org's id is a 404 whatever the query.
import { db } from "@/lib/db/client";
import { dashboardQuerySchema } from "@/lib/domain/fleet";
import { gpuDetail } from "@/lib/costs/queries/gpu-detail";
import { notFound } from "@/lib/http/errors";
import { orgRoute } from "@/lib/http/org-route";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ req, ctx, params }) => {
    const gpuId = String(params.gpuId);
    if (!(await db().gpu.findFirst({ where: { id: gpuId, orgId: ctx.orgId }, select: { id: true } }))) throw notFound("No such GPU");
    const query = dashboardQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    return gpuDetail(db(), { orgId: ctx.orgId, gpuId, from: query.from, to: query.to, costBasis: query.costBasis });
  },
});
