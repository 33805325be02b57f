"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { can } from "@/lib/domain/roles";
import { SCOPE_KINDS, SCOPE_LABELS, SLO_KINDS } from "@/lib/domain/alerting";
import type { SloView } from "@/lib/slo/status";
import { useCurrentOrg } from "../org-context";
import { apiGet } from "../api-fetch";
import { unwrap, type BrowserAction } from "./unwrap";
import { refetchAfterWrite } from "../refetch-after-write";
import { StatusMessage, type Message } from "../status-message";

type SlosResponse = { slos: SloView[]; services: Array<{ id: string; name: string; namespace: string }>; budgets: Array<{ id: string; name: string }> };
export type SloActions = { createSlo: BrowserAction<{ id: string; name: string }>; setSloEnabled: BrowserAction<unknown>; deleteSlo: BrowserAction<unknown> };

const KIND_LABEL: Record<string, string> = { LATENCY: "Latency pN ≤ X ms", SUCCESS_RATIO: "Success ratio ≥ Y", GPU_UTILIZATION: "GPU utilization ≥ Z%", SPEND: "Spend ≤ budget" };
const STATUS: Record<SloView["status"], { text: string; style: React.CSSProperties }> = {
  ok: { text: "✓ Meeting objective", style: { background: "#f0fdf4", color: "#14532d" } },
  breached: { text: "✗ Breached", style: { background: "#fef2f2", color: "#7f1d1d" } },
  "no-data": { text: "No data", style: { background: "#eef0f3", color: "#111827" } },
  disabled: { text: "Disabled", style: { background: "#eef0f3", color: "#111827" } },
};
const DAY = 86_400_000;

/** Breach history on a 30-day line: each breach is a dark segment, open ones run to now. */
function Timeline({ breaches, end }: { breaches: SloView["breaches"]; end: number }) {
  const start = end - 30 * DAY;
  const shown = breaches.filter((b) => (b.endedAt ? Date.parse(b.endedAt) : end) > start);
  return (
    <div>
      <div role="img" aria-label={`${shown.length} breaches in the last 30 days`} style={{ position: "relative", height: 18, background: "#e5e7eb", borderRadius: 4, overflow: "hidden" }}>
        {shown.map((b) => {
          const s = Math.max(Date.parse(b.startedAt), start);
          const e = b.endedAt ? Date.parse(b.endedAt) : end;
          return <span key={b.id} title={`${b.startedAt.slice(0, 16)} – ${b.endedAt?.slice(0, 16) ?? "ongoing"}: worst ${b.worstText}`} style={{ position: "absolute", left: `${((s - start) / (end - start)) * 100}%`, width: `max(3px, ${((e - s) / (end - start)) * 100}%)`, top: 0, bottom: 0, background: "#7f1d1d" }} />;
        })}
      </div>
      <div style={{ display: "flex", justifyContent: "space-between", fontSize: "0.75rem", color: "var(--muted)" }}><span>30 days ago</span><span>now</span></div>
    </div>
  );
}

export function SlosView({ actions }: { actions: SloActions }) {
  const org = useCurrentOrg();
  const qc = useQueryClient();
  const key = ["slos", org.slug];
  const { data, error, isPending, dataUpdatedAt } = useQuery({ queryKey: key, queryFn: () => apiGet<SlosResponse>("/api/v1/slos", org.slug) });
  const manage = can(org.role, "slos:manage");
  const [kind, setKind] = useState<string>("SUCCESS_RATIO");
  const [scopeKind, setScopeKind] = useState("ORG");
  const [message, setMessage] = useState<Message>(null);
  const onError = (e: Error) => setMessage({ kind: "error", text: e.message });
  const refresh = () => refetchAfterWrite(qc, key);
  const create = useMutation({ mutationFn: (input: unknown) => unwrap(actions.createSlo(org.slug, input)), onSuccess: (s) => { setMessage({ kind: "ok", text: `SLO "${s.name}" created` }); void refresh(); }, onError });
  const toggle = useMutation({ mutationFn: (s: SloView) => unwrap(actions.setSloEnabled(org.slug, { sloId: s.id, enabled: !s.enabled })), onSuccess: () => void refresh(), onError });
  const remove = useMutation({ mutationFn: (s: SloView) => unwrap(actions.deleteSlo(org.slug, { sloId: s.id })), onSuccess: () => void refresh(), onError });

  return (
    <>
      <h1>SLOs</h1>
      <p className="muted">Objectives are evaluated every 15 minutes on the hourly rollups. Latency and success SLOs page through Slack when the error budget burns fast over two windows at once (SRE workbook multiwindow burn rates).</p>
      <StatusMessage message={message} />
      {isPending ? <p aria-busy="true">Loading SLOs…</p> : error ? <p className="alert" role="alert">Could not load SLOs: {error.message}</p> : (
        <>
          {manage ? (
            <section className="panel" aria-labelledby="new-slo">
              <h2 id="new-slo">New SLO</h2>
              <form
                className="inline-form"
                aria-label="New SLO"
                onSubmit={(e) => {
                  e.preventDefault();
                  const f = new FormData(e.currentTarget);
                  const num = (k: string) => (f.get(k) ? Number(f.get(k)) : null);
                  create.mutate({
                    name: f.get("name"),
                    kind,
                    percentile: kind === "LATENCY" ? (num("percentile") ?? 0) / 100 : null,
                    thresholdMs: kind === "LATENCY" ? num("thresholdMs") : null,
                    objective: kind === "SUCCESS_RATIO" || kind === "GPU_UTILIZATION" ? (num("objective") ?? 0) / 100 : null,
                    workloadId: f.get("workloadId") || null,
                    scopeKind: kind === "GPU_UTILIZATION" ? scopeKind : "ORG",
                    scopeValue: kind === "GPU_UTILIZATION" && scopeKind !== "ORG" ? f.get("scopeValue") : null,
                    budgetId: kind === "SPEND" ? f.get("budgetId") : null,
                    windowDays: num("windowDays") ?? 28,
                  });
                }}
              >
                <div className="field"><label htmlFor="s-name">Name</label><input id="s-name" name="name" required maxLength={120} /></div>
                <div className="field"><label htmlFor="s-kind">Objective</label><select id="s-kind" value={kind} onChange={(e) => setKind(e.target.value)}>{SLO_KINDS.map((k) => <option key={k} value={k}>{KIND_LABEL[k]}</option>)}</select></div>
                {kind === "LATENCY" || kind === "SUCCESS_RATIO" ? (
                  <div className="field"><label htmlFor="s-svc">Inference service</label><select id="s-svc" name="workloadId" required>{data.services.length === 0 ? <option value="">No services seen yet</option> : data.services.map((s) => <option key={s.id} value={s.id}>{s.namespace ? `${s.namespace}/` : ""}{s.name}</option>)}</select></div>
                ) : null}
                {kind === "LATENCY" ? (
                  <>
                    <div className="field"><label htmlFor="s-pct">Percentile (p)</label><input id="s-pct" name="percentile" defaultValue="95" inputMode="decimal" size={5} /></div>
                    <div className="field"><label htmlFor="s-ms">Threshold (ms)</label><input id="s-ms" name="thresholdMs" defaultValue="500" inputMode="decimal" size={6} /></div>
                  </>
                ) : null}
                {kind === "SUCCESS_RATIO" || kind === "GPU_UTILIZATION" ? (
                  <div className="field"><label htmlFor="s-obj">{kind === "SUCCESS_RATIO" ? "Success ratio (%)" : "Mean utilization (%)"}</label><input id="s-obj" name="objective" defaultValue={kind === "SUCCESS_RATIO" ? "99.5" : "70"} inputMode="decimal" size={6} /></div>
                ) : null}
                {kind === "GPU_UTILIZATION" ? (
                  <>
                    <div className="field"><label htmlFor="s-scope">Pool</label><select id="s-scope" value={scopeKind} onChange={(e) => setScopeKind(e.target.value)}>{SCOPE_KINDS.filter((k) => k !== "SERVICE").map((k) => <option key={k} value={k}>{SCOPE_LABELS[k]}</option>)}</select></div>
                    {scopeKind !== "ORG" ? <div className="field"><label htmlFor="s-scope-value">{SCOPE_LABELS[scopeKind as keyof typeof SCOPE_LABELS]}</label><input id="s-scope-value" name="scopeValue" required /></div> : null}
                  </>
                ) : null}
                {kind === "SPEND" ? (
                  <div className="field"><label htmlFor="s-budget">Budget</label><select id="s-budget" name="budgetId" required>{data.budgets.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}</select></div>
                ) : null}
                <div className="field"><label htmlFor="s-window">Window (days)</label><input id="s-window" name="windowDays" defaultValue="28" inputMode="numeric" size={4} /></div>
                <button className="btn btn-primary" type="submit" disabled={create.isPending}>Create SLO</button>
              </form>
            </section>
          ) : null}
          {data.slos.length === 0 ? (
            <section className="panel"><p>No SLOs yet.{manage ? " Create one above." : ""}</p></section>
          ) : (
            data.slos.map((s) => (
              <section key={s.id} className="panel" aria-labelledby={`slo-${s.id}`} data-testid={`slo-${s.name}`}>
                <div style={{ display: "flex", gap: "1rem", alignItems: "baseline", flexWrap: "wrap" }}>
                  <h2 id={`slo-${s.id}`} style={{ margin: 0 }}>{s.name}</h2>
                  <span className="badge" style={STATUS[s.status].style}>{STATUS[s.status].text}</span>
                  <span className="muted">{s.objective} · {s.target} · {s.windowDays}-day window</span>
                  {manage ? (
                    <span style={{ marginLeft: "auto" }}>
                      <button type="button" className="btn btn-small" onClick={() => toggle.mutate(s)}>{s.enabled ? "Disable" : "Enable"}</button>{" "}
                      <button type="button" className="btn btn-small btn-danger" onClick={() => { if (confirm(`Delete SLO "${s.name}"?`)) remove.mutate(s); }}>Delete</button>
                    </span>
                  ) : null}
                </div>
                <div className="cards" style={{ marginTop: "0.75rem" }}>
                  <div className="card"><p className="label">Current ({s.windowDays} days)</p><p className="value" style={{ fontSize: "1.1rem" }}>{s.sliText}</p></div>
                  <div className="card"><p className="label">Error budget left</p><p className="value" style={{ fontSize: "1.1rem" }}>{s.errorBudgetLeft === null ? "no data" : `${(s.errorBudgetLeft * 100).toFixed(1)}%`}</p></div>
                  <div className="card"><p className="label">Breaches (90 days)</p><p className="value" style={{ fontSize: "1.1rem" }}>{s.breaches.length}</p></div>
                </div>
                {s.tiers.length ? (
                  <p className="muted">Burn rate now: {s.tiers.map((t) => `${t.tier} ${t.long === null ? "n/a" : `${t.long.toFixed(2)}×`} (page at ${t.threshold.toFixed(1)}×${t.firing ? ", FIRING" : ""})`).join(" · ")}</p>
                ) : null}
                <h3>Breach history</h3>
                <Timeline breaches={s.breaches} end={dataUpdatedAt} />
                {s.breaches.length ? (
                  <table className="data" style={{ marginTop: "0.5rem" }}>
                    <thead><tr><th scope="col">Started (UTC)</th><th scope="col">Ended</th><th scope="col">Worst</th><th scope="col">Error budget consumed</th></tr></thead>
                    <tbody>{s.breaches.slice(0, 10).map((b) => <tr key={b.id}><td>{b.startedAt.slice(0, 16).replace("T", " ")}</td><td>{b.endedAt ? b.endedAt.slice(0, 16).replace("T", " ") : "ongoing"}</td><td>{b.worstText}</td><td>{(b.errorBudgetConsumed * 100).toFixed(1)}%</td></tr>)}</tbody>
                  </table>
                ) : <p className="muted">No breaches in the last 90 days.</p>}
              </section>
            ))
          )}
        </>
      )}
    </>
  );
}
