"use client";

import { useState } from "react";
import { useNavigate } from "@/components/use-navigate";
import Link from "next/link";
import { signIn } from "next-auth/react";

const ERRORS: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  OAuthSignin: "Single sign-on failed to start. Try again.",
  OAuthCallback: "Single sign-on failed. Try again.",
  AccessDenied: "Access denied.",
};

export function SignInForm({
  callbackUrl,
  oidcName,
  allowSignup,
  initialError,
}: {
  callbackUrl: string | null;
  oidcName: string | null;
  allowSignup: boolean;
  initialError: string | null;
}) {
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(initialError ? (ERRORS[initialError] ?? "Sign-in failed.") : null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    const res = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (!res || res.error) {
      setPending(false);
      setError(ERRORS.CredentialsSignin!);
      return;
    }
    // A full navigation so the server renders with the new session cookie.
    navigate(callbackUrl ?? "/");
  }

  return (
    <div className="auth-card">
      <span className="brand">Burnrate</span>
      <h1 id="signin-title">Sign in</h1>
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      <form onSubmit={onSubmit} aria-labelledby="signin-title">
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="email" required autoFocus />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <button className="btn btn-primary" type="submit" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {oidcName ? (
        <>
          <p className="divider">or</p>
          <button className="btn" type="button" onClick={() => signIn("oidc", { callbackUrl: callbackUrl ?? "/" })}>
            Sign in with {oidcName}
          </button>
        </>
      ) : null}
      {allowSignup ? (
        <p className="footer">
          New to Burnrate? <Link href="/signup">Create an account</Link>
        </p>
      ) : null}
    </div>
  );
}
