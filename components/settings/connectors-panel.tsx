"use client";

// Settings → Connectors: the org's telemetry connectors (Prometheus, OpenCost/Kubecost), their health,
// "Test connection", "Run now" with progress, and the history of runs. Credentials are write-only:
// the API only says whether some are stored.
import { useEffect, useRef, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { can } from "@/lib/domain/roles";
import type { ActionError } from "@/lib/domain/action-result";
import type { TelemetryConnectorJson } from "@/lib/domain/connectors";
import { useCurrentOrg } from "../org-context";
import { apiGet } from "../api-fetch";
import { ConfirmButton } from "./confirm-button";
import type { SettingsAction } from "./types";
import { refetchAfterWrite } from "../refetch-after-write";


export type ConnectorRunJson = {
  id: string;
  status: string;
  progress: number;
  rowsLoaded: number;
  windowStart: string | null;
  windowEnd: string | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
};

type ConnectionTest = { ok: true; details: Record<string, unknown>; ms: number } | { ok: false; error: string; ms: number };

export type ConnectorsActions = {
  createTelemetryConnector: SettingsAction<{ id: string; name: string }>;
  updateTelemetryConnector: SettingsAction<{ id: string; name: string }>;
  setTelemetryConnectorEnabled: SettingsAction<{ id: string; enabled: boolean }>;
  deleteTelemetryConnector: SettingsAction<unknown>;
  testTelemetryConnection: SettingsAction<ConnectionTest>;
  runTelemetryConnectorNow: SettingsAction<{ jobId: string; requestedAt: string }>;
};

function unwrap<R>(p: Promise<{ ok: true; data: R } | { ok: false; error: ActionError }>): Promise<R> {
  return p.then((r) => {
    if (!r.ok) {
      const details = Array.isArray(r.error.details) ? (r.error.details as { path?: string; message?: string }[]).map((d) => `${d.path ? `${d.path}: ` : ""}${d.message ?? ""}`).join("; ") : "";
      throw new Error(details ? `${r.error.message}: ${details}` : r.error.message);
    }
    return r.data;
  });
}

const KIND_LABELS: Record<string, string> = { PROMETHEUS: "Prometheus", OPENCOST: "OpenCost", KUBECOST: "Kubecost" };
const STATUS_LABELS: Record<string, string> = { NEVER_RUN: "Never run", HEALTHY: "Healthy", RUNNING: "Running", FAILING: "Failing", DISABLED: "Disabled" };

/** 95 → "1 min 35 s"; 7200 → "2 h"; 200000 → "2 d 7 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const r = s % 60;
    return r ? `${m} min ${r} s` : `${m} min`;
  }
  if (s < 86_400) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  return h ? `${d} d ${h} h` : `${d} d`;
}

function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "UTC" }).format(new Date(value)) + " UTC";
}

function truncate(text: string, n = 80): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

type Auth = { mode: "keep" } | { mode: "none" } | { mode: "bearer"; token: string } | { mode: "basic"; username: string; password: string };
type FormValues = { kind: string; name: string; url: string; labelFilters: string[]; everySeconds: number; auth: Auth };

function readForm(form: HTMLFormElement, editing: boolean): FormValues {
  const f = new FormData(form);
  const authMode = String(f.get("authMode") ?? (editing ? "keep" : "none"));
  let auth: Auth;
  if (authMode === "bearer") {
    const token = String(f.get("bearerToken") ?? "");
    auth = token ? { mode: "bearer", token } : editing ? { mode: "keep" } : { mode: "none" };
  } else if (authMode === "basic") {
    const username = String(f.get("basicUser") ?? "");
    const password = String(f.get("basicPassword") ?? "");
    auth = username ? { mode: "basic", username, password } : editing ? { mode: "keep" } : { mode: "none" };
  } else if (authMode === "none") {
    auth = { mode: "none" };
  } else {
    auth = { mode: "keep" };
  }
  return {
    kind: String(f.get("kind") ?? "PROMETHEUS"),
    name: String(f.get("name") ?? "").trim(),
    url: String(f.get("url") ?? "").trim(),
    labelFilters: String(f.get("labelFilters") ?? "")
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean),
    everySeconds: Number(f.get("everySeconds") ?? 300),
    auth,
  };
}

function ConnectorForm({
  actions,
  editing,
  onDone,
}: {
  actions: ConnectorsActions;
  editing: TelemetryConnectorJson | null;
  onDone: (text: string) => void;
}) {
  const org = useCurrentOrg();
  const prefix = editing ? `edit-${editing.id}` : "new";
  const [kind, setKind] = useState(editing?.kind ?? "PROMETHEUS");
  const [authMode, setAuthMode] = useState<string>(editing ? "keep" : "none");
  const [error, setError] = useState<string | null>(null);
  const [test, setTest] = useState<ConnectionTest | null>(null);

  const save = useMutation({
    mutationFn: (v: FormValues) =>
      editing
        ? unwrap(actions.updateTelemetryConnector(org.slug, { connectorId: editing.id, name: v.name, url: v.url, labelFilters: v.labelFilters, everySeconds: v.everySeconds, auth: v.auth }))
        : unwrap(actions.createTelemetryConnector(org.slug, v)),
    onSuccess: (c) => {
      setError(null);
      onDone(editing ? `Saved ${c.name}` : `Added ${c.name}`);
    },
    onError: (e: Error) => setError(e.message),
  });
  const testMut = useMutation({
    mutationFn: (v: FormValues) =>
      unwrap(actions.testTelemetryConnection(org.slug, { connectorId: editing?.id, draft: { kind: editing ? undefined : v.kind, url: v.url, labelFilters: v.labelFilters, auth: v.auth } })),
    onMutate: () => setTest(null),
    onSuccess: (t) => {
      setError(null);
      setTest(t);
    },
    onError: (e: Error) => setTest({ ok: false, error: e.message, ms: 0 }),
  });

  return (
    <form
      aria-label={editing ? `Edit ${editing.name}` : "Add a connector"}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(readForm(e.currentTarget, Boolean(editing)));
      }}
    >
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${prefix}-kind`}>Kind</label>
          <select id={`${prefix}-kind`} name="kind" value={kind} disabled={Boolean(editing)} onChange={(e) => setKind(e.target.value)}>
            <option value="PROMETHEUS">Prometheus</option>
            <option value="OPENCOST">OpenCost</option>
            <option value="KUBECOST">Kubecost</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-name`}>Name</label>
          <input id={`${prefix}-name`} name="name" required maxLength={120} defaultValue={editing?.name ?? ""} placeholder="gpu-prod" />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-url`}>URL</label>
          <input id={`${prefix}-url`} name="url" type="url" required defaultValue={editing?.url ?? ""} placeholder="https://prometheus.internal:9090" size={36} />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-every`}>Interval (seconds)</label>
          <input id={`${prefix}-every`} name="everySeconds" type="number" min={60} max={86400} step={60} defaultValue={editing?.everySeconds ?? 300} />
        </div>
      </div>
      <div className="inline-form" style={{ marginTop: "0.75rem" }}>
        {kind === "PROMETHEUS" ? (
          <div className="field">
            <label htmlFor={`${prefix}-filters`}>Label filters (k=v, comma-separated)</label>
            <input id={`${prefix}-filters`} name="labelFilters" defaultValue={editing?.labelFilters.join(", ") ?? ""} placeholder='cluster=gpu-prod' size={30} />
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${prefix}-auth`}>Authentication</label>
          <select id={`${prefix}-auth`} name="authMode" value={authMode} onChange={(e) => setAuthMode(e.target.value)}>
            {editing ? <option value="keep">Keep current ({editing.hasCredentials ? "set" : "not set"})</option> : null}
            <option value="none">None</option>
            <option value="bearer">Bearer token</option>
            <option value="basic">Basic auth</option>
          </select>
        </div>
        {authMode === "bearer" ? (
          <div className="field">
            <label htmlFor={`${prefix}-token`}>Bearer token</label>
            <input id={`${prefix}-token`} name="bearerToken" type="password" autoComplete="off" placeholder={editing?.hasCredentials ? "blank = unchanged" : ""} />
          </div>
        ) : null}
        {authMode === "basic" ? (
          <>
            <div className="field">
              <label htmlFor={`${prefix}-user`}>Username</label>
              <input id={`${prefix}-user`} name="basicUser" autoComplete="off" />
            </div>
            <div className="field">
              <label htmlFor={`${prefix}-password`}>Password</label>
              <input id={`${prefix}-password`} name="basicPassword" type="password" autoComplete="off" placeholder={editing?.hasCredentials ? "blank = unchanged" : ""} />
            </div>
          </>
        ) : null}
      </div>
      <div className="row-actions" style={{ marginTop: "0.75rem" }}>
        <button
          type="button"
          className="btn"
          disabled={testMut.isPending}
          onClick={(e) => {
            const form = e.currentTarget.form;
            if (!form) return;
            if (!form.reportValidity()) return;
            testMut.mutate(readForm(form, Boolean(editing)));
          }}
        >
          {testMut.isPending ? "Testing…" : "Test connection"}
        </button>
        <button className="btn btn-primary" type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : editing ? "Save" : "Add connector"}
        </button>
        {editing ? (
          <button type="button" className="btn" onClick={() => onDone("")}>
            Cancel
          </button>
        ) : null}
      </div>
      <div aria-live="polite">
        {test ? (
          test.ok ? (
            <p className="notice" role="status" data-testid="connection-test">
              Connection OK ({test.ms} ms){Object.keys(test.details).length ? `: ${truncate(JSON.stringify(test.details), 240)}` : ""}
            </p>
          ) : (
            <p className="alert" role="alert" data-testid="connection-test">
              Connection failed: {test.error}
            </p>
          )
        ) : null}
        {error ? (
          <p className="alert" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </form>
  );
}

function RunHistory({ connectorId }: { connectorId: string }) {
  const org = useCurrentOrg();
  const { data, error, isPending } = useQuery({
    queryKey: ["connector-runs", org.slug, connectorId],
    queryFn: () => apiGet<{ runs: ConnectorRunJson[] }>(`/api/v1/telemetry/connectors/${encodeURIComponent(connectorId)}/runs?limit=20`, org.slug),
  });
  if (isPending) return <p aria-busy="true">Loading runs…</p>;
  if (error) return <p className="alert">Could not load runs: {error.message}</p>;
  if (data.runs.length === 0) return <p className="muted">No runs yet.</p>;
  return (
    <table className="data" aria-label="Run history">
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Duration</th>
          <th scope="col">Status</th>
          <th scope="col">Window</th>
          <th scope="col">Rows</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {data.runs.map((r) => {
          const start = r.startedAt ?? r.createdAt;
          const end = r.finishedAt ? new Date(r.finishedAt).getTime() : null;
          return (
            <tr key={r.id} data-testid="connector-run-row">
              <td>{formatDateTime(start)}</td>
              <td>{end ? formatDuration((end - new Date(start).getTime()) / 1000) : r.status === "RUNNING" ? "running" : "—"}</td>
              <td>
                <span className={`badge${r.status === "FAILED" ? " revoked" : ""}`}>{r.status === "RUNNING" ? `Running ${Math.round(r.progress * 100)}%` : r.status}</span>
              </td>
              <td>{r.windowStart && r.windowEnd ? `${formatDateTime(r.windowStart)} → ${formatDateTime(r.windowEnd)}` : "—"}</td>
              <td>{r.rowsLoaded.toLocaleString("en-US")}</td>
              <td title={r.error ?? undefined}>{r.error ? truncate(r.error) : ""}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** After "Run now": polls the connector's newest run until it finishes. */
function RunProgress({ connectorId, requestedAt, onFinished }: { connectorId: string; requestedAt: string; onFinished: () => void }) {
  const org = useCurrentOrg();
  const since = new Date(requestedAt).getTime() - 5_000;
  const { data, dataUpdatedAt } = useQuery({
    queryKey: ["connector-run-latest", org.slug, connectorId, requestedAt],
    queryFn: () => apiGet<{ runs: ConnectorRunJson[] }>(`/api/v1/telemetry/connectors/${encodeURIComponent(connectorId)}/runs?limit=1`, org.slug),
    refetchInterval: (q) => {
      const r = q.state.data?.runs[0];
      const mine = r && new Date(r.createdAt).getTime() >= since;
      return mine && (r.status === "SUCCEEDED" || r.status === "FAILED") ? false : 1_500;
    },
  });
  const run = data?.runs[0];
  const mine = run && new Date(run.createdAt).getTime() >= since ? run : null;
  const done = Boolean(mine && (mine.status === "SUCCEEDED" || mine.status === "FAILED"));
  const reported = useRef(false);
  useEffect(() => {
    if (done && !reported.current) {
      reported.current = true;
      onFinished();
    }
  }, [done, onFinished]);
  if (!mine) {
    // A job with the same id (same window start) that already ran or is retained is not queued again.
    const waited = dataUpdatedAt - new Date(requestedAt).getTime();
    return (
      <span role="status">
        {waited > 120_000 ? "Queued; no run has started yet (is the worker running? a run from the same watermark may be pending)" : "Queued…"}
      </span>
    );
  }
  return (
    <span role="status" data-testid="run-progress">
      {mine.status === "RUNNING" || mine.status === "QUEUED" ? (
        <>
          <progress max={1} value={mine.progress} aria-label="Run progress" /> {Math.round(mine.progress * 100)}% · {mine.rowsLoaded.toLocaleString("en-US")} rows
        </>
      ) : mine.status === "SUCCEEDED" ? (
        `Done: ${mine.rowsLoaded.toLocaleString("en-US")} rows`
      ) : (
        <span className="error-text" title={mine.error ?? undefined}>
          Failed{mine.error ? `: ${truncate(mine.error, 60)}` : ""}
        </span>
      )}
    </span>
  );
}

export function ConnectorsPanel({ actions }: { actions: ConnectorsActions }) {
  const org = useCurrentOrg();
  const qc = useQueryClient();
  const key = ["telemetry-connectors", org.slug];
  const { data, error, isPending } = useQuery({
    queryKey: key,
    queryFn: () => apiGet<{ connectors: TelemetryConnectorJson[] }>("/api/v1/telemetry/connectors", org.slug),
    refetchInterval: 30_000,
  });
  const manage = can(org.role, "connectors:manage");
  const [message, setMessage] = useState<{ kind: "error" | "ok"; text: string } | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [historyId, setHistoryId] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [running, setRunning] = useState<Record<string, { requestedAt: string; done: boolean }>>({});
  const refresh = () => refetchAfterWrite(qc, key);

  const toggleMut = useMutation({
    mutationFn: (v: { connectorId: string; enabled: boolean; name: string }) => unwrap(actions.setTelemetryConnectorEnabled(org.slug, { connectorId: v.connectorId, enabled: v.enabled })),
    onSuccess: (_d, v) => {
      setMessage({ kind: "ok", text: `${v.enabled ? "Enabled" : "Disabled"} ${v.name}` });
      void refresh();
    },
    onError: (e: Error) => setMessage({ kind: "error", text: e.message }),
  });
  const deleteMut = useMutation({
    mutationFn: (v: { connectorId: string; name: string }) => unwrap(actions.deleteTelemetryConnector(org.slug, { connectorId: v.connectorId })),
    onSuccess: (_d, v) => {
      setMessage({ kind: "ok", text: `Deleted ${v.name}` });
      void refresh();
    },
    onError: (e: Error) => setMessage({ kind: "error", text: e.message }),
  });
  const runMut = useMutation({
    mutationFn: (v: { connectorId: string; name: string }) => unwrap(actions.runTelemetryConnectorNow(org.slug, { connectorId: v.connectorId })),
    onSuccess: (d, v) => {
      setMessage({ kind: "ok", text: `Queued a run of ${v.name}` });
      setRunning((r) => ({ ...r, [v.connectorId]: { requestedAt: d.requestedAt, done: false } }));
    },
    onError: (e: Error) => setMessage({ kind: "error", text: e.message }),
  });

  if (isPending) return <p aria-busy="true">Loading connectors…</p>;
  if (error) return <p className="alert" role="alert">Could not load connectors: {error.message}</p>;
  const editing = data.connectors.find((c) => c.id === editingId) ?? null;

  return (
    <div>
      <div aria-live="polite">
        {message ? (
          <p className={message.kind === "error" ? "alert" : "notice"} role={message.kind === "error" ? "alert" : "status"}>
            {message.text}
          </p>
        ) : null}
      </div>

      {manage ? (
        <section className="panel" aria-labelledby="add-connector-title">
          <h2 id="add-connector-title">{editing ? `Edit ${editing.name}` : "Add a telemetry connector"}</h2>
          <p className="muted">
            Prometheus (DCGM exporter, vLLM, Triton, KServe) or OpenCost/Kubecost. Credentials are stored encrypted and never shown again.
          </p>
          <ConnectorForm
            key={editing ? `edit-${editing.id}` : `new-${formKey}`}
            actions={actions}
            editing={editing}
            onDone={(text) => {
              if (text) setMessage({ kind: "ok", text });
              setEditingId(null);
              setFormKey((k) => k + 1);
              void refresh();
            }}
          />
        </section>
      ) : (
        <p className="muted">Only admins can add, change or run connectors.</p>
      )}

      <section className="panel" aria-labelledby="connectors-title">
        <h2 id="connectors-title">Telemetry connectors</h2>
        {data.connectors.length === 0 ? (
          <p className="muted">No telemetry connectors yet.</p>
        ) : (
          <table className="data" aria-labelledby="connectors-title">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">URL</th>
                <th scope="col">Credentials</th>
                <th scope="col">Status</th>
                <th scope="col">Last success</th>
                <th scope="col">Lag</th>
                <th scope="col">Last error</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.connectors.map((c) => (
                <ConnectorRow
                  key={c.id}
                  c={c}
                  manage={manage}
                  busy={toggleMut.isPending || deleteMut.isPending}
                  run={running[c.id] ?? null}
                  historyOpen={historyId === c.id}
                  onHistory={() => setHistoryId(historyId === c.id ? null : c.id)}
                  onEdit={() => setEditingId(c.id)}
                  onToggle={() => toggleMut.mutate({ connectorId: c.id, enabled: !c.enabled, name: c.name })}
                  onDelete={() => deleteMut.mutate({ connectorId: c.id, name: c.name })}
                  onRun={() => runMut.mutate({ connectorId: c.id, name: c.name })}
                  onRunFinished={() => {
                    setRunning((r) => {
                      const cur = r[c.id];
                      return cur ? { ...r, [c.id]: { requestedAt: cur.requestedAt, done: true } } : r;
                    });
                    void refresh();
                    void refetchAfterWrite(qc, ["connector-runs", org.slug, c.id]);
                  }}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function ConnectorRow({
  c,
  manage,
  busy,
  run,
  historyOpen,
  onHistory,
  onEdit,
  onToggle,
  onDelete,
  onRun,
  onRunFinished,
}: {
  c: TelemetryConnectorJson;
  manage: boolean;
  busy: boolean;
  run: { requestedAt: string; done: boolean } | null;
  historyOpen: boolean;
  onHistory: () => void;
  onEdit: () => void;
  onToggle: () => void;
  onDelete: () => void;
  onRun: () => void;
  onRunFinished: () => void;
}) {
  return (
    <>
      <tr data-testid="connector-row" data-name={c.name}>
        <td>{c.name}</td>
        <td>{KIND_LABELS[c.kind] ?? c.kind}</td>
        <td>
          <code>{c.url ?? "—"}</code>
          {c.labelFilters.length ? <div className="muted">{c.labelFilters.join(", ")}</div> : null}
        </td>
        <td>{c.hasCredentials ? "set" : "not set"}</td>
        <td>
          <span className={`badge${c.status === "FAILING" ? " revoked" : ""}`}>{STATUS_LABELS[c.status] ?? c.status}</span>
          <div className="muted">every {formatDuration(c.everySeconds)}</div>
        </td>
        <td>{c.lastSuccessAt ? formatDateTime(c.lastSuccessAt) : "Never"}</td>
        <td>{c.lagSeconds === null ? "—" : formatDuration(c.lagSeconds)}</td>
        <td title={c.lastError ?? undefined}>
          {c.lastError ? (
            c.lastError.length > 60 ? (
              <details>
                <summary>{truncate(c.lastError, 60)}</summary>
                <span className="error-text">{c.lastError}</span>
              </details>
            ) : (
              <span className="error-text">{c.lastError}</span>
            )
          ) : (
            ""
          )}
        </td>
        <td>
          <span className="row-actions">
            {manage ? (
              <>
                <button type="button" className="btn btn-small" disabled={(run !== null && !run.done) || !c.enabled} onClick={onRun} aria-label={`Run ${c.name} now`}>
                  Run now
                </button>
                <button type="button" className="btn btn-small" onClick={onEdit} aria-label={`Edit ${c.name}`}>
                  Edit
                </button>
                <button type="button" className="btn btn-small" disabled={busy} onClick={onToggle} aria-label={`${c.enabled ? "Disable" : "Enable"} ${c.name}`}>
                  {c.enabled ? "Disable" : "Enable"}
                </button>
                <ConfirmButton label="Delete" confirmLabel="Confirm delete" accessibleName={`Delete ${c.name}`} disabled={busy} onConfirm={onDelete} />
              </>
            ) : null}
            <button type="button" className="btn btn-small" aria-expanded={historyOpen} onClick={onHistory} aria-label={`Run history of ${c.name}`}>
              History
            </button>
          </span>
          {run ? (
            <div>
              <RunProgress key={run.requestedAt} connectorId={c.id} requestedAt={run.requestedAt} onFinished={onRunFinished} />
            </div>
          ) : null}
        </td>
      </tr>
      {historyOpen ? (
        <tr>
          <td colSpan={9}>
            <RunHistory connectorId={c.id} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
