"use client";

import { formatMoney } from "../format";
import type { IngestionRunView } from "@/lib/ingest/run-view";
import styles from "./ingestion.module.css";

export function statusClass(status: IngestionRunView["status"]): string {
  if (status === "FAILED") return styles.statusFailed!;
  if (status === "SUCCEEDED") return styles.statusOk!;
  if (status === "DELETED") return styles.statusDeleted!;
  return styles.statusBusy!;
}

export function money(amount: string | null, currency: string | null): string {
  if (amount === null || currency === null) return "—";
  return formatMoney(amount, currency);
}

export function periods(run: IngestionRunView): string {
  const months = [...new Set(run.billingPeriods.map((p) => p.billingPeriodStart.slice(0, 7)))].sort();
  if (months.length === 0) return "—";
  return months.length <= 2 ? months.join(", ") : `${months[0]} … ${months[months.length - 1]} (${months.length})`;
}

export function duration(ms: number | null): string {
  if (ms === null) return "—";
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

/** What an ingested bill contained: the numbers to reconcile against the invoice. */
export function RunResult({ run }: { run: IngestionRunView }) {
  return (
    <dl className={styles.result} data-testid="ingestion-result">
      <dt>Rows</dt>
      <dd>{run.rowsTotal?.toLocaleString("en-US") ?? "—"}</dd>
      <dt>Billed cost</dt>
      <dd data-testid="result-billed">{money(run.billedCost, run.currency)}</dd>
      <dt>Effective cost</dt>
      <dd data-testid="result-effective">{money(run.effectiveCost, run.currency)}</dd>
      <dt>List cost</dt>
      <dd>{money(run.listCost, run.currency)}</dd>
      <dt>GPU rows</dt>
      <dd>{run.gpuRows?.toLocaleString("en-US") ?? "—"}</dd>
      <dt>Billing periods replaced</dt>
      <dd>
        {run.billingPeriods.map((p) => (
          <div key={`${p.billingAccountId}/${p.billingPeriodStart}`}>
            {p.billingAccountId}, {p.billingPeriodStart.slice(0, 7)}: {p.rows.toLocaleString("en-US")} rows
          </div>
        ))}
      </dd>
      <dt>Format</dt>
      <dd>{run.format}</dd>
    </dl>
  );
}
