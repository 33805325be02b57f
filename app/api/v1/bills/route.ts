// POST /api/v1/bills: upload a bill file as the raw request body (any of the supported formats; gzip
// welcome). The body is streamed to storage, an ingestion run is created and queued for the worker,
// and the answer is 202 with the run id; GET /api/v1/ingestion-runs/:id reports its progress.
//   curl -X POST --data-binary @cur.csv.gz -H "Authorization: Bearer $KEY" \
//        "https://burnrate.example/api/v1/bills?filename=cur.csv.gz[&format=aws-cur-2.0]"
import { z } from "zod";
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { AppError } from "@/lib/http/errors";
import { logger } from "@/lib/log";
import { BILL_FORMATS } from "@/lib/connectors/shared/bill-row";
import { createIngestionRun } from "@/lib/ingest/runs";
import { toRunView } from "@/lib/ingest/run-view";
import { saveUpload, UploadError } from "@/lib/ingest/uploads";
import { enqueueIngestRun } from "@/lib/queue/producers";

export const dynamic = "force-dynamic";

const query = z.object({
  org: z.string().optional(),
  filename: z.string().min(1).max(300).optional(),
  format: z.enum(BILL_FORMATS).optional(),
  /** Conversion rates for bills in more than one currency: "EUR:1.0825,GBP:1.27". */
  rates: z
    .string()
    .regex(/^[A-Za-z]{3}:\d+(\.\d+)?(,[A-Za-z]{3}:\d+(\.\d+)?)*$/, "rates look like EUR:1.0825,GBP:1.27")
    .optional(),
});

function fileNameOf(req: Request, fromQuery?: string): string {
  if (fromQuery) return fromQuery;
  const header = req.headers.get("x-file-name");
  if (header) return decodeURIComponent(header);
  const cd = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(req.headers.get("content-disposition") ?? "");
  return cd ? decodeURIComponent(cd[1]!) : "bill.csv";
}

export const POST = orgRoute({
  permission: "bills:ingest",
  query,
  handler: async ({ req, ctx, query: q, requestId }) => {
    const fileName = fileNameOf(req, q.filename);
    let saved;
    try {
      saved = await saveUpload({ orgId: ctx.orgId, body: req.body, fileName });
    } catch (err) {
      if (err instanceof UploadError) throw new AppError(err.status === 413 ? "unprocessable" : "unprocessable", err.message, { code: err.status === 413 ? "too_large" : "empty_file" });
      throw err;
    }
    const rates = q.rates ? Object.fromEntries(q.rates.split(",").map((p) => [p.slice(0, 3).toUpperCase(), p.slice(4)])) : undefined;
    const prisma = db();
    const run = await createIngestionRun(prisma, {
      orgId: ctx.orgId,
      source: ctx.actor.kind === "apiKey" ? "API" : "UPLOAD",
      fileName,
      sourceUri: saved.path,
      options: { ...(q.format ? { format: q.format } : {}), ...(rates ? { rates } : {}) },
    });
    await prisma.ingestionRun.update({ where: { id: run.id }, data: { bytesTotal: BigInt(saved.size) } });
    try {
      await enqueueIngestRun({ orgId: ctx.orgId, runId: run.id });
    } catch (err) {
      logger.error({ err, orgId: ctx.orgId, runId: run.id, requestId }, "could not queue an ingestion run");
      await prisma.ingestionRun.update({ where: { id: run.id }, data: { status: "FAILED", error: "The ingestion queue is unavailable; re-run this file later", finishedAt: new Date() } });
      throw new AppError("internal", "The ingestion queue is unavailable; the file was stored, re-run it later", { runId: run.id });
    }
    const view = toRunView({ ...run, bytesTotal: BigInt(saved.size) });
    const location = `/api/v1/ingestion-runs/${run.id}`;
    return Response.json({ runId: run.id, status: view.status, statusUrl: location, run: view }, { status: 202, headers: { location } });
  },
});
