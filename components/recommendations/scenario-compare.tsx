"use client";

// A saved scenario side by side with the current plan, per GPU type and provider: on-demand, spot,
// reserved and on-prem GPUs, monthly cost, savings and risk, both computed now on the same demand.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { TERM_LABELS } from "@/lib/recommendations/inputs";
import type { PlanRisk, ScenarioDetailResponse, SplitFigures } from "@/lib/recommendations/scenario-types";
import { apiGet } from "../api-fetch";
import { formatDate, formatMoney } from "../format";
import { useCurrentOrg } from "../org-context";

const gpus = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });

function Cells({ f, currency, side }: { f: SplitFigures | null; currency: string; side: "current" | "scenario" }) {
  if (!f)
    return (
      <td colSpan={6} className="muted" data-col={`${side}-none`}>
        no demand
      </td>
    );
  return (
    <>
      <td className="num" data-col={`${side}-onDemand`}>{gpus(f.onDemandGpus)}</td>
      <td className="num" data-col={`${side}-spot`}>{gpus(f.spotGpus)}</td>
      <td className="num" data-col={`${side}-reserved`} title={f.term ? TERM_LABELS[f.term] : undefined}>
        {gpus(f.reservedGpus)}
      </td>
      <td className="num" data-col={`${side}-onPrem`}>{gpus(f.onPremGpus)}</td>
      <td className="num" data-col={`${side}-cost`}>{formatMoney(f.monthlyCost, currency)}</td>
      <td className="num" data-col={`${side}-savings`}>{formatMoney(f.savings, currency)}</td>
    </>
  );
}

function RiskList({ risk, currency }: { risk: PlanRisk; currency: string }) {
  return (
    <>
      <p>
        Committed up front: <strong>{formatMoney(risk.upfront, currency)}</strong> ({risk.reservedGpus} reserved GPUs, {risk.onPremGpus} on-prem GPUs)
      </p>
      {risk.notes.length ? (
        <ul>
          {risk.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">No risk noted.</p>
      )}
    </>
  );
}

export function ScenarioCompare({ scenarioId }: { scenarioId: string }) {
  const org = useCurrentOrg();
  const query = useQuery({
    queryKey: ["recommendation-scenario", org.slug, scenarioId],
    queryFn: () => apiGet<ScenarioDetailResponse>(`/api/v1/recommendations/scenarios/${encodeURIComponent(scenarioId)}`, org.slug),
  });
  if (query.isPending) return <div className="skeleton" aria-busy="true" aria-label="Loading scenario" />;
  if (query.isError) return <p className="alert">Could not load the scenario: {query.error.message}</p>;
  const d = query.data;
  const s = d.scenario;
  const cur = d.org.currency;
  const metrics = ["On-demand", "Spot", "Reserved", "On-prem", "Cost / mo", "Saves / mo"];

  return (
    <>
      <h1>
        {s.name} <span className="muted">vs current plan</span>
      </h1>
      <p className="muted">
        Saved by {s.createdBy?.name ?? "unknown"} on {formatDate(s.createdAt)}. Both plans computed now on the last {s.lookbackDays} days of demand
        {d.window ? ` (${d.window.from.slice(0, 16).replace("T", " ")} → ${d.window.to.slice(0, 16).replace("T", " ")} UTC)` : ""}; GPU counts in GPUs (on-demand and spot: mean over the hours), amounts in {cur} per month.
      </p>
      <div className="row-actions" style={{ marginBottom: "1rem" }}>
        <Link className="btn btn-primary" href={`/${org.slug}/recommendations?scenario=${encodeURIComponent(s.id)}`}>
          Open in the what-if
        </Link>
        <Link className="btn" href={`/${org.slug}/recommendations/scenarios`}>
          All saved scenarios
        </Link>
      </div>

      <section className="cards" aria-label="Totals">
        <div className="card" role="region" aria-label="Current plan">
          <p className="label">Current plan, per month</p>
          <p className="value" data-testid="compare-current-total">{formatMoney(d.totals.current.monthlyCost, cur)}</p>
          <p className="sub">saves {formatMoney(d.totals.current.savings, cur)} vs the current mix</p>
        </div>
        <div className="card" role="region" aria-label="Scenario">
          <p className="label">Scenario, per month</p>
          <p className="value" data-testid="compare-scenario-total">{formatMoney(d.totals.scenario.monthlyCost, cur)}</p>
          <p className="sub">saves {formatMoney(d.totals.scenario.savings, cur)} vs the current mix</p>
        </div>
        <div className="card" role="region" aria-label="Difference">
          <p className="label">Scenario vs current plan, per month</p>
          <p className="value">{formatMoney(s.savingsVsCurrentPlanMonthly, cur)}</p>
          <p className="sub">positive: the scenario costs less</p>
        </div>
      </section>

      <section className="panel" aria-labelledby="diff-heading">
        <h2 id="diff-heading">Inputs that differ</h2>
        {s.differences.length ? (
          <table className="data" data-testid="scenario-differences">
            <caption className="visually-hidden">Inputs of the scenario that differ from the current inputs</caption>
            <thead>
              <tr>
                <th scope="col">Input</th>
                <th scope="col">Scenario</th>
                <th scope="col">Current</th>
              </tr>
            </thead>
            <tbody>
              {s.differences.map((x) => (
                <tr key={x.key}>
                  <td>{x.label}</td>
                  <td>{x.scenario}</td>
                  <td>{x.current}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">None: the scenario&apos;s inputs are the current ones.</p>
        )}
      </section>

      <section className="panel" aria-labelledby="compare-heading">
        <h2 id="compare-heading">Per GPU type and provider</h2>
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Current plan and scenario per GPU type (scrolls sideways)">
          <table className="data" data-testid="scenario-comparison" style={{ fontSize: "0.85rem" }}>
            <caption className="visually-hidden">Current plan and scenario per GPU type and provider</caption>
            <thead>
              <tr>
                <th scope="col" rowSpan={2}>
                  GPU type · provider
                </th>
                <th scope="colgroup" colSpan={6}>
                  Current plan
                </th>
                <th scope="colgroup" colSpan={6}>
                  Scenario
                </th>
              </tr>
              <tr>
                {[...metrics.map((m) => `current-${m}`), ...metrics.map((m) => `scenario-${m}`)].map((k) => (
                  <th key={k} scope="col" className="num">
                    {k.slice(k.indexOf("-") + 1)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {d.comparison.map((r) => (
                <tr key={r.key} data-row={r.key}>
                  <th scope="row">{r.key}</th>
                  <Cells f={r.current} currency={cur} side="current" />
                  <Cells f={r.scenario} currency={cur} side="scenario" />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="panel" aria-labelledby="risk-heading">
        <h2 id="risk-heading">Risk</h2>
        <div className="cards">
          <div className="card" role="region" aria-label="Current plan risk">
            <h3>Current plan</h3>
            <RiskList risk={d.totals.current.risk} currency={cur} />
          </div>
          <div className="card" role="region" aria-label="Scenario risk">
            <h3>Scenario</h3>
            <RiskList risk={d.totals.scenario.risk} currency={cur} />
          </div>
        </div>
      </section>
    </>
  );
}
