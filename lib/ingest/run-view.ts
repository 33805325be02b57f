// What the API and the UI show of an ingestion run. Client-safe: only types are imported.
import type { IngestionRun } from "../db/client";

export type IngestionRunView = {
  id: string;
  source: string;
  format: string;
  fileName: string | null;
  status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "DELETED";
  /** 0..1 */
  progress: number;
  rowsLoaded: number;
  rowsTotal: number | null;
  bytesRead: number;
  bytesTotal: number | null;
  billedCost: string | null;
  effectiveCost: string | null;
  listCost: string | null;
  currency: string | null;
  billingPeriods: Array<{ billingAccountId: string; billingPeriodStart: string; billingPeriodEnd: string; rows: number; billedCost?: string }>;
  gpuRows: number | null;
  rowsReplaced: number | null;
  error: string | null;
  errorDetail: { code?: string; file?: string; line?: number; column?: string } | null;
  attempts: number;
  connectorId: string | null;
  canRerun: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
};

export function toRunView(r: IngestionRun): IngestionRunView {
  return {
    id: r.id,
    source: r.source,
    format: r.kind,
    fileName: r.fileName,
    status: r.status,
    progress: r.progress,
    rowsLoaded: r.rowsLoaded,
    rowsTotal: r.rowsTotal,
    bytesRead: Number(r.bytesRead),
    bytesTotal: r.bytesTotal === null ? null : Number(r.bytesTotal),
    billedCost: r.billedCost?.toFixed() ?? null,
    effectiveCost: r.effectiveCost?.toFixed() ?? null,
    listCost: r.listCost?.toFixed() ?? null,
    currency: r.currency,
    billingPeriods: Array.isArray(r.billingPeriods) ? (r.billingPeriods as IngestionRunView["billingPeriods"]) : [],
    gpuRows: r.gpuRows,
    rowsReplaced: r.rowsReplaced,
    error: r.error,
    errorDetail: (r.errorDetail as IngestionRunView["errorDetail"]) ?? null,
    attempts: r.attempts,
    connectorId: r.connectorId,
    canRerun: r.sourceUri !== null && r.status !== "RUNNING" && r.status !== "QUEUED",
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
  };
}
