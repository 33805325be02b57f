// GET /api/v1/ingestion-runs/:id: status and progress of one run (poll it after POST /api/v1/bills).
// DELETE: removes the run's rows (those no later run has replaced) and marks it DELETED; the rollups of
// its billing periods are refreshed.
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { AppError, notFound } from "@/lib/http/errors";
import { logger } from "@/lib/log";
import { toRunView } from "@/lib/ingest/run-view";
import { deleteIngestionRun } from "@/lib/ingest/runs";
import { enqueueRollupRefreshRange } from "@/lib/queue/producers";

export const dynamic = "force-dynamic";

const idOf = (params: Record<string, string | string[] | undefined>) => (typeof params.id === "string" ? params.id : "");

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ ctx, params }) => {
    const run = await db().ingestionRun.findFirst({ where: { id: idOf(params), orgId: ctx.orgId } });
    if (!run) throw notFound("Ingestion run not found");
    return toRunView(run);
  },
});

export const DELETE = orgRoute({
  permission: "bills:ingest",
  handler: async ({ ctx, params, requestId }) => {
    let out;
    try {
      out = await deleteIngestionRun(db(), { orgId: ctx.orgId, runId: idOf(params) });
    } catch (err) {
      throw new AppError("conflict", (err as Error).message);
    }
    if (!out) throw notFound("Ingestion run not found");
    if (out.window && out.rowsDeleted > 0) {
      await enqueueRollupRefreshRange({ orgId: ctx.orgId, from: out.window.from, to: out.window.to, cause: `delete-${idOf(params)}` }).catch((err: unknown) =>
        logger.warn({ err, orgId: ctx.orgId, requestId }, "rollup refresh after a run deletion was not queued"),
      );
    }
    return { deleted: idOf(params), rowsDeleted: out.rowsDeleted };
  },
});
