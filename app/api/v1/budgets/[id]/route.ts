// GET /api/v1/budgets/:id (status, forecast, top movers) and DELETE.
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { notFound } from "@/lib/http/errors";
import { budgetStatus, spendScopeOf } from "@/lib/budgets/status";
import { topMovers } from "@/lib/budgets/spend";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ ctx, params }) => {
    const prisma = db();
    const b = await prisma.budget.findFirst({ where: { id: String(params.id), orgId: ctx.orgId } });
    if (!b) throw notFound("Budget not found");
    const now = new Date();
    return { budget: await budgetStatus(prisma, b, now), topMovers: await topMovers(prisma, spendScopeOf(b), { now, limit: 5 }) };
  },
});

export const DELETE = orgRoute({
  permission: "budgets:manage",
  handler: async ({ ctx, params }) => {
    const { count } = await db().budget.deleteMany({ where: { id: String(params.id), orgId: ctx.orgId } });
    if (count === 0) throw notFound("Budget not found");
    return { deleted: String(params.id) };
  },
});
