"use client";

import { useState } from "react";
import Link from "next/link";
import { useMutation, useQuery } from "@tanstack/react-query";
import { can } from "@/lib/domain/roles";
import type { HistoryDelivery, HistoryItem } from "@/lib/alerts/history";
import { useCurrentOrg } from "../org-context";
import { apiGet } from "../api-fetch";
import { DataTable, type Column } from "../dashboard/data-table";
import { unwrap, type BrowserAction } from "./unwrap";
import { StatusMessage, type Message } from "../status-message";

const KIND_LABEL: Record<string, string> = {
  BUDGET_THRESHOLD: "Budget threshold",
  BUDGET_FORECAST: "Budget forecast",
  SLO_BREACH: "SLO breach",
  SLO_RESOLVED: "SLO resolved",
  digest: "Weekly digest",
  test: "Test message",
};

function kindOf(i: HistoryItem): string {
  return i.type === "alert" ? KIND_LABEL[i.kind] ?? i.kind : KIND_LABEL[i.type]!;
}

function deliveryText(d: HistoryDelivery): string {
  const status = d.status === "SENT" ? "✓ sent" : d.status === "FAILED" ? "✗ failed" : d.status === "RETRYING" ? "↻ retrying" : "… pending";
  return `${d.kind === "EMAIL" ? "email" : "Slack"} ${d.target}: ${status}${d.attempts > 1 ? ` after ${d.attempts} attempts` : ""}${d.responseCode ? ` (${d.responseCode})` : ""}`;
}

function statusOf(i: HistoryItem): string {
  if (i.type === "alert" && i.superseded) return "recorded (a higher threshold was sent)";
  if (i.deliveries.length === 0) return "recorded (no channel routed)";
  if (i.deliveries.some((d) => d.status === "FAILED")) return "failed";
  if (i.deliveries.some((d) => d.status === "RETRYING" || d.status === "PENDING")) return "in progress";
  return "delivered";
}

export function AlertHistory({ actions }: { actions: { evaluateAlertsNow: BrowserAction<{ jobId: string | undefined }> } }) {
  const org = useCurrentOrg();
  const [days, setDays] = useState(30);
  const { data, error, isPending, refetch, isFetching } = useQuery({
    queryKey: ["alert-history", org.slug, days],
    queryFn: () => apiGet<{ items: HistoryItem[] }>(`/api/v1/alerts?days=${days}`, org.slug),
    refetchInterval: 30_000,
  });
  const [message, setMessage] = useState<Message>(null);
  const evaluate = useMutation({
    mutationFn: () => unwrap(actions.evaluateAlertsNow(org.slug, {})),
    onSuccess: () => setMessage({ kind: "ok", text: "Evaluation queued: new alerts appear here within a minute (the worker must be running)." }),
    onError: (e: Error) => setMessage({ kind: "error", text: e.message }),
  });
  const columns: Column<HistoryItem>[] = [
    { key: "at", label: "When (UTC)", value: (i) => i.at, render: (i) => i.at.slice(0, 16).replace("T", " ") },
    { key: "kind", label: "Kind", value: kindOf },
    { key: "severity", label: "Severity", value: (i) => (i.type === "alert" ? i.severity : ""), render: (i) => (i.type === "alert" ? i.severity.toLowerCase() : "—") },
    {
      key: "title",
      label: "Alert",
      value: (i) => i.title,
      render: (i) => (
        <>
          {i.type === "alert" && i.path ? <Link href={i.path}>{i.title}</Link> : i.title}
          {i.type === "alert" && i.summary ? <><br /><span className="muted">{i.summary}</span></> : null}
        </>
      ),
    },
    {
      key: "deliveries",
      label: "Deliveries",
      sortable: false,
      value: (i) => i.deliveries.map((d) => `${deliveryText(d)}${d.error ? ` [${d.error}]` : ""}`).join("; "),
      render: (i) =>
        i.deliveries.length === 0 ? (
          "—"
        ) : (
          <ul style={{ margin: 0, paddingLeft: "1rem" }}>
            {i.deliveries.map((d) => (
              <li key={d.id}>
                {deliveryText(d)}
                {d.error ? <><br /><span className="error-text">{d.error}</span></> : null}
              </li>
            ))}
          </ul>
        ),
    },
    { key: "status", label: "Status", value: statusOf },
  ];
  return (
    <>
      <h1>Alert history</h1>
      <p>
        Every budget and SLO alert, its Slack deliveries, and every weekly digest email. Channels are set up in <Link href={`/${org.slug}/settings?tab=slack`}>Settings → Slack alerts</Link>; your digest in{" "}
        <Link href={`/${org.slug}/settings?tab=digest`}>Settings → Weekly digest</Link> (<Link href={`/${org.slug}/alerts/digest`}>preview</Link>).
      </p>
      <div className="inline-form" style={{ marginBottom: "1rem" }}>
        <div className="field">
          <label htmlFor="hist-days">Period</label>
          <select id="hist-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
        </div>
        <button type="button" className="btn" onClick={() => void refetch()} disabled={isFetching}>{isFetching ? "Refreshing…" : "Refresh"}</button>
        {can(org.role, "alerts:manage") ? <button type="button" className="btn" onClick={() => evaluate.mutate()} disabled={evaluate.isPending}>Evaluate budgets and SLOs now</button> : null}
      </div>
      <StatusMessage message={message} />
      {isPending ? <p aria-busy="true">Loading alert history…</p> : error ? <p className="alert" role="alert">Could not load the alert history: {error.message}</p> : data.items.length === 0 ? (
        <section className="panel"><p>No alerts or digests in this period.</p></section>
      ) : (
        <section className="panel" aria-label="Alerts and digests">
          <DataTable rows={data.items} columns={columns} rowKey={(i) => `${i.type}-${i.id}`} caption="Alerts and digests" csvName={`alerts-${org.slug}.csv`} initialSort={{ key: "at", desc: true }} />
        </section>
      )}
    </>
  );
}
