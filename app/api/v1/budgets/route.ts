// GET /api/v1/budgets: every budget with its spend this period, forecast and burn-down points.
// POST /api/v1/budgets: create one (body: lib/domain/alerting budgetInputSchema).
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { budgetStatus } from "@/lib/budgets/status";
import { budgetInputSchema } from "@/lib/domain/alerting";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ ctx }) => {
    const prisma = db();
    const now = new Date();
    const budgets = await prisma.budget.findMany({ where: { orgId: ctx.orgId }, orderBy: { name: "asc" } });
    const views = [];
    for (const b of budgets) views.push(await budgetStatus(prisma, b, now));
    return { budgets: views, asOf: now.toISOString() };
  },
});

export const POST = orgRoute({
  permission: "budgets:manage",
  body: budgetInputSchema,
  handler: async ({ ctx, body }) => {
    const prisma = db();
    const b = await prisma.budget.create({
      data: {
        orgId: ctx.orgId,
        name: body.name,
        period: body.period,
        amount: body.amount,
        currency: body.currency,
        scopeKind: body.scopeKind,
        scopeValue: body.scopeKind === "ORG" ? null : (body.scopeValue ?? null),
        costBasis: body.costBasis,
        thresholds: [...new Set(body.thresholds)].sort((x, y) => x - y),
        forecastThreshold: body.forecastThreshold,
      },
    });
    return Response.json({ budget: await budgetStatus(prisma, b, new Date()) }, { status: 201 });
  },
});

