"use client";

// Settings → Connectors → Bill sources: the org's bill pull connectors (an S3 bucket prefix where AWS
// delivers CUR / FOCUS exports, or an HTTPS URL), their health, "Test connection", "Pull now", edit,
// enable/disable and delete. Credentials are write-only: the API only says whether some are stored.
// The worker polls every enabled connector each minute and pulls it when its interval has passed; what
// a pull ingested shows in the ingestion history.
import Link from "next/link";
import { useMemo, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { can } from "@/lib/domain/roles";
import type { BillConnectorJson } from "@/lib/domain/connectors";
import { useCurrentOrg } from "../org-context";
import { apiGet } from "../api-fetch";
import { StatusMessage, type Message } from "../status-message";
import { ConnectorFormFooter, formatDateTime, formatDuration, truncate, useConnectorForm, useConnectorMutations, useEditSlot, type ConnectionTest } from "./connector-parts";
import { RowActions, confirmAction, connectorButtons } from "./row-actions";
import { unwrap } from "./unwrap";
import type { SettingsAction } from "./types";
import { refetchAfterWrite } from "../refetch-after-write";

export type BillConnectorsActions = {
  createBillConnector: SettingsAction<{ id: string; name: string }>;
  updateBillConnector: SettingsAction<{ id: string; name: string }>;
  setBillConnectorEnabled: SettingsAction<{ id: string; enabled: boolean }>;
  deleteBillConnector: SettingsAction<unknown>;
  testBillConnection: SettingsAction<ConnectionTest>;
  runBillConnectorNow: SettingsAction<{ jobId: string; requestedAt: string }>;
};

const BILL_FORMAT_OPTIONS = ["focus-1.0", "focus-1.1", "focus-1.2", "aws-cur-2.0", "aws-cur-legacy", "gcp-billing", "azure-cost"];
const KIND_LABELS: Record<string, string> = { BILL_S3: "S3 prefix", BILL_HTTPS: "HTTPS URL" };
const STATUS_LABELS: Record<string, string> = { NEVER_RUN: "Never run", HEALTHY: "Healthy", RUNNING: "Pulling", FAILING: "Failing", DISABLED: "Disabled" };

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** Where a connector pulls from, as one string. */
export function billSource(c: Pick<BillConnectorJson, "kind" | "config">): string {
  return c.kind === "BILL_S3" ? `s3://${str(c.config.bucket)}/${str(c.config.prefix)}` : str(c.config.url);
}

type Credentials =
  | { mode: "keep" }
  | { mode: "none" }
  | { mode: "s3"; accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | { mode: "bearer"; token: string };
type FormValues = {
  kind: string;
  name: string;
  everySeconds: number;
  format: string;
  bucket: string;
  prefix: string;
  region: string;
  endpoint: string;
  include: string;
  url: string;
  fileName: string;
  credentials: Credentials;
};

/** The form's values; `kind` comes from the component (its select is disabled, so not in the form data, when editing). */
function readForm(form: HTMLFormElement, editing: boolean, kind: string): FormValues {
  const f = new FormData(form);
  const text = (k: string) => String(f.get(k) ?? "").trim();
  const mode = text("credentialsMode") || (editing ? "keep" : "none");
  let credentials: Credentials;
  if (mode === "s3") {
    const accessKeyId = text("accessKeyId");
    const secretAccessKey = String(f.get("secretAccessKey") ?? "");
    credentials = accessKeyId ? { mode: "s3", accessKeyId, secretAccessKey, sessionToken: text("sessionToken") || undefined } : editing ? { mode: "keep" } : { mode: "none" };
  } else if (mode === "bearer") {
    const token = String(f.get("token") ?? "");
    credentials = token ? { mode: "bearer", token } : editing ? { mode: "keep" } : { mode: "none" };
  } else {
    credentials = mode === "none" ? { mode: "none" } : { mode: "keep" };
  }
  return {
    kind,
    name: text("name"),
    everySeconds: Number(f.get("everySeconds") ?? 3600),
    format: text("format"),
    bucket: text("bucket"),
    prefix: text("prefix"),
    region: text("region"),
    endpoint: text("endpoint"),
    include: text("include"),
    url: text("url"),
    fileName: text("fileName"),
    credentials,
  };
}

/** The form's values as the actions take them (the fields of the other kind left out). */
function sourceFields(v: FormValues) {
  return v.kind === "BILL_S3"
    ? { bucket: v.bucket, prefix: v.prefix, region: v.region, endpoint: v.endpoint, include: v.include, format: v.format }
    : { url: v.url, fileName: v.fileName, format: v.format };
}

function BillConnectorForm({ actions, editing, onDone }: { actions: BillConnectorsActions; editing: BillConnectorJson | null; onDone: (text: string) => void }) {
  const org = useCurrentOrg();
  const prefix = editing ? `bill-edit-${editing.id}` : "bill-new";
  const [kind, setKind] = useState(editing?.kind ?? "BILL_S3");
  const [mode, setMode] = useState<string>(editing ? "keep" : "none");
  const cfg = editing?.config ?? {};
  const form = useConnectorForm<FormValues>({
    editing: Boolean(editing),
    save: (v) =>
      editing
        ? unwrap(actions.updateBillConnector(org.slug, { connectorId: editing.id, name: v.name, everySeconds: v.everySeconds, credentials: v.credentials, ...sourceFields(v) }))
        : unwrap(actions.createBillConnector(org.slug, { kind: v.kind, name: v.name, everySeconds: v.everySeconds, credentials: v.credentials, ...sourceFields(v) })),
    test: (v) => unwrap(actions.testBillConnection(org.slug, { connectorId: editing?.id, draft: { kind: editing ? undefined : v.kind, credentials: v.credentials, ...sourceFields(v) } })),
    onDone,
  });

  const s3 = kind === "BILL_S3";
  return (
    <form
      aria-label={editing ? `Edit bill source ${editing.name}` : "Add a bill source"}
      onSubmit={(e) => {
        e.preventDefault();
        form.save.mutate(readForm(e.currentTarget, Boolean(editing), kind));
      }}
    >
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${prefix}-kind`}>Source</label>
          <select
            id={`${prefix}-kind`}
            name="kind"
            value={kind}
            disabled={Boolean(editing)}
            onChange={(e) => {
              setKind(e.target.value);
              setMode("none");
              form.setTest(null);
            }}
          >
            <option value="BILL_S3">S3 bucket prefix</option>
            <option value="BILL_HTTPS">HTTPS URL</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-name`}>Name</label>
          <input id={`${prefix}-name`} name="name" required maxLength={100} defaultValue={editing?.name ?? ""} placeholder="CUR export" />
        </div>
        {s3 ? (
          <>
            <div className="field">
              <label htmlFor={`${prefix}-bucket`}>Bucket</label>
              <input id={`${prefix}-bucket`} name="bucket" required minLength={3} maxLength={255} defaultValue={str(cfg.bucket)} placeholder="acme-billing" />
            </div>
            <div className="field">
              <label htmlFor={`${prefix}-prefix`}>Prefix</label>
              <input id={`${prefix}-prefix`} name="prefix" maxLength={1024} defaultValue={str(cfg.prefix)} placeholder="cur/acme-export/" />
            </div>
            <div className="field">
              <label htmlFor={`${prefix}-region`}>Region</label>
              <input id={`${prefix}-region`} name="region" maxLength={64} defaultValue={str(cfg.region)} placeholder="us-east-1" />
            </div>
            <div className="field">
              <label htmlFor={`${prefix}-endpoint`}>Endpoint (S3-compatible, optional)</label>
              <input id={`${prefix}-endpoint`} name="endpoint" type="url" maxLength={2048} defaultValue={str(cfg.endpoint)} placeholder="https://minio.internal:9000" />
            </div>
          </>
        ) : (
          <>
            <div className="field">
              <label htmlFor={`${prefix}-url`}>URL</label>
              <input id={`${prefix}-url`} name="url" type="url" required maxLength={2048} size={40} defaultValue={str(cfg.url)} placeholder="https://exports.example.com/focus.csv.gz" />
            </div>
            <div className="field">
              <label htmlFor={`${prefix}-file-name`}>File name (optional)</label>
              <input id={`${prefix}-file-name`} name="fileName" maxLength={255} defaultValue={str(cfg.fileName)} placeholder="focus.csv.gz" />
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor={`${prefix}-format`}>Format</label>
          <select id={`${prefix}-format`} name="format" defaultValue={str(cfg.format)}>
            <option value="">Detect from the header</option>
            {BILL_FORMAT_OPTIONS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-every`}>Pull every (seconds)</label>
          <input id={`${prefix}-every`} name="everySeconds" type="number" min={60} max={604800} step={60} required defaultValue={editing?.everySeconds ?? 3600} />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-credentials`}>Credentials</label>
          <select id={`${prefix}-credentials`} name="credentialsMode" value={mode} onChange={(e) => setMode(e.target.value)}>
            {editing ? <option value="keep">{editing.hasSecret ? "Keep the stored credentials" : "Keep (none stored)"}</option> : null}
            <option value="none">{s3 ? "None (the worker's AWS role)" : "None"}</option>
            {s3 ? <option value="s3">Access key</option> : <option value="bearer">Bearer token</option>}
          </select>
        </div>
        {mode === "s3" && s3 ? (
          <>
            <div className="field">
              <label htmlFor={`${prefix}-key-id`}>Access key ID</label>
              <input id={`${prefix}-key-id`} name="accessKeyId" required autoComplete="off" />
            </div>
            <div className="field">
              <label htmlFor={`${prefix}-secret`}>Secret access key</label>
              <input id={`${prefix}-secret`} name="secretAccessKey" type="password" required autoComplete="off" />
            </div>
          </>
        ) : null}
        {mode === "bearer" && !s3 ? (
          <div className="field">
            <label htmlFor={`${prefix}-token`}>Bearer token</label>
            <input id={`${prefix}-token`} name="token" type="password" required autoComplete="off" />
          </div>
        ) : null}
      </div>
      <ConnectorFormFooter
        form={form}
        read={(f) => readForm(f, Boolean(editing), kind)}
        editing={Boolean(editing)}
        addLabel="Add bill source"
        onCancel={() => onDone("")}
        testId="bill-connection-test"
        okDetails={(d) => ("objects" in d ? `: ${String(d.objects)} objects under the prefix, ${String(d.matching)} bill files` : "version" in d ? `: version ${String(d.version)}` : "")}
      />
    </form>
  );
}

type SortKey = "name" | "kind" | "source" | "status" | "lastSuccessAt";
const COLUMNS: Array<{ key: SortKey; label: string }> = [
  { key: "name", label: "Name" },
  { key: "kind", label: "Source" },
  { key: "source", label: "Location" },
  { key: "status", label: "Status" },
  { key: "lastSuccessAt", label: "Last success" },
];

function sortValue(c: BillConnectorJson, key: SortKey): string {
  if (key === "source") return billSource(c);
  if (key === "lastSuccessAt") return c.lastSuccessAt ?? "";
  return String(c[key]);
}

function csvCell(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function downloadCsv(rows: BillConnectorJson[], orgSlug: string) {
  const header = ["name", "kind", "location", "format", "every_seconds", "enabled", "status", "credentials", "last_run_at_utc", "last_success_at_utc", "last_error"];
  const lines = rows.map((c) =>
    [c.name, c.kind, billSource(c), str(c.config.format) || "detect", String(c.everySeconds), String(c.enabled), c.status, c.hasSecret ? "set" : "not set", c.lastRunAt ?? "", c.lastSuccessAt ?? "", c.lastError ?? ""]
      .map(csvCell)
      .join(","),
  );
  const blob = new Blob([[header.join(","), ...lines].join("\n") + "\n"], { type: "text/csv" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `${orgSlug}-bill-sources.csv`;
  a.click();
  URL.revokeObjectURL(a.href);
}

export function BillConnectorsPanel({ actions }: { actions: BillConnectorsActions }) {
  const org = useCurrentOrg();
  const qc = useQueryClient();
  const key = ["bill-connectors", org.slug];
  const manage = can(org.role, "connectors:manage");
  const [message, setMessage] = useState<Message>(null);
  // "Pull now" requests (connector id → when); a pull is over when the connector ran after it and is
  // no longer pulling.
  const [requested, setRequested] = useState<Record<string, string>>({});
  const isPulling = (c: BillConnectorJson) => Boolean(requested[c.id]) && !(c.lastRunAt && c.lastRunAt >= requested[c.id]! && c.status !== "RUNNING");
  const pulledSinceRequest = (c: BillConnectorJson) => Boolean(requested[c.id]) && !isPulling(c);
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: "name", dir: 1 });
  const { data, error, isPending } = useQuery({
    queryKey: key,
    queryFn: () => apiGet<{ connectors: BillConnectorJson[] }>("/api/v1/bills/connectors", org.slug),
    // While a pull is queued or running, follow it; otherwise a slow refresh.
    refetchInterval: (q) => ((q.state.data?.connectors ?? []).some(isPulling) ? 1_500 : 30_000),
  });
  const refresh = () => refetchAfterWrite(qc, key);
  const { editingId, setEditingId, keyFor, onDone } = useEditSlot({ setMessage, refresh });

  const sorted = useMemo(
    () => [...(data?.connectors ?? [])].sort((a, b) => sortValue(a, sort.key).localeCompare(sortValue(b, sort.key)) * sort.dir),
    [data, sort],
  );

  const { toggleMut, deleteMut, runMut: pullMut } = useConnectorMutations({
    setEnabled: (connectorId, enabled) => unwrap(actions.setBillConnectorEnabled(org.slug, { connectorId, enabled })),
    remove: (connectorId) => unwrap(actions.deleteBillConnector(org.slug, { connectorId })),
    run: (connectorId) => unwrap(actions.runBillConnectorNow(org.slug, { connectorId })),
    runQueued: (name) => `Queued a pull of ${name}`,
    setMessage,
    refresh,
    onDeleted: (connectorId) => {
      if (editingId === connectorId) setEditingId(null);
    },
    onRunQueued: (connectorId, requestedAt) => setRequested((p) => ({ ...p, [connectorId]: requestedAt })),
  });

  if (isPending) return <p aria-busy="true">Loading bill sources…</p>;
  if (error) return <p className="alert" role="alert">Could not load bill sources: {error.message}</p>;
  const editing = data.connectors.find((c) => c.id === editingId) ?? null;

  return (
    <div>
      {manage ? (
        <section className="panel" aria-labelledby="add-bill-source-title">
          <h2 id="add-bill-source-title">{editing ? `Edit ${editing.name}` : "Add a bill source"}</h2>
          <p className="muted">
            An S3 bucket prefix where AWS delivers CUR or FOCUS exports (each folder is one delivery), or an HTTPS URL. New and changed files are ingested by the
            worker; credentials are stored encrypted and never shown again.
          </p>
          <BillConnectorForm key={keyFor(editing)} actions={actions} editing={editing} onDone={onDone} />
        </section>
      ) : null}

      <section className="panel" aria-labelledby="bill-sources-title">
        <h2 id="bill-sources-title">Bill sources</h2>
        <StatusMessage message={message} />
        {data.connectors.length === 0 ? (
          <p className="muted">No bill sources yet. Bills can also be uploaded on the <Link href={`/${org.slug}/ingestion/upload`}>ingestion page</Link>.</p>
        ) : (
          <>
            <div className="row-actions" style={{ marginBottom: "0.5rem" }}>
              <button type="button" className="btn btn-small" onClick={() => downloadCsv(sorted, org.slug)}>
                Export CSV
              </button>
              <Link href={`/${org.slug}/ingestion`}>Ingestion history</Link>
            </div>
            <table className="data" aria-labelledby="bill-sources-title">
              <thead>
                <tr>
                  {COLUMNS.map((col) => (
                    <th key={col.key} scope="col" aria-sort={sort.key === col.key ? (sort.dir === 1 ? "ascending" : "descending") : "none"}>
                      <button
                        type="button"
                        style={{ background: "none", border: 0, padding: 0, font: "inherit", fontWeight: "inherit", color: "inherit", cursor: "pointer" }}
                        onClick={() => setSort((s) => ({ key: col.key, dir: s.key === col.key ? ((-s.dir) as 1 | -1) : 1 }))}
                      >
                        {col.label}
                        {sort.key === col.key ? (sort.dir === 1 ? " ▲" : " ▼") : ""}
                      </button>
                    </th>
                  ))}
                  <th scope="col">Credentials</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((c) => (
                  <tr key={c.id} data-testid="bill-connector-row" data-name={c.name}>
                    <td>{c.name}</td>
                    <td>{KIND_LABELS[c.kind] ?? c.kind}</td>
                    <td>
                      <code>{billSource(c)}</code>
                      <div className="muted">{str(c.config.format) || "format detected"}</div>
                    </td>
                    <td>
                      <span className={`badge${c.status === "FAILING" ? " revoked" : ""}`}>{isPulling(c) ? (c.status === "RUNNING" ? "Pulling" : "Pull queued") : (STATUS_LABELS[c.status] ?? c.status)}</span>
                      {pulledSinceRequest(c) ? (
                        <div role="status" className={c.status === "FAILING" ? "error-text" : "muted"}>
                          {c.status === "FAILING" ? "The pull failed" : "Pulled"} at {formatDateTime(c.lastRunAt)}
                        </div>
                      ) : null}
                      <div className="muted">every {formatDuration(c.everySeconds)}</div>
                    </td>
                    <td>{c.lastSuccessAt ? formatDateTime(c.lastSuccessAt) : "Never"}</td>
                    <td>{c.hasSecret ? "set" : "not set"}</td>
                    <td title={c.lastError ?? undefined}>{c.lastError ? <span className="error-text">{truncate(c.lastError)}</span> : ""}</td>
                    <td>
                      {manage ? (
                        <RowActions
                          buttons={connectorButtons(c, {
                            verb: "Pull",
                            running: isPulling(c),
                            onRun: () => pullMut.mutate({ connectorId: c.id, name: c.name }),
                            onEdit: () => setEditingId(c.id),
                            onToggle: () => toggleMut.mutate({ connectorId: c.id, enabled: !c.enabled, name: c.name }),
                            toggleDisabled: toggleMut.isPending,
                          })}
                          confirm={confirmAction("Delete", c.name, () => deleteMut.mutate({ connectorId: c.id, name: c.name }), deleteMut.isPending)}
                        />
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </div>
  );
}
