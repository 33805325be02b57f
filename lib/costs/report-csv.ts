// CSV export of a report: a header row, then one line per row, with exactly the numbers of the JSON
// (money as its decimal string, quantities as numbers, empty for null). RFC 4180 quoting; text that a
// spreadsheet would run as a formula (=, +, -, @ at the start, and not a number) is prefixed with '.
import type { Report, ReportDimension, ReportKind } from "../domain/reports";

const GPU_HOUR_COLUMNS = [
  "currency",
  "gpuHours",
  "unpricedGpuHours",
  "knownUtilizationGpuHours",
  "gapGpuHours",
  "usefulGpuHours",
  "meanUtilization",
  "idleGpuHours",
  "cost",
  "costPerGpuHour",
  "costPerUsefulGpuHour",
  "idleCost",
  "unusedCapacityCost",
  "gapCost",
  "unattributedGpuHours",
  "unattributedCost",
  "energyKwh",
];

const IDLE_COLUMNS = ["currency", "idleGpuHours", "idleCost", "unpricedIdleGpuHours", "idleShare", "gpuHours", "unpricedGpuHours", "knownUtilizationGpuHours", "unusedCapacityCost"];

const TRAINING_RUN_COLUMNS = [
  "runId",
  "namespace",
  "team",
  "cluster",
  "currency",
  "gpuHours",
  "unpricedGpuHours",
  "durationHours",
  "firstHour",
  "lastHour",
  "meanUtilization",
  "usefulGpuHours",
  "knownUtilizationGpuHours",
  "gapGpuHours",
  "idleGpuHours",
  "idleShare",
  "gpuCost",
  "cpuRamCost",
  "cost",
  "costPerUsefulGpuHour",
  "energyKwh",
  "energyCost",
];

const INFERENCE_COLUMNS = [
  "service",
  "namespace",
  "modelName",
  "team",
  "cluster",
  "currency",
  "inferences",
  "failures",
  "successRatio",
  "promptTokens",
  "generationTokens",
  "tokens",
  "gpuHours",
  "unpricedGpuHours",
  "meanUtilization",
  "cost",
  "costPer1kInferences",
  "costPer1mTokens",
  "p50LatencyMs",
  "p95LatencyMs",
  "p99LatencyMs",
  "cpuRamCost",
  "energyKwh",
  "energyCost",
];

/** The CSV columns of a report: its group keys (if any), then its fields in a fixed order. */
export function reportColumns(kind: ReportKind, groupBy: ReportDimension[]): string[] {
  switch (kind) {
    case "gpu-hours":
      return [...groupBy, ...GPU_HOUR_COLUMNS];
    case "idle":
      return [...groupBy, ...IDLE_COLUMNS];
    case "training-runs":
      return TRAINING_RUN_COLUMNS;
    case "inference":
      return INFERENCE_COLUMNS;
  }
}

const NUMBER_LIKE = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !NUMBER_LIKE.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  const lines = [columns.map(csvCell).join(",")];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(","));
  return lines.join("\r\n") + "\r\n";
}

export function reportToCsv(report: Report): string {
  return toCsv(reportColumns(report.report, report.groupBy), report.rows as unknown as Array<Record<string, unknown>>);
}

export function reportCsvFilename(report: Report): string {
  const stamp = (iso: string) => iso.slice(0, 13).replace(/[-:]/g, "");
  return `burnrate-${report.report}-${stamp(report.window.from)}-${stamp(report.window.to)}.csv`;
}
