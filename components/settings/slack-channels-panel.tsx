"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { can } from "@/lib/domain/roles";
import { SCOPE_KINDS, SCOPE_LABELS, SEVERITIES } from "@/lib/domain/alerting";
import type { ChannelView } from "@/lib/alerts/channels-store";
import { useCurrentOrg } from "../org-context";
import { apiGet } from "../api-fetch";
import { unwrap, type BrowserAction } from "../alerting/unwrap";
import { refetchAfterWrite } from "../refetch-after-write";
import { RowActions, confirmAction } from "./row-actions";
import { StatusMessage, type Message } from "../status-message";

export type SlackChannelActions = {
  createSlackChannel: BrowserAction<{ id: string; name: string }>;
  updateSlackChannel: BrowserAction<unknown>;
  deleteSlackChannel: BrowserAction<unknown>;
  sendSlackTestMessage: BrowserAction<{ ok: boolean; status: number | null; error: string | null }>;
};

function routingText(c: ChannelView): string {
  if (c.routing.scopes.length === 0) return "All scopes";
  return c.routing.scopes.map((s) => (s.kind === "ORG" ? SCOPE_LABELS.ORG : `${SCOPE_LABELS[s.kind as keyof typeof SCOPE_LABELS]} ${s.value ?? "(any)"}`)).join(", ");
}

export function SlackChannelsPanel({ actions }: { actions: SlackChannelActions }) {
  const org = useCurrentOrg();
  const qc = useQueryClient();
  const key = ["slack-channels", org.slug];
  const { data, error, isPending } = useQuery({ queryKey: key, queryFn: () => apiGet<{ channels: ChannelView[] }>("/api/v1/alerts/channels", org.slug) });
  const manage = can(org.role, "alerts:manage");
  const [message, setMessage] = useState<Message>(null);
  const [scopeKind, setScopeKind] = useState("");
  const refresh = () => refetchAfterWrite(qc, key);
  const onError = (e: Error) => setMessage({ kind: "error", text: e.message });

  const create = useMutation({
    mutationFn: (input: unknown) => unwrap(actions.createSlackChannel(org.slug, input)),
    onSuccess: (c) => {
      setMessage({ kind: "ok", text: `Channel ${c.name} added` });
      void refresh();
    },
    onError,
  });
  const test = useMutation({
    mutationFn: (c: ChannelView) => unwrap(actions.sendSlackTestMessage(org.slug, { channelId: c.id })),
    onSuccess: (r, c) => {
      setMessage(r.ok ? { kind: "ok", text: `Test message sent to ${c.name}` } : { kind: "error", text: `Test message to ${c.name} failed: ${r.error ?? "no answer"}` });
      void refresh();
    },
    onError,
  });
  const toggle = useMutation({ mutationFn: (c: ChannelView) => unwrap(actions.updateSlackChannel(org.slug, { channelId: c.id, enabled: !c.enabled })), onSuccess: () => void refresh(), onError });
  const [editing, setEditing] = useState<ChannelView | null>(null);
  const [editScopeKind, setEditScopeKind] = useState("");
  const startEdit = (c: ChannelView) => {
    setMessage(null);
    setEditing(c);
    setEditScopeKind(c.routing.scopes[0]?.kind ?? "");
  };
  const save = useMutation({
    mutationFn: (input: { channelId: string; name: string } & Record<string, unknown>) => unwrap(actions.updateSlackChannel(org.slug, input)),
    onSuccess: (_r, input) => {
      setMessage({ kind: "ok", text: `Channel ${input.name} saved` });
      setEditing(null);
      void refresh();
    },
    onError,
  });
  const remove = useMutation({ mutationFn: (c: ChannelView) => unwrap(actions.deleteSlackChannel(org.slug, { channelId: c.id })), onSuccess: () => void refresh(), onError });

  if (isPending) return <p aria-busy="true">Loading Slack channels…</p>;
  if (error) return <p className="alert" role="alert">Could not load Slack channels: {error.message}</p>;
  return (
    <div>
      <StatusMessage message={message} />
      {manage ? (
        <section className="panel" aria-labelledby="add-slack">
          <h2 id="add-slack">Add a Slack channel</h2>
          <p className="muted">Create an incoming webhook in Slack (Apps → Incoming Webhooks) and paste its URL. It is stored encrypted and never shown again.</p>
          <form
            className="inline-form"
            aria-label="Add a Slack channel"
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              const kind = String(f.get("scopeKind") ?? "");
              create.mutate({
                name: f.get("name"),
                webhookUrl: f.get("webhookUrl"),
                minSeverity: f.get("minSeverity"),
                routing: { scopes: kind ? [{ kind, value: f.get("scopeValue") || null }] : [] },
              });
              e.currentTarget.reset();
              setScopeKind("");
            }}
          >
            <div className="field"><label htmlFor="ch-name">Name</label><input id="ch-name" name="name" required maxLength={80} placeholder="#finops-alerts" /></div>
            <div className="field" style={{ minWidth: "22rem" }}><label htmlFor="ch-url">Webhook URL</label><input id="ch-url" name="webhookUrl" type="url" required placeholder="https://hooks.slack.com/services/…" /></div>
            <div className="field"><label htmlFor="ch-sev">Minimum severity</label><select id="ch-sev" name="minSeverity" defaultValue="INFO">{SEVERITIES.map((s) => <option key={s} value={s}>{s.toLowerCase()}</option>)}</select></div>
            <div className="field"><label htmlFor="ch-scope">Only alerts for</label><select id="ch-scope" name="scopeKind" value={scopeKind} onChange={(e) => setScopeKind(e.target.value)}><option value="">Every scope</option>{SCOPE_KINDS.map((k) => <option key={k} value={k}>{SCOPE_LABELS[k]}</option>)}</select></div>
            {scopeKind && scopeKind !== "ORG" ? <div className="field"><label htmlFor="ch-scope-value">Which (empty = any)</label><input id="ch-scope-value" name="scopeValue" maxLength={200} /></div> : null}
            <button className="btn btn-primary" type="submit" disabled={create.isPending}>{create.isPending ? "Adding…" : "Add channel"}</button>
          </form>
        </section>
      ) : (
        <p className="muted">Admins, finance and ML leads can manage alert channels.</p>
      )}
      {manage && editing ? (
        <section className="panel" aria-labelledby="edit-slack">
          <h2 id="edit-slack">Edit channel {editing.name}</h2>
          <form
            key={editing.id}
            className="inline-form"
            aria-label="Edit Slack channel"
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              const kind = String(f.get("scopeKind") ?? "");
              const url = String(f.get("webhookUrl") ?? "").trim();
              save.mutate({
                channelId: editing.id,
                name: editing.name,
                ...(url ? { webhookUrl: url } : {}),
                minSeverity: f.get("minSeverity"),
                routing: { scopes: kind ? [{ kind, value: kind === "ORG" ? null : f.get("scopeValue") || null }] : [] },
              });
            }}
          >
            <div className="field" style={{ minWidth: "22rem" }}>
              <label htmlFor="ech-url">New webhook URL (empty = keep the current one, {editing.webhookHost})</label>
              <input id="ech-url" name="webhookUrl" type="url" autoComplete="off" placeholder="https://hooks.slack.com/services/…" />
            </div>
            <div className="field"><label htmlFor="ech-sev">Minimum severity</label><select id="ech-sev" name="minSeverity" defaultValue={editing.minSeverity}>{SEVERITIES.map((s) => <option key={s} value={s}>{s.toLowerCase()}</option>)}</select></div>
            <div className="field"><label htmlFor="ech-scope">Only alerts for</label><select id="ech-scope" name="scopeKind" value={editScopeKind} onChange={(e) => setEditScopeKind(e.target.value)}><option value="">Every scope</option>{SCOPE_KINDS.map((k) => <option key={k} value={k}>{SCOPE_LABELS[k]}</option>)}</select></div>
            {editScopeKind && editScopeKind !== "ORG" ? <div className="field"><label htmlFor="ech-scope-value">Which (empty = any)</label><input id="ech-scope-value" name="scopeValue" maxLength={200} defaultValue={editing.routing.scopes[0]?.kind === editScopeKind ? (editing.routing.scopes[0]?.value ?? "") : ""} /></div> : null}
            {editing.routing.scopes.length > 1 ? <p className="muted">This channel routes {editing.routing.scopes.length} scopes; saving keeps only the one chosen here.</p> : null}
            <button className="btn btn-primary" type="submit" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save channel"}</button>{" "}
            <button className="btn" type="button" onClick={() => setEditing(null)}>Cancel</button>
          </form>
        </section>
      ) : null}
      <section className="panel" aria-labelledby="slack-list">
        <h2 id="slack-list">Slack channels</h2>
        {data.channels.length === 0 ? (
          <p>No Slack channels yet: alerts are recorded in the alert history only.</p>
        ) : (
          <table className="data">
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Webhook</th><th scope="col">Receives</th><th scope="col">Last delivery</th><th scope="col">Failed (7 days)</th>{manage ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}</tr>
            </thead>
            <tbody>
              {data.channels.map((c) => (
                <tr key={c.id} data-testid={`channel-${c.name}`}>
                  <td>{c.name} {c.enabled ? null : <span className="badge">disabled</span>}</td>
                  <td><code>{c.webhookHost}</code></td>
                  <td>{c.minSeverity.toLowerCase()} and above · {routingText(c)}</td>
                  <td>{c.lastDelivery ? <>{c.lastDelivery.status === "SENT" ? "✓ sent" : c.lastDelivery.status === "FAILED" ? "✗ failed" : c.lastDelivery.status.toLowerCase()} {new Date(c.lastDelivery.at).toISOString().slice(0, 16).replace("T", " ")} UTC{c.lastDelivery.error ? <><br /><span className="error-text">{c.lastDelivery.error}</span></> : null}</> : "never"}</td>
                  <td>{c.failedLast7Days}</td>
                  {manage ? (
                    <td style={{ whiteSpace: "nowrap" }}>
                      <RowActions
                        buttons={[
                          { label: "Send test message", onClick: () => test.mutate(c), disabled: test.isPending },
                          { label: "Edit", accessibleName: `Edit channel ${c.name}`, onClick: () => startEdit(c) },
                          { label: c.enabled ? "Disable" : "Enable", onClick: () => toggle.mutate(c) },
                        ]}
                        confirm={confirmAction("Delete", `channel ${c.name}`, () => remove.mutate(c), remove.isPending)}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
