"use client";

// Settings → Connectors: the org's telemetry connectors (Prometheus, OpenCost/Kubecost), their health,
// "Test connection", "Run now" with progress, and the history of runs. Credentials are write-only:
// the API only says whether some are stored.
import { useEffect, useRef, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { can } from "@/lib/domain/roles";
import type { TelemetryConnectorJson } from "@/lib/domain/connectors";
import { useCurrentOrg } from "../org-context";
import { apiGet } from "../api-fetch";
import { StatusMessage, type Message } from "../status-message";
import { ConnectorFormFooter, formatDateTime, formatDuration, truncate, useConnectorForm, useConnectorMutations, useEditSlot, type ConnectionTest } from "./connector-parts";
import { RowActions, confirmAction, connectorButtons } from "./row-actions";
import { unwrap } from "./unwrap";
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

export type ConnectorsActions = {
  createTelemetryConnector: SettingsAction<{ id: string; name: string }>;
  updateTelemetryConnector: SettingsAction<{ id: string; name: string }>;
  setTelemetryConnectorEnabled: SettingsAction<{ id: string; enabled: boolean }>;
  deleteTelemetryConnector: SettingsAction<unknown>;
  testTelemetryConnection: SettingsAction<ConnectionTest>;
  runTelemetryConnectorNow: SettingsAction<{ jobId: string; requestedAt: string }>;
};

const KIND_LABELS: Record<string, string> = { PROMETHEUS: "Prometheus", OPENCOST: "OpenCost", KUBECOST: "Kubecost" };
const STATUS_LABELS: Record<string, string> = { NEVER_RUN: "Never run", HEALTHY: "Healthy", RUNNING: "Running", FAILING: "Failing", DISABLED: "Disabled" };

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
  const form = useConnectorForm<FormValues>({
    editing: Boolean(editing),
    save: (v) =>
      editing
        ? unwrap(actions.updateTelemetryConnector(org.slug, { connectorId: editing.id, name: v.name, url: v.url, labelFilters: v.labelFilters, everySeconds: v.everySeconds, auth: v.auth }))
        : unwrap(actions.createTelemetryConnector(org.slug, v)),
    test: (v) => unwrap(actions.testTelemetryConnection(org.slug, { connectorId: editing?.id, draft: { kind: editing ? undefined : v.kind, url: v.url, labelFilters: v.labelFilters, auth: v.auth } })),
    onDone,
  });

  return (
    <form
      aria-label={editing ? `Edit ${editing.name}` : "Add a connector"}
      onSubmit={(e) => {
        e.preventDefault();
        form.save.mutate(readForm(e.currentTarget, Boolean(editing)));
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
      <ConnectorFormFooter
        form={form}
        read={(f) => readForm(f, Boolean(editing))}
        editing={Boolean(editing)}
        addLabel="Add connector"
        onCancel={() => onDone("")}
        testId="connection-test"
        okDetails={(d) => (Object.keys(d).length ? `: ${truncate(JSON.stringify(d), 240)}` : "")}
      />
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
  const [message, setMessage] = useState<Message>(null);
  const [historyId, setHistoryId] = useState<string | null>(null);
  const [running, setRunning] = useState<Record<string, { requestedAt: string; done: boolean }>>({});
  const refresh = () => refetchAfterWrite(qc, key);
  const { editingId, setEditingId, keyFor, onDone } = useEditSlot({ setMessage, refresh });

  const { toggleMut, deleteMut, runMut } = useConnectorMutations({
    setEnabled: (connectorId, enabled) => unwrap(actions.setTelemetryConnectorEnabled(org.slug, { connectorId, enabled })),
    remove: (connectorId) => unwrap(actions.deleteTelemetryConnector(org.slug, { connectorId })),
    run: (connectorId) => unwrap(actions.runTelemetryConnectorNow(org.slug, { connectorId })),
    runQueued: (name) => `Queued a run of ${name}`,
    setMessage,
    refresh,
    onRunQueued: (connectorId, requestedAt) => setRunning((r) => ({ ...r, [connectorId]: { requestedAt, done: false } })),
  });

  if (isPending) return <p aria-busy="true">Loading connectors…</p>;
  if (error) return <p className="alert" role="alert">Could not load connectors: {error.message}</p>;
  const editing = data.connectors.find((c) => c.id === editingId) ?? null;

  return (
    <div>
      <StatusMessage message={message} />

      {manage ? (
        <section className="panel" aria-labelledby="add-connector-title">
          <h2 id="add-connector-title">{editing ? `Edit ${editing.name}` : "Add a telemetry connector"}</h2>
          <p className="muted">
            Prometheus (DCGM exporter, vLLM, Triton, KServe) or OpenCost/Kubecost. Credentials are stored encrypted and never shown again.
          </p>
          <ConnectorForm key={keyFor(editing)} actions={actions} editing={editing} onDone={onDone} />
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
          <RowActions
            buttons={manage ? connectorButtons(c, { verb: "Run", running: run !== null && !run.done, onRun, onEdit, onToggle, toggleDisabled: busy }) : []}
            confirm={manage ? confirmAction("Delete", c.name, onDelete, busy) : null}
            after={[{ label: "History", accessibleName: `Run history of ${c.name}`, expanded: historyOpen, onClick: onHistory }]}
          />
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
