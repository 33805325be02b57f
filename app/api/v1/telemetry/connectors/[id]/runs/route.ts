// GET /api/v1/telemetry/connectors/:id/runs: the connector's last ingestion runs, newest first.
import { z } from "zod";
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { notFound } from "@/lib/http/errors";
import { TELEMETRY_CONNECTOR_KINDS } from "@/lib/telemetry/drivers";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  query: z.object({ org: z.string().optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }),
  handler: async ({ ctx, params, query }) => {
    const id = typeof params.id === "string" ? params.id : "";
    const connector = await db().connector.findFirst({ where: { id, orgId: ctx.orgId, kind: { in: [...TELEMETRY_CONNECTOR_KINDS] } }, select: { id: true } });
    if (!connector) throw notFound("Connector not found");
    const runs = await db().ingestionRun.findMany({
      where: { orgId: ctx.orgId, connectorId: id },
      orderBy: { createdAt: "desc" },
      take: query.limit,
      select: { id: true, status: true, progress: true, rowsLoaded: true, windowStart: true, windowEnd: true, error: true, startedAt: true, finishedAt: true, createdAt: true },
    });
    return { runs };
  },
});
