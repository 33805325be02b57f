// GET /api/v1/fleet/gpus/{gpuId}?from&to&costBasis: one GPU's hours (utilization, memory, power, cost,
// workload) and the workloads that ran on it (lib/costs/queries/gpu-detail.ts).
import { db } from "@/lib/db/client";
import { dashboardQuerySchema } from "@/lib/domain/fleet";
import { gpuDetail } from "@/lib/costs/queries/gpu-detail";
import { orgRoute } from "@/lib/http/org-route";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  query: dashboardQuerySchema,
  handler: async ({ ctx, query, params }) =>
    gpuDetail(db(), { orgId: ctx.orgId, gpuId: String(params.gpuId), from: query.from, to: query.to, costBasis: query.costBasis }),
});
