"use client";

import { useState } from "react";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { DigestPreferences } from "@/lib/domain/alerting";
import { useCurrentOrg } from "../org-context";
import { apiGet } from "../api-fetch";
import { unwrap, type BrowserAction } from "../alerting/unwrap";
import { refetchAfterWrite } from "../refetch-after-write";
import { StatusMessage, type Message } from "../status-message";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export function DigestPanel({ actions }: { actions: { saveDigestPreferences: BrowserAction<DigestPreferences> } }) {
  const org = useCurrentOrg();
  const qc = useQueryClient();
  const key = ["digest-preferences", org.slug];
  const { data, error, isPending } = useQuery({ queryKey: key, queryFn: () => apiGet<{ email: string | null; preferences: DigestPreferences; smtpConfigured: boolean }>("/api/v1/alerts/digest-preferences", org.slug) });
  const [message, setMessage] = useState<Message>(null);
  const save = useMutation({
    mutationFn: (input: DigestPreferences) => unwrap(actions.saveDigestPreferences(org.slug, input)),
    onSuccess: (p) => {
      setMessage({ kind: "ok", text: p.enabled ? `Weekly digest on: ${DAYS[p.dayOfWeek]}s at ${String(p.hour).padStart(2, "0")}:00 (${p.timezone})` : "Weekly digest off" });
      void refetchAfterWrite(qc, key);
    },
    onError: (e: Error) => setMessage({ kind: "error", text: e.message }),
  });
  if (isPending) return <p aria-busy="true">Loading digest settings…</p>;
  if (error) return <p className="alert" role="alert">Could not load digest settings: {error.message}</p>;
  const p = data.preferences;
  const browserTz = typeof Intl !== "undefined" ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC";
  return (
    <section className="panel" aria-labelledby="digest-title">
      <h2 id="digest-title">Weekly email digest</h2>
      <p>
        Once a week, to {data.email ?? "you"}: spend against last week and the budgets, GPU utilization and idle cost, the top 3 recommendations and SLO breaches.{" "}
        <Link href={`/${org.slug}/alerts/digest`}>Preview this week&apos;s digest</Link>.
      </p>
      {!data.smtpConfigured ? <p className="notice">Email is not configured on this server (SMTP_HOST): digests will be sent once it is.</p> : null}
      <StatusMessage message={message} />
      <form
        className="inline-form"
        aria-label="Weekly digest"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          save.mutate({ enabled: f.get("enabled") === "on", dayOfWeek: Number(f.get("dayOfWeek")), hour: Number(f.get("hour")), timezone: String(f.get("timezone")) });
        }}
      >
        <div className="field"><label><input type="checkbox" name="enabled" defaultChecked={p.enabled} /> Send me the weekly digest</label></div>
        <div className="field"><label htmlFor="dg-day">Day</label><select id="dg-day" name="dayOfWeek" defaultValue={p.dayOfWeek}>{DAYS.map((d, i) => <option key={d} value={i}>{d}</option>)}</select></div>
        <div className="field"><label htmlFor="dg-hour">Hour</label><select id="dg-hour" name="hour" defaultValue={p.hour}>{Array.from({ length: 24 }, (_, h) => <option key={h} value={h}>{String(h).padStart(2, "0")}:00</option>)}</select></div>
        <div className="field"><label htmlFor="dg-tz">Time zone</label><input id="dg-tz" name="timezone" defaultValue={p.enabled || p.timezone !== "UTC" ? p.timezone : browserTz} maxLength={64} /></div>
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>{save.isPending ? "Saving…" : "Save"}</button>
      </form>
    </section>
  );
}
