"use client";

// The ingestion history: every bill run with its source, file, billing periods, rows, totals, duration,
// status and error; re-run (a new run of the same stored file) and delete (removes the run's rows).
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useCurrentOrg } from "../org-context";
import { ConfirmButton } from "../settings/confirm-button";
import { formatDate } from "../format";
import { can } from "@/lib/domain/roles";
import { apiSend, isBusy, useIngestionRuns } from "./use-ingestion";
import { duration, money, periods, statusClass } from "./run-summary";
import styles from "./ingestion.module.css";
import { refetchAfterWrite } from "../refetch-after-write";

export function RunHistory() {
  const org = useCurrentOrg();
  const queryClient = useQueryClient();
  const runs = useIngestionRuns(org.slug);
  const [message, setMessage] = useState<{ kind: "notice" | "alert"; text: string } | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const allowed = can(org.role, "bills:ingest");

  async function act(runId: string, what: "rerun" | "delete") {
    setPending(runId);
    setMessage(null);
    try {
      if (what === "rerun") {
        await apiSend("POST", `/api/v1/ingestion-runs/${runId}/rerun`, org.slug);
        setMessage({ kind: "notice", text: "Queued a new run of the same file." });
      } else {
        const out = await apiSend<{ rowsDeleted: number }>("DELETE", `/api/v1/ingestion-runs/${runId}`, org.slug);
        setMessage({ kind: "notice", text: `Deleted the run and its ${out.rowsDeleted.toLocaleString("en-US")} rows.` });
      }
      await refetchAfterWrite(queryClient, ["ingestion-runs", org.slug]);
    } catch (err) {
      setMessage({ kind: "alert", text: (err as Error).message });
    } finally {
      setPending(null);
    }
  }

  if (runs.isPending) return <div className="skeleton" aria-busy="true" />;
  if (runs.isError) return <p className="alert">{runs.error.message}</p>;
  const list = runs.data.runs;
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">Ingestion history</h2>
      {message && (
        <p className={message.kind} role="status">
          {message.text}
        </p>
      )}
      {list.length === 0 ? (
        <p className="empty">No bills ingested yet.</p>
      ) : (
        <div style={{ overflowX: "auto" }}>
          <table className="data" data-testid="ingestion-history">
            <thead>
              <tr>
                <th>Started</th>
                <th>Source</th>
                <th>File</th>
                <th>Billing period</th>
                <th>Rows</th>
                <th>Billed</th>
                <th>Effective</th>
                <th>Duration</th>
                <th>Status</th>
                {allowed && <th>Actions</th>}
              </tr>
            </thead>
            <tbody>
              {list.map((r) => (
                <tr key={r.id} data-run-id={r.id}>
                  <td>{formatDate(r.startedAt ?? r.createdAt)}</td>
                  <td>{r.source.toLowerCase()}</td>
                  <td>
                    <div>{r.fileName ?? "—"}</div>
                    <div className="muted">{r.format}</div>
                  </td>
                  <td>{periods(r)}</td>
                  <td className={styles.numbers}>{isBusy(r) ? `${r.rowsLoaded.toLocaleString("en-US")}…` : (r.rowsTotal?.toLocaleString("en-US") ?? "—")}</td>
                  <td className={styles.numbers}>{money(r.billedCost, r.currency)}</td>
                  <td className={styles.numbers}>{money(r.effectiveCost, r.currency)}</td>
                  <td>{duration(r.durationMs)}</td>
                  <td>
                    <span className={`badge ${statusClass(r.status)}`}>{r.status.toLowerCase()}</span>
                    {r.status === "RUNNING" && <progress className={styles.progress} max={1} value={r.progress} aria-label="Progress" />}
                    {r.error && r.status === "FAILED" && <div className={`${styles.error} error-text`}>{r.error}</div>}
                  </td>
                  {allowed && (
                    <td>
                      <div className="row-actions">
                        {r.canRerun && (
                          <button type="button" className="btn btn-small" disabled={pending === r.id} onClick={() => void act(r.id, "rerun")}>
                            Re-run
                          </button>
                        )}
                        {!isBusy(r) && r.status !== "DELETED" && (
                          <ConfirmButton
                            label="Delete"
                            confirmLabel="Delete its rows"
                            accessibleName={`Delete the run of ${r.fileName ?? r.id}`}
                            disabled={pending === r.id}
                            onConfirm={() => void act(r.id, "delete")}
                          />
                        )}
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
