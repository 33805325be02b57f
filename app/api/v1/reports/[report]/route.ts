// GET /api/v1/reports/{gpu-hours|training-runs|inference|idle}?from&to&groupBy&<dimension filters>&costBasis&format
// JSON { report, window, ..., rows, totals } or, with format=csv, the rows as CSV. Bad input is a 422
// naming the parameter (the wrapper maps the ZodError); an unknown report is a 404.
import { db } from "@/lib/db/client";
import { isReportKind, reportQuerySchema } from "@/lib/domain/reports";
import { runReport } from "@/lib/costs/run-report";
import { reportCsvFilename, reportToCsv } from "@/lib/costs/report-csv";
import { notFound } from "@/lib/http/errors";
import { orgRoute } from "@/lib/http/org-route";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ req, ctx, params }) => {
    const kind = params.report;
    if (!isReportKind(kind)) throw notFound("No such report: use gpu-hours, training-runs, inference or idle");
    const query = reportQuerySchema(kind).parse(Object.fromEntries(new URL(req.url).searchParams));
    const report = await runReport(db(), { orgId: ctx.orgId, kind, query });
    if (query.format === "csv") {
      return new Response(reportToCsv(report), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${reportCsvFilename(report)}"`,
          "cache-control": "no-store",
        },
      });
    }
    return report;
  },
});
