// POST /api/v1/ingestion-runs/:id/rerun: ingest the same stored file (or connector object) again, as a
// new run with the same options; 202 with the new run's id.
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { AppError, notFound } from "@/lib/http/errors";
import { toRunView } from "@/lib/ingest/run-view";
import { rerunIngestion } from "@/lib/ingest/runs";
import { enqueueIngestRun } from "@/lib/queue/producers";

export const dynamic = "force-dynamic";

export const POST = orgRoute({
  permission: "bills:ingest",
  handler: async ({ ctx, params }) => {
    const id = typeof params.id === "string" ? params.id : "";
    let run;
    try {
      run = await rerunIngestion(db(), { orgId: ctx.orgId, runId: id, source: ctx.actor.kind === "apiKey" ? "API" : "UPLOAD" });
    } catch (err) {
      throw new AppError("conflict", (err as Error).message);
    }
    if (!run) throw notFound("Ingestion run not found");
    await enqueueIngestRun({ orgId: ctx.orgId, runId: run.id });
    const location = `/api/v1/ingestion-runs/${run.id}`;
    return Response.json({ runId: run.id, status: run.status, statusUrl: location, run: toRunView(run) }, { status: 202, headers: { location } });
  },
});
