"use client";

// Upload a bill: drop a file (or pick one), it is streamed to POST /api/v1/bills with an upload progress
// bar, then the worker's progress is polled until the run succeeds (the totals are shown) or fails (the
// error, naming file, line and column, is shown).
import Link from "next/link";
import { useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useCurrentOrg } from "../org-context";
import { can } from "@/lib/domain/roles";
import { BILL_FORMATS } from "@/lib/connectors/shared/bill-row";
import { isBusy, useIngestionRun } from "./use-ingestion";
import { RunResult } from "./run-summary";
import styles from "./ingestion.module.css";
import { refetchAfterWrite } from "../refetch-after-write";

type Upload = { file: File; sent: number; total: number; error: string | null; runId: string | null };

function send(file: File, orgSlug: string, format: string, onProgress: (sent: number) => void): Promise<{ runId: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const q = new URLSearchParams({ filename: file.name, ...(format ? { format } : {}) });
    xhr.open("POST", `/api/v1/bills?${q}`);
    xhr.setRequestHeader("x-burnrate-org", orgSlug);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onerror = () => reject(new Error("The upload failed (network error)"));
    xhr.onload = () => {
      let body = null as { runId?: string; error?: { message?: string } } | null;
      try {
        body = JSON.parse(xhr.responseText) as { runId?: string; error?: { message?: string } };
      } catch {
        // not JSON
      }
      if (xhr.status === 202 && body?.runId) resolve({ runId: body.runId });
      else reject(new Error(body?.error?.message ?? `The upload was refused (${xhr.status})`));
    };
    xhr.send(file);
  });
}

export function BillUpload() {
  const org = useCurrentOrg();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [format, setFormat] = useState("");
  const [upload, setUpload] = useState<Upload | null>(null);
  const run = useIngestionRun(org.slug, upload?.runId ?? null);
  const allowed = can(org.role, "bills:ingest");
  const uploading = upload !== null && upload.runId === null && upload.error === null;
  const working = uploading || (run.data !== undefined && isBusy(run.data));

  async function start(file: File) {
    setUpload({ file, sent: 0, total: file.size, error: null, runId: null });
    try {
      const { runId } = await send(file, org.slug, format, (sent) => setUpload((u) => (u ? { ...u, sent } : u)));
      setUpload((u) => (u ? { ...u, sent: u.total, runId } : u));
      void refetchAfterWrite(queryClient, ["ingestion-runs", org.slug]);
    } catch (err) {
      setUpload((u) => (u ? { ...u, error: (err as Error).message } : u));
    }
  }

  function pick(files: FileList | null) {
    const file = files?.[0];
    if (file && !working) void start(file);
  }

  if (!allowed) return <p className="notice">Your role cannot ingest bills; ask an admin or a finance lead.</p>;

  const r = run.data;
  const done = r && !isBusy(r);
  return (
    <section className="panel" aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload a bill</h2>
      <p className="muted">
        FOCUS 1.0–1.2, AWS CUR 2.0 or legacy (CSV or Parquet), GCP billing export (CSV or JSON lines) or Azure cost export; gzip welcome. The
        billing periods the file covers replace what was ingested for them before.
      </p>
      <div className="field" style={{ maxWidth: 280 }}>
        <label htmlFor="bill-format">Format</label>
        <select id="bill-format" value={format} onChange={(e) => setFormat(e.target.value)} disabled={working}>
          <option value="">Detect from the header</option>
          {BILL_FORMATS.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      </div>
      <div
        role="button"
        tabIndex={0}
        aria-label="Drop a bill file here, or press Enter to choose one"
        aria-disabled={working}
        data-testid="bill-dropzone"
        className={`${styles.dropzone} ${dragging ? styles.dragging : ""}`}
        onClick={() => !working && input.current?.click()}
        onKeyDown={(e) => {
          if ((e.key === "Enter" || e.key === " ") && !working) {
            e.preventDefault();
            input.current?.click();
          }
        }}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          pick(e.dataTransfer.files);
        }}
      >
        <strong>Drop a bill file here</strong> or click to choose one
        <input ref={input} type="file" hidden data-testid="bill-file" onChange={(e) => pick(e.target.files)} />
      </div>

      {upload && (
        <div className={styles.steps} aria-live="polite">
          <div>
            <div>
              Uploading <strong>{upload.file.name}</strong> ({Math.round(upload.total / 1024).toLocaleString("en-US")} KiB)
            </div>
            <progress className={styles.progress} max={upload.total || 1} value={upload.sent} aria-label="Upload progress" />
          </div>
          {upload.runId && (
            <div>
              <div>
                {r?.status === "QUEUED" && "Waiting for a worker…"}
                {r?.status === "RUNNING" && `Ingesting: ${r.rowsLoaded.toLocaleString("en-US")} rows`}
                {r?.status === "SUCCEEDED" && "Ingested"}
                {r?.status === "FAILED" && "Failed"}
                {!r && "Starting…"}
              </div>
              <progress className={styles.progress} max={1} value={r ? (r.status === "SUCCEEDED" ? 1 : r.progress) : 0} aria-label="Ingestion progress" data-testid="ingestion-progress" />
            </div>
          )}
          {upload.error && (
            <p className={`alert ${styles.error}`} role="alert" data-testid="ingestion-error">
              {upload.error}
            </p>
          )}
          {done && r.status === "FAILED" && (
            <p className={`alert ${styles.error}`} role="alert" data-testid="ingestion-error">
              {r.error}
            </p>
          )}
          {done && r.status === "SUCCEEDED" && <RunResult run={r} />}
          {(done || upload.error) && (
            <p>
              <button type="button" className="btn" onClick={() => setUpload(null)}>
                Upload another file
              </button>{" "}
              <Link href={`/${org.slug}/ingestion`}>See the ingestion history</Link>
            </p>
          )}
        </div>
      )}
    </section>
  );
}
