// GET /api/v1/slos: every SLO with status, error budget left, burn rates and breach history.
// POST /api/v1/slos: create one (body: lib/domain/alerting sloInputSchema).
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { listSloViews } from "@/lib/slo/status";
import { sloInputSchema } from "@/lib/domain/alerting";
import { notFound } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ ctx }) => {
    const prisma = db();
    const [slos, services, budgets] = await Promise.all([
      listSloViews(prisma, ctx.orgId, new Date()),
      prisma.workload.findMany({ where: { orgId: ctx.orgId, kind: "INFERENCE_SERVICE" }, select: { id: true, name: true, namespace: true }, orderBy: { name: "asc" }, take: 500 }),
      prisma.budget.findMany({ where: { orgId: ctx.orgId }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    ]);
    return { slos, services, budgets };
  },
});

export const POST = orgRoute({
  permission: "slos:manage",
  body: sloInputSchema,
  handler: async ({ ctx, body }) => {
    const prisma = db();
    if (body.workloadId && !(await prisma.workload.findFirst({ where: { id: body.workloadId, orgId: ctx.orgId }, select: { id: true } }))) throw notFound("Service not found");
    if (body.budgetId && !(await prisma.budget.findFirst({ where: { id: body.budgetId, orgId: ctx.orgId }, select: { id: true } }))) throw notFound("Budget not found");
    const s = await prisma.sloDefinition.create({
      data: {
        orgId: ctx.orgId,
        name: body.name,
        kind: body.kind,
        percentile: body.kind === "LATENCY" ? body.percentile : null,
        thresholdMs: body.kind === "LATENCY" ? body.thresholdMs : null,
        objective: body.kind === "SUCCESS_RATIO" || body.kind === "GPU_UTILIZATION" ? body.objective : null,
        workloadId: body.kind === "SPEND" ? null : (body.workloadId ?? null),
        scopeKind: body.scopeKind,
        scopeValue: body.scopeKind === "ORG" ? null : (body.scopeValue ?? null),
        budgetId: body.kind === "SPEND" ? body.budgetId : null,
        windowDays: body.windowDays,
      },
    });
    return Response.json({ slo: { id: s.id, name: s.name } }, { status: 201 });
  },
});
