// GET /api/v1/ingestion-runs: the org's ingestion history, newest first (cursor = createdAt of the last).
import { z } from "zod";
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { toRunView } from "@/lib/ingest/run-view";
import { BILL_RUN_WHERE } from "@/lib/ingest/runs";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  query: z.object({
    org: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z.coerce.date().optional(),
  }),
  handler: async ({ ctx, query }) => {
    const runs = await db().ingestionRun.findMany({
      where: { orgId: ctx.orgId, ...BILL_RUN_WHERE, ...(query.before ? { createdAt: { lt: query.before } } : {}) },
      orderBy: { createdAt: "desc" },
      take: query.limit,
    });
    return { runs: runs.map(toRunView), nextBefore: runs.length === query.limit ? runs[runs.length - 1]!.createdAt.toISOString() : null };
  },
});
