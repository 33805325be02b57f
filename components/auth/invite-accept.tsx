"use client";

import { useState } from "react";
import { useNavigate } from "@/components/use-navigate";
import { signIn } from "next-auth/react";
import type { ActionError, ActionResult } from "@/lib/domain/action-result";
import { fieldErrors } from "./field-errors";

type Props =
  | { mode: "signed-in"; token: string; email: string; accept: (input: unknown) => Promise<ActionResult<{ orgSlug: string }>> }
  | {
      mode: "new-account";
      token: string;
      email: string;
      acceptWithNewAccount: (input: unknown) => Promise<ActionResult<{ orgSlug: string; email: string }>>;
    };

export function InviteAccept(props: Props) {
  const navigate = useNavigate();
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, setPending] = useState(false);
  const errs = fieldErrors(error);

  async function acceptSignedIn() {
    if (props.mode !== "signed-in") return;
    setPending(true);
    const res = await props.accept({ token: props.token });
    if (!res.ok) {
      setPending(false);
      setError(res.error);
      return;
    }
    navigate(`/${res.data.orgSlug}/overview`);
  }

  async function acceptNew(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (props.mode !== "new-account") return;
    const f = new FormData(e.currentTarget);
    const password = String(f.get("password") ?? "");
    setPending(true);
    setError(null);
    const res = await props.acceptWithNewAccount({ token: props.token, name: String(f.get("name") ?? ""), password });
    if (!res.ok) {
      setPending(false);
      setError(res.error);
      return;
    }
    const signedIn = await signIn("credentials", { email: res.data.email, password, redirect: false });
    navigate(signedIn?.ok ? `/${res.data.orgSlug}/overview` : "/signin");
  }

  const alert =
    error && !Object.keys(errs).length ? (
      <p className="alert" role="alert">
        {error.message}
      </p>
    ) : null;

  if (props.mode === "signed-in") {
    return (
      <>
        {alert}
        <button className="btn btn-primary" type="button" onClick={acceptSignedIn} disabled={pending}>
          {pending ? "Joining…" : "Accept invitation"}
        </button>
      </>
    );
  }
  return (
    <form onSubmit={acceptNew} aria-label="Create your account and accept">
      {alert}
      <div className="field">
        <label htmlFor="invite-email">Email</label>
        <input id="invite-email" value={props.email} readOnly />
      </div>
      <div className="field">
        <label htmlFor="name">Your name</label>
        <input id="name" name="name" autoComplete="name" required />
        {errs.name ? <span className="error-text">{errs.name}</span> : null}
      </div>
      <div className="field">
        <label htmlFor="password">Choose a password</label>
        <input id="password" name="password" type="password" autoComplete="new-password" minLength={8} required />
        {errs.password ? <span className="error-text">{errs.password}</span> : null}
      </div>
      <button className="btn btn-primary" type="submit" disabled={pending}>
        {pending ? "Joining…" : "Create account and join"}
      </button>
    </form>
  );
}
