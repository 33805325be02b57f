// POST /api/v1/bills/connectors/:id/pull: pull now (queued for the worker); 202 with the job id.
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { notFound } from "@/lib/http/errors";
import { producers } from "@/lib/queue/producers";

export const dynamic = "force-dynamic";

export const POST = orgRoute({
  permission: "bills:ingest",
  handler: async ({ ctx, params }) => {
    const id = typeof params.id === "string" ? params.id : "";
    const connector = await db().connector.findFirst({ where: { id, orgId: ctx.orgId, kind: { in: ["BILL_S3", "BILL_HTTPS"] } } });
    if (!connector) throw notFound("Bill connector not found");
    const [jobId] = await producers().enqueueBillPulls([{ orgId: ctx.orgId, connectorId: id, slot: new Date(), cause: "manual" }]);
    return Response.json({ jobId }, { status: 202 });
  },
});
