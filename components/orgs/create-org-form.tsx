"use client";

import { useState } from "react";
import { useNavigate } from "@/components/use-navigate";
import type { ActionError, ActionResult } from "@/lib/domain/action-result";
import { fieldErrors } from "../auth/field-errors";

export function CreateOrgForm({ create }: { create: (input: unknown) => Promise<ActionResult<{ slug: string }>> }) {
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, setPending] = useState(false);
  const errs = fieldErrors(error);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setError(null);
    const res = await create({ name, slug });
    if (!res.ok) {
      setPending(false);
      setError(res.error);
      return;
    }
    navigate(`/${res.data.slug}/overview`);
  }

  return (
    <form onSubmit={onSubmit} aria-label="Create organization">
      {error && !Object.keys(errs).length ? (
        <p className="alert" role="alert">
          {error.message}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="org-name">Name</label>
        <input
          id="org-name"
          required
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            if (!touched) setSlug(e.target.value.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40));
          }}
        />
        {errs.name ? <span className="error-text">{errs.name}</span> : null}
      </div>
      <div className="field">
        <label htmlFor="org-slug">Address</label>
        <input
          id="org-slug"
          required
          value={slug}
          aria-describedby="org-slug-hint"
          onChange={(e) => {
            setTouched(true);
            setSlug(e.target.value);
          }}
        />
        <span id="org-slug-hint" className="hint">
          Lowercase letters, digits and dashes.
        </span>
        {errs.slug ? <span className="error-text">{errs.slug}</span> : null}
      </div>
      <button className="btn btn-primary" type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create organization"}
      </button>
    </form>
  );
}
