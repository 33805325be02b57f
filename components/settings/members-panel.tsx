"use client";

import { useState } from "react";
import { useNavigate } from "@/components/use-navigate";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { can, ROLE_LABELS, ROLES, type RoleName } from "@/lib/domain/roles";
import type { ActionError } from "@/lib/domain/action-result";
import { useCurrentOrg } from "../org-context";
import { apiGet } from "../api-fetch";
import { formatDate } from "../format";
import { CopyButton } from "./copy-button";
import { StatusMessage, type Message } from "../status-message";
import { ConfirmButton } from "./confirm-button";
import { RowActions, confirmAction } from "./row-actions";
import type { MembersResponse, SettingsAction } from "./types";
import { refetchAfterWrite } from "../refetch-after-write";

type Invitation = { id: string; email: string; role: RoleName; token: string; path: string };

export type MembersActions = {
  inviteMember: SettingsAction<Invitation>;
  revokeMemberInvitation: SettingsAction<unknown>;
  changeRole: SettingsAction<unknown>;
  removeOrgMember: SettingsAction<unknown>;
  leaveOrganization: SettingsAction<unknown>;
};

function unwrap<R>(p: Promise<{ ok: true; data: R } | { ok: false; error: ActionError }>): Promise<R> {
  return p.then((r) => {
    if (!r.ok) throw Object.assign(new Error(r.error.message), { status: r.error.status });
    return r.data;
  });
}

export function MembersPanel({ actions }: { actions: MembersActions }) {
  const navigate = useNavigate();
  const org = useCurrentOrg();
  const qc = useQueryClient();
  const key = ["members", org.slug];
  const { data, error, isPending } = useQuery({ queryKey: key, queryFn: () => apiGet<MembersResponse>("/api/v1/members", org.slug) });
  const manage = can(org.role, "members:manage");
  const [message, setMessage] = useState<Message>(null);
  const [invite, setInvite] = useState<Invitation | null>(null);

  const onError = (e: Error) => setMessage({ kind: "error", text: e.message });
  const refresh = () => refetchAfterWrite(qc, key);

  const inviteMut = useMutation({
    mutationFn: (input: { email: string; role: RoleName }) => unwrap(actions.inviteMember(org.slug, input)),
    onSuccess: (inv) => {
      setInvite(inv);
      setMessage(null);
      void refresh();
    },
    onError,
  });
  const roleMut = useMutation({
    mutationFn: (input: { membershipId: string; role: RoleName; email: string }) =>
      unwrap(actions.changeRole(org.slug, { membershipId: input.membershipId, role: input.role })),
    onSuccess: (_d, v) => {
      setMessage({ kind: "ok", text: `${v.email} is now ${ROLE_LABELS[v.role]}` });
      void refresh();
    },
    onError: (e) => {
      onError(e);
      void refresh();
    },
  });
  const removeMut = useMutation({
    mutationFn: (input: { membershipId: string; email: string }) => unwrap(actions.removeOrgMember(org.slug, { membershipId: input.membershipId })),
    onSuccess: (_d, v) => {
      setMessage({ kind: "ok", text: `Removed ${v.email}` });
      void refresh();
    },
    onError,
  });
  const revokeInviteMut = useMutation({
    mutationFn: (invitationId: string) => unwrap(actions.revokeMemberInvitation(org.slug, { invitationId })),
    onSuccess: () => {
      setMessage({ kind: "ok", text: "Invitation revoked" });
      void refresh();
    },
    onError,
  });
  const leaveMut = useMutation({
    mutationFn: () => unwrap(actions.leaveOrganization(org.slug, {})),
    onSuccess: () => navigate("/"),
    onError,
  });

  if (isPending) return <p aria-busy="true">Loading members…</p>;
  if (error) return <p className="alert" role="alert">Could not load members: {error.message}</p>;

  const inviteUrl = invite ? `${window.location.origin}${invite.path}` : "";

  return (
    <div>
      <StatusMessage message={message} />

      {manage ? (
        <section className="panel" aria-labelledby="invite-title">
          <h2 id="invite-title">Invite a member</h2>
          <form
            className="inline-form"
            aria-label="Invite a member"
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              inviteMut.mutate({ email: String(f.get("email") ?? ""), role: String(f.get("role")) as RoleName });
            }}
          >
            <div className="field">
              <label htmlFor="invite-email">Email</label>
              <input id="invite-email" name="email" type="email" required autoComplete="off" />
            </div>
            <div className="field">
              <label htmlFor="invite-role">Role</label>
              <select id="invite-role" name="role" defaultValue="VIEWER">
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
            </div>
            <button className="btn btn-primary" type="submit" disabled={inviteMut.isPending}>
              {inviteMut.isPending ? "Inviting…" : "Create invitation"}
            </button>
          </form>
          {invite ? (
            <div className="notice" style={{ marginTop: "1rem" }} data-testid="invite-link">
              <p style={{ marginTop: 0 }}>
                Send this link to <strong>{invite.email}</strong> (it works once and expires in 7 days):
              </p>
              <div className="secret">
                <code>{inviteUrl}</code>
                <CopyButton value={inviteUrl} label="Copy link" />
              </div>
            </div>
          ) : null}
        </section>
      ) : null}

      <section className="panel" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <table className="data" aria-labelledby="members-title">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              {manage ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {data.members.map((m) => (
              <tr key={m.id} data-testid="member-row" data-email={m.email}>
                <td>
                  {m.email}
                  {m.userId === org.userId ? <span className="badge" style={{ marginLeft: 6 }}>you</span> : null}
                </td>
                <td>{m.name ?? "—"}</td>
                <td>
                  {manage ? (
                    <select
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      disabled={roleMut.isPending}
                      onChange={(e) => roleMut.mutate({ membershipId: m.id, role: e.target.value as RoleName, email: m.email })}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_LABELS[r]}
                        </option>
                      ))}
                    </select>
                  ) : (
                    ROLE_LABELS[m.role]
                  )}
                </td>
                <td>{formatDate(m.joinedAt)}</td>
                {manage ? (
                  <td>
                    {m.userId === org.userId ? null : (
                      <RowActions confirm={confirmAction("Remove", m.email, () => removeMut.mutate({ membershipId: m.id, email: m.email }), removeMut.isPending)} />
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {manage && data.invitations.length ? (
        <section className="panel" aria-labelledby="invitations-title">
          <h2 id="invitations-title">Pending invitations</h2>
          <table className="data" aria-labelledby="invitations-title">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Expires</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.invitations.map((i) => (
                <tr key={i.id} data-testid="invitation-row" data-email={i.email}>
                  <td>{i.email}</td>
                  <td>{ROLE_LABELS[i.role]}</td>
                  <td>{formatDate(i.expiresAt)}</td>
                  <td>
                    <RowActions confirm={confirmAction("Revoke", `invitation for ${i.email}`, () => revokeInviteMut.mutate(i.id), revokeInviteMut.isPending)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {!manage ? <p className="muted">Only admins can invite, change roles or remove members.</p> : null}

      <section className="panel" aria-labelledby="leave-title">
        <h2 id="leave-title">Leave {org.name}</h2>
        <p className="muted">You will lose access to this organization until someone invites you again.</p>
        <ConfirmButton label="Leave organization" confirmLabel="Confirm leave" disabled={leaveMut.isPending} onConfirm={() => leaveMut.mutate()} />
      </section>
    </div>
  );
}
