"use client";

import { useState } from "react";
import { useNavigate } from "@/components/use-navigate";
import Link from "next/link";
import { signIn } from "next-auth/react";
import type { signUpAction } from "@/lib/actions/public";
import type { ActionError } from "@/lib/domain/action-result";
import { fieldErrors } from "./field-errors";

function slugify(name: string) {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}

export function SignUpForm({ signUp }: { signUp: typeof signUpAction }) {
  const navigate = useNavigate();
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, setPending] = useState(false);
  const [orgName, setOrgName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugTouched, setSlugTouched] = useState(false);
  const errs = fieldErrors(error);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const input = {
      name: String(f.get("name") ?? ""),
      email: String(f.get("email") ?? ""),
      password: String(f.get("password") ?? ""),
      orgName,
      orgSlug: slug,
    };
    setPending(true);
    setError(null);
    const res = await signUp(input);
    if (!res.ok) {
      setPending(false);
      setError(res.error);
      return;
    }
    const signedIn = await signIn("credentials", { email: res.data.email, password: input.password, redirect: false });
    navigate(signedIn?.ok ? `/${res.data.orgSlug}/overview` : "/signin");
  }

  const describe = (field: string) => (errs[field] ? `${field}-error` : undefined);
  const fieldError = (field: string) =>
    errs[field] ? (
      <span id={`${field}-error`} className="error-text">
        {errs[field]}
      </span>
    ) : null;

  return (
    <div className="auth-card">
      <span className="brand">Burnrate</span>
      <h1>Create an account</h1>
      {error && !Object.keys(errs).length ? (
        <p className="alert" role="alert">
          {error.message}
        </p>
      ) : null}
      <form onSubmit={onSubmit} aria-label="Create an account">
        <div className="field">
          <label htmlFor="name">Your name</label>
          <input id="name" name="name" autoComplete="name" required aria-describedby={describe("name")} />
          {fieldError("name")}
        </div>
        <div className="field">
          <label htmlFor="email">Work email</label>
          <input id="email" name="email" type="email" autoComplete="email" required aria-describedby={describe("email")} />
          {fieldError("email")}
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="new-password" minLength={8} required aria-describedby="password-hint" />
          <span id="password-hint" className="hint">
            At least 8 characters.
          </span>
          {fieldError("password")}
        </div>
        <div className="field">
          <label htmlFor="orgName">Organization name</label>
          <input
            id="orgName"
            name="orgName"
            required
            value={orgName}
            onChange={(e) => {
              setOrgName(e.target.value);
              if (!slugTouched) setSlug(slugify(e.target.value));
            }}
          />
          {fieldError("orgName")}
        </div>
        <div className="field">
          <label htmlFor="orgSlug">Organization address</label>
          <input
            id="orgSlug"
            name="orgSlug"
            required
            pattern="[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?"
            value={slug}
            aria-describedby="orgSlug-hint"
            onChange={(e) => {
              setSlugTouched(true);
              setSlug(e.target.value);
            }}
          />
          <span id="orgSlug-hint" className="hint">
            Lowercase letters, digits and dashes: burnrate/{slug || "your-org"}
          </span>
          {fieldError("orgSlug")}
        </div>
        <button className="btn btn-primary" type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create account"}
        </button>
      </form>
      <p className="footer">
        Already have an account? <Link href="/signin">Sign in</Link>
      </p>
    </div>
  );
}
