// GET /api/v1/slos/:id and DELETE.
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { notFound } from "@/lib/http/errors";
import { sloView } from "@/lib/slo/status";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ ctx, params }) => {
    const prisma = db();
    const s = await prisma.sloDefinition.findFirst({ where: { id: String(params.id), orgId: ctx.orgId }, include: { workload: { select: { name: true, namespace: true } } } });
    if (!s) throw notFound("SLO not found");
    return { slo: await sloView(prisma, s, new Date()) };
  },
});

export const DELETE = orgRoute({
  permission: "slos:manage",
  handler: async ({ ctx, params }) => {
    const { count } = await db().sloDefinition.deleteMany({ where: { id: String(params.id), orgId: ctx.orgId } });
    if (count === 0) throw notFound("SLO not found");
    return { deleted: String(params.id) };
  },
});
