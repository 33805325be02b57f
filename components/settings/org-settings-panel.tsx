"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { can } from "@/lib/domain/roles";
import type { OrgSettingsView } from "@/lib/domain/org-settings";
import { useCurrentOrg } from "../org-context";
import { unwrap, type BrowserAction } from "../alerting/unwrap";
import { StatusMessage, type Message } from "../status-message";

export type OrgSettingsActions = {
  updateOrgSettings: BrowserAction<{ settings: OrgSettingsView; idleThresholdChanged: boolean; staleDays: number; rebuildJobIds: string[] }>;
};

/** Organization settings: admins edit, everyone else reads. The page loads `settings` on the server. */
export function OrgSettingsPanel({ settings, actions }: { settings: OrgSettingsView; actions: OrgSettingsActions }) {
  const org = useCurrentOrg();
  const router = useRouter();
  const manage = can(org.role, "org:manage");
  const [keys, setKeys] = useState<string[]>(settings.runLabelKeys);
  const [newKey, setNewKey] = useState("");
  const [message, setMessage] = useState<Message>(null);

  const save = useMutation({
    mutationFn: (input: Record<string, unknown>) => unwrap(actions.updateOrgSettings(org.slug, input)),
    onSuccess: (r) => {
      setKeys(r.settings.runLabelKeys);
      setMessage({
        kind: "ok",
        text: r.idleThresholdChanged
          ? `Settings saved. Idle threshold is now ${r.settings.idleThresholdPercent}%: ${r.staleDays} day(s) of history are being recomputed (reports use the new threshold right away).`
          : "Settings saved.",
      });
      router.refresh();
    },
    onError: (e: Error) => setMessage({ kind: "error", text: e.message }),
  });

  const move = (i: number, by: -1 | 1) =>
    setKeys((k) => {
      const j = i + by;
      if (j < 0 || j >= k.length) return k;
      const next = [...k];
      [next[i], next[j]] = [next[j]!, next[i]!];
      return next;
    });
  const addKey = () => {
    const k = newKey.trim();
    if (!k) return;
    if (keys.includes(k)) {
      setMessage({ kind: "error", text: `Label key ${k} is already in the list` });
      return;
    }
    setKeys([...keys, k]);
    setNewKey("");
  };

  if (!manage) {
    return (
      <section className="panel" aria-labelledby="org-settings">
        <h2 id="org-settings">Organization</h2>
        <p className="muted">Only admins can change these settings.</p>
        <dl data-testid="org-settings-readonly">
          <dt>Name</dt><dd>{settings.name}</dd>
          <dt>Reporting currency</dt><dd>{settings.currency}</dd>
          <dt>Idle threshold</dt><dd data-testid="idle-threshold-value">{settings.idleThresholdPercent}% GPU utilization</dd>
          <dt>Team tag key</dt><dd><code>{settings.teamTagKey}</code></dd>
          <dt>Training-run label keys (in order)</dt><dd><ol>{settings.runLabelKeys.map((k) => <li key={k}><code>{k}</code></li>)}</ol></dd>
        </dl>
      </section>
    );
  }

  return (
    <section className="panel" aria-labelledby="org-settings">
      <h2 id="org-settings">Organization</h2>
      <StatusMessage message={message} />
      <form
        aria-label="Organization settings"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          save.mutate({
            name: f.get("name"),
            currency: settings.currencyLocked ? settings.currency : f.get("currency"),
            idleThresholdPercent: f.get("idleThresholdPercent"),
            teamTagKey: f.get("teamTagKey"),
            runLabelKeys: keys,
          });
        }}
      >
        <div className="field"><label htmlFor="org-name">Name</label><input id="org-name" name="name" required maxLength={120} defaultValue={settings.name} /></div>
        <div className="field">
          <label htmlFor="org-currency">Reporting currency</label>
          <input id="org-currency" name="currency" required maxLength={3} size={4} pattern="[A-Za-z]{3}" defaultValue={settings.currency} readOnly={settings.currencyLocked} aria-describedby="org-currency-hint" />
          <span className="hint" id="org-currency-hint">{settings.currencyLocked ? "Fixed: bills have been imported in this currency." : "ISO 4217 code. It can no longer change once bills are imported."}</span>
        </div>
        <div className="field">
          <label htmlFor="org-idle">Idle threshold (% GPU utilization)</label>
          <input id="org-idle" name="idleThresholdPercent" type="number" required min={0} max={100} step={0.01} defaultValue={settings.idleThresholdPercent} aria-describedby="org-idle-hint" />
          <span className="hint" id="org-idle-hint">A GPU-hour below this utilization counts as idle (default 5%). Changing it recomputes idle figures of the whole history.</span>
        </div>
        <div className="field">
          <label htmlFor="org-team">Team tag key</label>
          <input id="org-team" name="teamTagKey" required maxLength={200} pattern="[^\s,]+" defaultValue={settings.teamTagKey} aria-describedby="org-team-hint" />
          <span className="hint" id="org-team-hint">The bill tag or Kubernetes label that names a team.</span>
        </div>
        <fieldset className="field">
          <legend>Training-run label keys (first match wins)</legend>
          <ol data-testid="run-label-keys">
            {keys.map((k, i) => (
              <li key={k}>
                <code>{k}</code>{" "}
                <button type="button" className="btn btn-small" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move ${k} up`}>↑</button>{" "}
                <button type="button" className="btn btn-small" onClick={() => move(i, 1)} disabled={i === keys.length - 1} aria-label={`Move ${k} down`}>↓</button>{" "}
                <button type="button" className="btn btn-small btn-danger" onClick={() => setKeys(keys.filter((x) => x !== k))} disabled={keys.length === 1} aria-label={`Remove ${k}`}>Remove</button>
              </li>
            ))}
          </ol>
          <div className="inline-form">
            <label htmlFor="org-new-key" className="visually-hidden">New label key</label>
            <input
              id="org-new-key"
              value={newKey}
              maxLength={200}
              placeholder="e.g. job-name"
              onChange={(e) => setNewKey(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  addKey();
                }
              }}
            />{" "}
            <button type="button" className="btn btn-small" onClick={addKey}>Add key</button>
          </div>
        </fieldset>
        <button className="btn btn-primary" type="submit" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save settings"}</button>
      </form>
    </section>
  );
}
