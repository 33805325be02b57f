"use client";

import { useState } from "react";
import type { ActionResult } from "@/lib/domain/action-result";
import type { RecommendationRow } from "@/lib/recommendations/api-types";
import { formatDate, formatMoney } from "../format";
import { type Column, SortableTable } from "./sortable-table";

const KIND_LABELS: Record<string, string> = {
  "capacity-split": "Capacity split",
  "reclaim-idle": "Reclaim idle GPUs",
  "starved-training": "Starved training run",
  "underutilized-team": "Team under target utilization",
  "consolidate-inference": "Consolidate inference",
  quantize: "Quantize",
  "autoscale-on-tokens": "Autoscale on tokens",
};

const STATUS_LABELS: Record<RecommendationRow["status"], string> = { OPEN: "Open", ACCEPTED: "Accepted", DISMISSED: "Dismissed" };

function Evidence({ row }: { row: RecommendationRow }) {
  const { window: _w, ...rest } = row.evidence;
  const shown = row.kind === "capacity-split" ? { demand: rest.demand, monthly: rest.monthly, commitment: rest.commitment, onPrem: rest.onPrem } : rest;
  return (
    <details>
      <summary>Evidence</summary>
      <pre style={{ whiteSpace: "pre-wrap", fontSize: "0.75rem", maxWidth: "40rem" }}>{JSON.stringify(shown, null, 2)}</pre>
    </details>
  );
}

export function ActionsTable({
  rows,
  mayAct,
  onAccept,
  onDismiss,
}: {
  rows: RecommendationRow[];
  mayAct: boolean;
  onAccept: (id: string) => Promise<ActionResult<unknown>>;
  onDismiss: (id: string, reason: string) => Promise<ActionResult<unknown>>;
}) {
  const [dismissing, setDismissing] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function run(id: string, f: () => Promise<ActionResult<unknown>>) {
    setBusy(id);
    setError(null);
    try {
      const res = await f();
      if (!res.ok) setError(res.error.message);
      else setDismissing(null);
    } finally {
      setBusy(null);
    }
  }

  if (rows.length === 0) return <p className="empty">No recommendations yet: they are computed after the hourly rollups and daily.</p>;

  const columns: Column<RecommendationRow>[] = [
    {
      key: "title",
      label: "Recommendation",
      value: (r) => r.title,
      render: (r) => (
        <div>
          <strong>{r.title}</strong>
          {r.summary && <div className="muted">{r.summary}</div>}
          {r.risk && <div><small>Risk: {r.risk}</small></div>}
          <Evidence row={r} />
        </div>
      ),
    },
    { key: "kind", label: "Kind", value: (r) => KIND_LABELS[r.kind] ?? r.kind },
    { key: "savings", label: "Est. saving / mo", value: (r) => r.monthlySavings, numeric: true, render: (r) => formatMoney(r.monthlySavings, r.currency) },
    {
      key: "status",
      label: "Status",
      value: (r) => STATUS_LABELS[r.status],
      render: (r) => (
        <span data-testid="rec-status">
          {STATUS_LABELS[r.status]}
          {r.status === "DISMISSED" && r.dismissReason ? `: ${r.dismissReason}` : ""}
          {r.status === "ACCEPTED" && r.acceptedAt ? ` ${formatDate(r.acceptedAt)}` : ""}
        </span>
      ),
    },
    {
      key: "realised",
      label: "Realised / mo",
      value: (r) => r.realizedSavings,
      numeric: true,
      render: (r) => (r.realizedSavings !== null ? formatMoney(r.realizedSavings, r.currency) : r.status === "ACCEPTED" ? "awaiting data" : "—"),
    },
  ];
  if (mayAct) {
    columns.push({
      key: "act",
      label: "Action",
      value: () => null,
      render: (r) =>
        dismissing === r.id ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void run(r.id, () => onDismiss(r.id, reason));
            }}
          >
            <div className="field">
              <label htmlFor={`reason-${r.id}`}>Reason</label>
              <input id={`reason-${r.id}`} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} maxLength={500} />
            </div>
            <button type="submit" className="btn btn-small" disabled={busy === r.id}>
              Dismiss
            </button>
            <button type="button" className="btn btn-small" onClick={() => setDismissing(null)}>
              Cancel
            </button>
          </form>
        ) : (
          <span className="row-actions">
            {r.status !== "ACCEPTED" && (
              <button type="button" className="btn btn-small btn-primary" disabled={busy === r.id} onClick={() => run(r.id, () => onAccept(r.id))}>
                Accept
              </button>
            )}
            {r.status !== "DISMISSED" && (
              <button
                type="button"
                className="btn btn-small"
                disabled={busy === r.id}
                onClick={() => {
                  setReason("");
                  setDismissing(r.id);
                }}
              >
                Dismiss…
              </button>
            )}
          </span>
        ),
    });
  }
  return (
    <>
      {error && <p className="alert">{error}</p>}
      <SortableTable columns={columns} rows={rows} rowKey={(r) => r.id} caption="Recommendations to act on" csvName="recommendations.csv" testId="recommendations" />
    </>
  );
}
