"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { can, ROLE_LABELS, type RoleName } from "@/lib/domain/roles";
import { grantableRoles } from "@/lib/auth/role-order";
import { useCurrentOrg } from "../org-context";
import { apiGet } from "../api-fetch";
import { formatDate } from "../format";
import { CopyButton } from "./copy-button";
import { StatusMessage, type Message } from "../status-message";
import { unwrap } from "../alerting/unwrap";
import { RowActions, confirmAction } from "./row-actions";
import type { ApiKeyJson, SettingsAction } from "./types";
import { refetchAfterWrite } from "../refetch-after-write";

type CreatedKey = { id: string; name: string; prefix: string; key: string; role: RoleName };

export type ApiKeysActions = {
  createOrgApiKey: SettingsAction<CreatedKey>;
  revokeOrgApiKey: SettingsAction<unknown>;
};

function status(k: ApiKeyJson, now: number): { label: string; revoked: boolean } {
  if (k.revokedAt) return { label: "Revoked", revoked: true };
  if (k.expiresAt && new Date(k.expiresAt).getTime() <= now) return { label: "Expired", revoked: true };
  return { label: "Active", revoked: false };
}

export function ApiKeysPanel({ actions }: { actions: ApiKeysActions }) {
  const org = useCurrentOrg();
  const qc = useQueryClient();
  const key = ["api-keys", org.slug];
  const { data, error, isPending, dataUpdatedAt } = useQuery({
    queryKey: key,
    queryFn: () => apiGet<{ apiKeys: ApiKeyJson[] }>("/api/v1/api-keys", org.slug),
  });
  const manage = can(org.role, "apiKeys:manage");
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const refresh = () => refetchAfterWrite(qc, key);

  const createMut = useMutation({
    mutationFn: (input: { name: string; role: RoleName; expiresAt: string | null }) => unwrap(actions.createOrgApiKey(org.slug, input)),
    onSuccess: (k) => {
      setCreated(k);
      setMessage(null);
      void refresh();
    },
    onError: (e: Error) => setMessage({ kind: "error", text: e.message }),
  });
  const revokeMut = useMutation({
    mutationFn: (input: { keyId: string; name: string }) => unwrap(actions.revokeOrgApiKey(org.slug, { keyId: input.keyId })),
    onSuccess: (_d, v) => {
      setMessage({ kind: "ok", text: `Revoked ${v.name}` });
      void refresh();
    },
    onError: (e: Error) => setMessage({ kind: "error", text: e.message }),
  });

  if (isPending) return <p aria-busy="true">Loading API keys…</p>;
  if (error) return <p className="alert" role="alert">Could not load API keys: {error.message}</p>;

  return (
    <div>
      <StatusMessage message={message} />

      {manage ? (
        <section className="panel" aria-labelledby="create-key-title">
          <h2 id="create-key-title">Create an API key</h2>
          <form
            className="inline-form"
            aria-label="Create an API key"
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              const expires = String(f.get("expiresAt") ?? "");
              createMut.mutate({
                name: String(f.get("name") ?? ""),
                role: String(f.get("role")) as RoleName,
                // A date input gives a day: the key works through the end of that day (UTC).
                expiresAt: expires ? new Date(`${expires}T23:59:59.999Z`).toISOString() : null,
              });
              e.currentTarget.reset();
            }}
          >
            <div className="field">
              <label htmlFor="key-name">Name</label>
              <input id="key-name" name="name" required maxLength={80} placeholder="CI ingest" />
            </div>
            <div className="field">
              <label htmlFor="key-role">Role</label>
              <select id="key-role" name="role" defaultValue="VIEWER">
                {grantableRoles(org.role).map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="key-expires">Expires (optional)</label>
              <input id="key-expires" name="expiresAt" type="date" />
            </div>
            <button className="btn btn-primary" type="submit" disabled={createMut.isPending}>
              {createMut.isPending ? "Creating…" : "Create key"}
            </button>
          </form>
          {created ? (
            <div className="notice" style={{ marginTop: "1rem" }} data-testid="new-api-key">
              <p style={{ marginTop: 0 }}>
                Your new key <strong>{created.name}</strong>. Copy it now: it is shown only once.
              </p>
              <div className="secret">
                <code data-testid="new-api-key-value">{created.key}</code>
                <CopyButton value={created.key} label="Copy key" />
                <button type="button" className="btn btn-small" onClick={() => setCreated(null)}>
                  Done
                </button>
              </div>
            </div>
          ) : null}
        </section>
      ) : (
        <p className="muted">Only admins can create or revoke API keys.</p>
      )}

      <section className="panel" aria-labelledby="keys-title">
        <h2 id="keys-title">API keys</h2>
        {data.apiKeys.length === 0 ? (
          <p className="muted">No API keys yet.</p>
        ) : (
          <table className="data" aria-labelledby="keys-title">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
                {manage ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.apiKeys.map((k) => {
                const s = status(k, dataUpdatedAt);
                return (
                  <tr key={k.id} data-testid="api-key-row" data-name={k.name}>
                    <td>{k.name}</td>
                    <td>
                      <code>{k.prefix}…</code>
                    </td>
                    <td>{ROLE_LABELS[k.role]}</td>
                    <td>{formatDate(k.createdAt)}</td>
                    <td>{k.lastUsedAt ? formatDate(k.lastUsedAt) : "Never"}</td>
                    <td>{k.expiresAt ? formatDate(k.expiresAt) : "Never"}</td>
                    <td>
                      <span className={`badge${s.revoked ? " revoked" : ""}`}>{s.label}</span>
                    </td>
                    {manage ? (
                      <td>
                        {k.revokedAt ? null : (
                          <RowActions confirm={confirmAction("Revoke", k.name, () => revokeMut.mutate({ keyId: k.id, name: k.name }), revokeMut.isPending)} />
                        )}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
