import { ZodError } from "zod";
import type { Command } from "../command";
import { stringOpt } from "../command";
import { UsageError } from "../output";
import { db } from "../../db/client";
import { AppError } from "../../http/errors";
import { isReportKind, REPORT_DIMENSIONS, REPORT_KINDS, reportQuerySchema, type Report, type ReportDimension } from "../../domain/reports";
import { runReport } from "../../costs/run-report";
import { reportColumns, reportToCsv } from "../../costs/report-csv";

/** --gpu-model for the gpuModel dimension, and so on. */
const flagOf = (d: ReportDimension) => d.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** A plain-text table of the report's rows and totals, for people (scripts use --json or --csv). */
function humanTable(report: Report): string {
  const columns = reportColumns(report.report, report.groupBy).filter((c) =>
    ["gpuHours", "cost", "costPerGpuHour", "meanUtilization", "idleGpuHours", "idleCost", "durationHours", "costPerUsefulGpuHour", "inferences", "tokens", "costPer1kInferences", "costPer1mTokens", "p95LatencyMs", "currency", "runId", "service", "namespace", ...report.groupBy].includes(c),
  );
  const cell = (v: unknown) => (v === null || v === undefined ? "—" : String(v));
  const rows = (report.rows as unknown as Array<Record<string, unknown>>).map((r) => columns.map((c) => cell(r[c])));
  const totals = report.totals as unknown as Record<string, unknown>;
  const totalLine = columns.map((c, i) => (i === 0 ? "TOTAL" : c in totals && !(report.groupBy as string[]).includes(c) ? cell(totals[c]) : ""));
  const all = [columns, ...rows, totalLine];
  const widths = columns.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd();
  return [
    `${report.report} ${report.window.from} → ${report.window.to} (${report.costBasis} cost, idle < ${report.idleThreshold * 100}%)`,
    line(columns),
    ...rows.map(line),
    line(totalLine),
  ].join("\n");
}

export const reportCommand: Command = {
  usage: `burnrate report <${REPORT_KINDS.join("|")}> --org <slug> --from <iso> --to <iso> [--group-by <dim>[,<dim>]] [--cost-basis effective|billed] [${REPORT_DIMENSIONS.map((d) => `--${flagOf(d)} <v>[,<v>]`).join("] [")}] [--csv] [--json]`,
  summary: "Cost report (the same JSON as GET /api/v1/reports/<kind>): rows and totals over a window of whole UTC hours",
  options: {
    org: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    "group-by": { type: "string" },
    "cost-basis": { type: "string" },
    csv: { type: "boolean" },
    ...Object.fromEntries(REPORT_DIMENSIONS.map((d) => [flagOf(d), { type: "string" as const }])),
  },
  async run({ positionals, values }) {
    const [kind] = positionals;
    const slug = stringOpt(values, "org");
    if (!kind || !slug) throw new UsageError(`Usage: ${this.usage}`);
    if (!isReportKind(kind)) throw new UsageError(`Unknown report "${kind}"; one of ${REPORT_KINDS.join(", ")}`);
    const raw: Record<string, string> = {};
    const put = (key: string, v: string | undefined) => v !== undefined && (raw[key] = v);
    put("from", stringOpt(values, "from"));
    put("to", stringOpt(values, "to"));
    put("groupBy", stringOpt(values, "group-by"));
    put("costBasis", stringOpt(values, "cost-basis"));
    for (const d of REPORT_DIMENSIONS) put(d, stringOpt(values, flagOf(d)));
    let query;
    try {
      query = reportQuerySchema(kind).parse(raw);
    } catch (err) {
      if (!(err instanceof ZodError)) throw err;
      const flag = (p: PropertyKey | undefined) => {
        const k = String(p ?? "");
        return k === "groupBy" ? "--group-by" : k === "costBasis" ? "--cost-basis" : `--${flagOf(k as ReportDimension)}`;
      };
      throw new UsageError(err.issues.map((i) => `${flag(i.path[0])} ${i.message}`).join("; "));
    }
    const org = await db().org.findUnique({ where: { slug }, select: { id: true } });
    if (!org) throw new AppError("not_found", `No organization with slug "${slug}"`);
    const report = await runReport(db(), { orgId: org.id, kind, query });
    return { human: values.csv ? reportToCsv(report).trimEnd() : humanTable(report), json: report };
  },
};
