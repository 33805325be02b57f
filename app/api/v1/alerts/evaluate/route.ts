// POST /api/v1/alerts/evaluate: queue an evaluation of the org's budgets and SLOs now (202).
import { orgRoute } from "@/lib/http/org-route";
import { producers } from "@/lib/queue/producers";

export const dynamic = "force-dynamic";

export const POST = orgRoute({
  permission: "alerts:manage",
  handler: async ({ ctx }) => {
    const [jobId] = await producers().enqueueAlertEvaluations([{ orgId: ctx.orgId, slot: new Date(), cause: "api" }]);
    return Response.json({ jobId }, { status: 202 });
  },
});
