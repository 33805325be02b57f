"use client";

// The saved what-if scenarios of the org: a sortable table (name, author and date, the inputs that
// differ from the current ones, projected cost and savings recomputed on the current demand, risk),
// each one to open in the what-if (a shareable URL), compare with the current plan, or delete (an
// admin, or its author).
import Link from "next/link";
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { ActionResult } from "@/lib/domain/action-result";
import type { ScenarioListResponse, ScenarioSummary } from "@/lib/recommendations/scenario-types";
import { apiGet } from "../api-fetch";
import { type Column, DataTable } from "../dashboard/data-table";
import { formatDate, formatMoney } from "../format";
import { useCurrentOrg } from "../org-context";
import { refetchAfterWrite } from "../refetch-after-write";
import { ConfirmButton } from "../settings/confirm-button";
import { confirmAction } from "../settings/row-actions";

export type DeleteScenarioAction = (orgSlug: string, input: unknown) => Promise<ActionResult<{ deleted: string }>>;

export function ScenariosList({ deleteScenario }: { deleteScenario: DeleteScenarioAction }) {
  const org = useCurrentOrg();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ kind: "notice" | "alert"; text: string } | null>(null);
  const query = useQuery({
    queryKey: ["recommendation-scenarios", org.slug],
    queryFn: () => apiGet<ScenarioListResponse>("/api/v1/recommendations/scenarios", org.slug),
  });
  if (query.isPending) return <div className="skeleton" aria-busy="true" aria-label="Loading scenarios" />;
  if (query.isError) return <p className="alert">Could not load scenarios: {query.error.message}</p>;
  const { scenarios, org: o } = query.data;
  const cur = o.currency;

  async function remove(s: ScenarioSummary) {
    const res = await deleteScenario(org.slug, { scenarioId: s.id });
    setMessage(res.ok ? { kind: "notice", text: `Scenario "${s.name}" deleted.` } : { kind: "alert", text: res.error.message });
    await refetchAfterWrite(queryClient, ["recommendation-scenarios", org.slug]);
  }

  const columns: Column<ScenarioSummary>[] = [
    {
      key: "name",
      label: "Scenario",
      value: (s) => s.name,
      render: (s) => (
        <>
          <Link href={`/${org.slug}/recommendations?scenario=${encodeURIComponent(s.id)}`} data-testid="open-scenario">
            {s.name}
          </Link>
          <span className="row-actions" style={{ marginTop: "0.3rem" }}>
            <Link className="btn btn-small" href={`/${org.slug}/recommendations/scenarios/${encodeURIComponent(s.id)}`} aria-label={`Compare ${s.name} with the current plan`}>
              Compare
            </Link>
            {s.canDelete && <ConfirmButton {...confirmAction("Delete", s.name, () => void remove(s))} />}
          </span>
        </>
      ),
    },
    {
      key: "saved",
      label: "Saved",
      value: (s) => s.createdAt,
      render: (s) => (
        <span style={{ whiteSpace: "nowrap" }}>
          {s.createdBy?.name ?? "unknown"}
          <br />
          <span className="muted">{formatDate(s.createdAt)}</span>
          <br />
          <span className="muted">{s.lookbackDays}-day lookback</span>
        </span>
      ),
    },
    {
      key: "differences",
      label: "Differs from current inputs",
      value: (s) => s.differences.map((d) => `${d.label}: ${d.scenario} (now ${d.current})`).join("; "),
      render: (s) =>
        s.differences.length ? (
          <ul style={{ margin: 0, paddingLeft: "1rem", minWidth: "16rem" }}>
            {s.differences.map((d) => (
              <li key={d.key}>
                {d.label}: <strong>{d.scenario}</strong> <span className="muted">(now {d.current})</span>
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">same as current</span>
        ),
    },
    { key: "projected", label: "Projected / mo", value: (s) => s.projectedMonthly, numeric: true, render: (s) => formatMoney(s.projectedMonthly, cur) },
    { key: "savings", label: "Saves vs current mix / mo", value: (s) => s.savingsMonthly, numeric: true, render: (s) => formatMoney(s.savingsMonthly, cur) },
    { key: "vsPlan", label: "Saves vs current plan / mo", value: (s) => s.savingsVsCurrentPlanMonthly, numeric: true, render: (s) => formatMoney(s.savingsVsCurrentPlanMonthly, cur) },
    {
      key: "risk",
      label: "Risk: up front",
      value: (s) => s.risk.upfront,
      numeric: true,
      render: (s) => (
        <span title={s.risk.notes.join("\n")}>
          {formatMoney(s.risk.upfront, cur)}
          <br />
          <span className="muted" style={{ fontSize: "0.8rem", whiteSpace: "nowrap" }}>
            {s.risk.reservedGpus} reserved · {s.risk.onPremGpus} on-prem · {s.risk.notes.length} note{s.risk.notes.length === 1 ? "" : "s"}
          </span>
        </span>
      ),
    },
  ];

  return (
    <>
      <p className="muted">
        What-ifs saved from the <Link href={`/${org.slug}/recommendations`}>recommendations page</Link>. Figures are recomputed on the current demand of each scenario&apos;s lookback, next to the plan the current inputs give; amounts in {cur} per month. Risk is the money a plan commits up front (commitments paid upfront and on-prem capex).
      </p>
      {message && (
        <p className={message.kind} role="status">
          {message.text}
        </p>
      )}
      {scenarios.length === 0 ? (
        <p className="empty">No saved scenarios yet: change inputs on the recommendations page and save the what-if as a scenario.</p>
      ) : (
        <DataTable caption="Saved scenarios" columns={columns} rows={scenarios} rowKey={(s) => s.id} csvName="scenarios.csv" initialSort={{ key: "saved", desc: true }} testId="scenarios" />
      )}
    </>
  );
}
