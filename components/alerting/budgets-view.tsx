"use client";

import { useState } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { can } from "@/lib/domain/roles";
import { BUDGET_PERIODS, SCOPE_KINDS, SCOPE_LABELS, type BudgetView, type TopMover } from "@/lib/domain/alerting";
import { BUDGET_TONE, budgetScopeText, budgetStatus } from "./budget-status";
import { useCurrentOrg } from "../org-context";
import { apiGet } from "../api-fetch";
import { formatMoney } from "../format";
import { BurnDownChart } from "./burn-down-chart";
import { DataTable, type Column } from "../dashboard/data-table";
import { unwrap, type BrowserAction } from "./unwrap";
import { refetchAfterWrite } from "../refetch-after-write";
import { StatusMessage, type Message } from "../status-message";

export type BudgetActions = {
  createBudget: BrowserAction<{ id: string; name: string }>;
  deleteBudget: BrowserAction<unknown>;
  updateBudget: BrowserAction<{ id: string; name: string }>;
};

/** "50, 80 100" → [50, 80, 100]. */
function parseThresholds(text: string): number[] {
  return text.split(/[,\s]+/).filter(Boolean).map(Number);
}

const statusOf = budgetStatus;
const TONE = BUDGET_TONE;
const scopeText = budgetScopeText;

export function BudgetsView({ actions }: { actions: BudgetActions }) {
  const org = useCurrentOrg();
  const qc = useQueryClient();
  const sp = useSearchParams();
  const key = ["budgets", org.slug];
  const { data, error, isPending } = useQuery({ queryKey: key, queryFn: () => apiGet<{ budgets: BudgetView[]; asOf: string }>("/api/v1/budgets", org.slug) });
  // The budget shown in the chart lives in the URL (?budget=), so links from alerts open it and a
  // refresh after an action keeps it.
  const router = useRouter();
  const pathname = usePathname();
  const selected = sp.get("budget");
  const setSelected = (id: string) => router.replace(`${pathname}?budget=${encodeURIComponent(id)}`, { scroll: false });
  const [message, setMessage] = useState<Message>(null);
  const [scopeKind, setScopeKind] = useState<string>("ORG");
  const manage = can(org.role, "budgets:manage");
  const current = data?.budgets.find((b) => b.id === selected) ?? data?.budgets[0] ?? null;
  const movers = useQuery({
    queryKey: ["budget", org.slug, current?.id],
    enabled: Boolean(current),
    queryFn: () => apiGet<{ topMovers: TopMover[] }>(`/api/v1/budgets/${current!.id}`, org.slug),
  });

  const create = useMutation({
    mutationFn: (input: Record<string, unknown>) => unwrap(actions.createBudget(org.slug, input)),
    // Refetch the list before moving the URL to the new budget: a navigation started first could
    // leave the list as it was (seen in e2e: no refetch after the create).
    onSuccess: async (b) => {
      await refetchAfterWrite(qc, key);
      setMessage({ kind: "ok", text: `Budget "${b.name}" created` });
      setSelected(b.id);
    },
    onError: (e: Error) => setMessage({ kind: "error", text: e.message }),
  });
  const [editing, setEditing] = useState<BudgetView | null>(null);
  const update = useMutation({
    mutationFn: (input: Record<string, unknown>) => unwrap(actions.updateBudget(org.slug, input)),
    onSuccess: async (b) => {
      await refetchAfterWrite(qc, key);
      setMessage({ kind: "ok", text: `Budget "${b.name}" saved` });
      setEditing(null);
    },
    onError: (e: Error) => setMessage({ kind: "error", text: e.message }),
  });
  const remove = useMutation({
    mutationFn: (b: BudgetView) => unwrap(actions.deleteBudget(org.slug, { budgetId: b.id })),
    onSuccess: () => void refetchAfterWrite(qc, key),
    onError: (e: Error) => setMessage({ kind: "error", text: e.message }),
  });

  const columns: Column<BudgetView>[] = [
    { key: "name", label: "Budget", value: (b) => b.name, render: (b) => <button type="button" className="btn btn-small" onClick={() => setSelected(b.id)} aria-pressed={current?.id === b.id}>{b.name}</button> },
    { key: "scope", label: "Scope", value: scopeText },
    { key: "period", label: "Period", value: (b) => b.periodKey },
    { key: "amount", label: "Budget", numeric: true, value: (b) => b.amount, render: (b) => formatMoney(b.amount, b.currency), csv: (b) => `${b.amount} ${b.currency}` },
    { key: "actual", label: "Spent", numeric: true, value: (b) => b.actual, render: (b) => formatMoney(b.actual, b.currency), csv: (b) => `${b.actual} ${b.currency}` },
    { key: "used", label: "Used", numeric: true, value: (b) => b.percentUsed, render: (b) => `${b.percentUsed}%` },
    {
      key: "forecast",
      label: "Forecast at period end",
      numeric: true,
      value: (b) => b.forecast.projected,
      render: (b) => (b.forecast.method === "none" ? "no data yet" : `${formatMoney(b.forecast.projected, b.currency)} (${b.forecast.percentOfBudget}%)`),
      csv: (b) => `${b.forecast.projected} ${b.currency}`,
    },
    {
      key: "status",
      label: "Status",
      value: (b) => statusOf(b).text,
      render: (b) => {
        const s = statusOf(b);
        return <span className="badge" style={TONE[s.tone]}>{s.text}</span>;
      },
    },
    ...(manage
      ? [
          {
            key: "actions",
            label: "",
            value: () => null,
            sortable: false as const,
            csv: false as const,
            render: (b: BudgetView) => (
              <span style={{ whiteSpace: "nowrap" }}>
                <button type="button" className="btn btn-small" onClick={() => { setMessage(null); setEditing(b); }}>Edit</button>{" "}
                <button type="button" className="btn btn-small btn-danger" onClick={() => { if (confirm(`Delete budget "${b.name}"?`)) remove.mutate(b); }}>Delete</button>
              </span>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <h1>Budgets</h1>
      <StatusMessage message={message} />
      {manage ? (
        <section className="panel" aria-labelledby="new-budget">
          <h2 id="new-budget">New budget</h2>
          <form
            className="inline-form"
            aria-label="New budget"
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              const thresholds = parseThresholds(String(f.get("thresholds") ?? ""));
              const ft = String(f.get("forecastThreshold") ?? "");
              create.mutate({
                name: f.get("name"),
                period: f.get("period"),
                amount: f.get("amount"),
                currency: f.get("currency"),
                scopeKind: f.get("scopeKind"),
                scopeValue: f.get("scopeValue") || null,
                thresholds,
                forecastThreshold: ft === "" ? null : Number(ft),
              });
            }}
          >
            <div className="field"><label htmlFor="b-name">Name</label><input id="b-name" name="name" required maxLength={120} placeholder="GPU spend" /></div>
            <div className="field"><label htmlFor="b-period">Period</label><select id="b-period" name="period" defaultValue="MONTH">{BUDGET_PERIODS.map((p) => <option key={p} value={p}>{p === "MONTH" ? "Month" : "Quarter"}</option>)}</select></div>
            <div className="field"><label htmlFor="b-amount">Amount</label><input id="b-amount" name="amount" required inputMode="decimal" pattern="\d+(\.\d{1,2})?" placeholder="50000" /></div>
            <div className="field"><label htmlFor="b-currency">Currency</label><input id="b-currency" name="currency" defaultValue={org.currency} maxLength={3} size={4} /></div>
            <div className="field"><label htmlFor="b-scope">Scope</label><select id="b-scope" name="scopeKind" value={scopeKind} onChange={(e) => setScopeKind(e.target.value)}>{SCOPE_KINDS.map((k) => <option key={k} value={k}>{SCOPE_LABELS[k]}</option>)}</select></div>
            {scopeKind !== "ORG" ? <div className="field"><label htmlFor="b-scope-value">{SCOPE_LABELS[scopeKind as keyof typeof SCOPE_LABELS]}</label><input id="b-scope-value" name="scopeValue" required maxLength={200} /></div> : null}
            <div className="field"><label htmlFor="b-thresholds">Alert at % of budget</label><input id="b-thresholds" name="thresholds" defaultValue="50, 80, 100" /></div>
            <div className="field"><label htmlFor="b-forecast">Alert when forecast reaches %</label><input id="b-forecast" name="forecastThreshold" defaultValue="100" inputMode="numeric" size={5} /></div>
            <button className="btn btn-primary" type="submit" disabled={create.isPending}>{create.isPending ? "Creating…" : "Create budget"}</button>
          </form>
        </section>
      ) : null}
      {manage && editing ? (
        <section className="panel" aria-labelledby="edit-budget">
          <h2 id="edit-budget">Edit budget &ldquo;{editing.name}&rdquo;</h2>
          <p className="muted">Scope ({scopeText(editing)}), period and currency ({editing.currency}) stay as created.</p>
          <form
            key={editing.id}
            className="inline-form"
            aria-label="Edit budget"
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              const ft = String(f.get("forecastThreshold") ?? "").trim();
              update.mutate({
                budgetId: editing.id,
                name: f.get("name"),
                amount: f.get("amount"),
                thresholds: parseThresholds(String(f.get("thresholds") ?? "")),
                forecastThreshold: ft === "" ? null : Number(ft),
              });
            }}
          >
            <div className="field"><label htmlFor="eb-name">Name</label><input id="eb-name" name="name" required maxLength={120} defaultValue={editing.name} /></div>
            <div className="field"><label htmlFor="eb-amount">Amount ({editing.currency})</label><input id="eb-amount" name="amount" required inputMode="decimal" pattern="\d+(\.\d{1,2})?" defaultValue={editing.amount} /></div>
            <div className="field"><label htmlFor="eb-thresholds">Alert at % of budget</label><input id="eb-thresholds" name="thresholds" defaultValue={editing.thresholds.join(", ")} /></div>
            <div className="field"><label htmlFor="eb-forecast">Alert when forecast reaches % (empty = never)</label><input id="eb-forecast" name="forecastThreshold" defaultValue={editing.forecastThreshold ?? ""} inputMode="numeric" size={5} /></div>
            <button className="btn btn-primary" type="submit" disabled={update.isPending}>{update.isPending ? "Saving…" : "Save budget"}</button>{" "}
            <button className="btn" type="button" onClick={() => setEditing(null)}>Cancel</button>
          </form>
        </section>
      ) : null}

      {isPending ? <p aria-busy="true">Loading budgets…</p> : error ? <p className="alert" role="alert">Could not load budgets: {error.message}</p> : data.budgets.length === 0 ? (
        <section className="panel"><p>No budgets yet. {manage ? "Create one above: spend is read from your ingested bills." : "Ask a finance lead or an admin to create one."}</p></section>
      ) : (
        <>
          {current ? (
            <section className="panel" aria-labelledby="burn-title" data-testid="burn-down">
              <h2 id="burn-title">{current.name}: {current.periodKey}</h2>
              <p>
                Spent <strong>{formatMoney(current.actual, current.currency)}</strong> of {formatMoney(current.amount, current.currency)} ({current.percentUsed}%).{" "}
                {current.forecast.method === "none" ? "No spend yet this period to forecast from." : <>Forecast at period end: <strong>{formatMoney(current.forecast.projected, current.currency)}</strong> (90% range {formatMoney(current.forecast.low, current.currency)} – {formatMoney(current.forecast.high, current.currency)}), {current.forecast.percentOfBudget}% of the budget; {current.forecast.daysLeft} days left.</>}
              </p>
              {current.excludedCurrencies.length ? <p className="muted">Spend in {current.excludedCurrencies.join(", ")} is not counted (no conversion to {current.currency}).</p> : null}
              <BurnDownChart points={current.points} amount={Number(current.amount)} currency={current.currency} />
              {movers.data?.topMovers.length ? (
                <>
                  <h3>Top movers (last 7 days vs the 7 before)</h3>
                  <ul>{movers.data.topMovers.map((m) => <li key={`${m.dimension}-${m.key}`}>{m.dimension} <strong>{m.key}</strong>: +{formatMoney(m.delta, current.currency)} ({formatMoney(m.previous, current.currency)} → {formatMoney(m.current, current.currency)})</li>)}</ul>
                </>
              ) : null}
            </section>
          ) : null}
          <section className="panel" aria-labelledby="budgets-title">
            <h2 id="budgets-title">All budgets</h2>
            <DataTable rows={data.budgets} columns={columns} rowKey={(b) => b.id} caption="Budgets" csvName={`budgets-${org.slug}.csv`} initialSort={{ key: "name", desc: false }} />
            <p className="muted">As of {new Date(data.asOf).toUTCString()}. Spend is the effective cost of bill lines charged in the period (UTC), in the budget&apos;s currency.</p>
          </section>
        </>
      )}
    </>
  );
}
