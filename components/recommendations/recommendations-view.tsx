"use client";

// The recommendations page: the capacity split per GPU type with savings and risk, the inputs panel
// (every change recomputes the split here, in the browser, with the same pure code the API and the
// worker run: lib/recommendations/plan.ts), and the recommendations to act on (accept / dismiss).
// With `scenarioId` (the URL's ?scenario=) a saved scenario is opened: the what-if starts from its
// inputs and lookback.
import Link from "next/link";
import { useMemo, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { ActionResult } from "@/lib/domain/action-result";
import { can } from "@/lib/domain/roles";
import type { RecommendationsResponse } from "@/lib/recommendations/api-types";
import type { ScenarioDetailResponse } from "@/lib/recommendations/scenario-types";
import { type RecommendationInputs, LOOKBACK_DAYS, recommendationInputsSchema } from "@/lib/recommendations/inputs";
import { planCapacity, planToJson } from "@/lib/recommendations/plan";
import { apiGet } from "../api-fetch";
import { formatDate, formatMoney, formatPercent } from "../format";
import { useCurrentOrg } from "../org-context";
import { ActionsTable } from "./actions-table";
import { InputsPanel } from "./inputs-panel";
import { SplitTable } from "./split-table";
import { refetchAfterWrite } from "../refetch-after-write";

export type RecAction<R = unknown> = (orgSlug: string, input: unknown) => Promise<ActionResult<R>>;
export type RecActions = {
  acceptRecommendation: RecAction;
  dismissRecommendation: RecAction;
  saveRecommendationInputs: RecAction;
  saveScenario: RecAction<{ id: string; name: string }>;
};

export type EditableInputs = Pick<RecommendationInputs, "global" | "gpuTypes">;

/** The API URL that computes the same plan for these inputs (the what-if as JSON). */
export function whatIfUrl(orgSlug: string, lookback: number, inputs: EditableInputs): string {
  const q = new URLSearchParams({ org: orgSlug, lookback: String(lookback), inputs: JSON.stringify(inputs) });
  return `/api/v1/recommendations?${q.toString()}`;
}

export function RecommendationsView({ actions, scenarioId = null }: { actions: RecActions; scenarioId?: string | null }) {
  const org = useCurrentOrg();
  const queryClient = useQueryClient();
  const [lookback, setLookback] = useState<number>(30);
  const [draft, setDraft] = useState<EditableInputs | null>(null);
  const scenarioQuery = useQuery({
    queryKey: ["recommendation-scenario", org.slug, scenarioId],
    queryFn: () => apiGet<ScenarioDetailResponse>(`/api/v1/recommendations/scenarios/${encodeURIComponent(scenarioId!)}`, org.slug),
    enabled: scenarioId !== null,
    retry: false,
  });
  const scenario = scenarioQuery.data?.scenario ?? null;
  // Opening a scenario: its lookback and inputs become the what-if, once (set while rendering, the
  // React way to derive state from a value that arrives later).
  const [applied, setApplied] = useState<string | null>(null);
  if (scenario && applied !== scenario.id) {
    setApplied(scenario.id);
    setLookback(scenario.lookbackDays);
    setDraft(scenario.inputs);
  }
  const query = useQuery({
    queryKey: ["recommendations", org.slug, lookback],
    queryFn: () => apiGet<RecommendationsResponse>(`/api/v1/recommendations?lookback=${lookback}&include=demand`, org.slug),
    enabled: scenarioId === null || applied !== null || scenarioQuery.isError,
  });
  const data = query.data;
  const stored: EditableInputs | null = data ? { global: data.inputs.global, gpuTypes: data.inputs.gpuTypes } : null;
  const inputs = draft ?? stored;
  const parsed = useMemo(() => (inputs && data ? recommendationInputsSchema.safeParse({ currency: data.inputs.currency, ...inputs }) : null), [inputs, data]);
  const plan = useMemo(() => {
    if (!data?.demand || !parsed?.success) return data?.plan ?? null;
    return planToJson(planCapacity(data.demand, parsed.data));
  }, [data, parsed]);
  const mayAct = can(org.role, "recommendations:act");

  if (scenarioId !== null && scenarioQuery.isPending) return <div className="skeleton" aria-busy="true" aria-label="Loading scenario" />;
  if (query.isPending) return <div className="skeleton" aria-busy="true" aria-label="Loading recommendations" />;
  if (query.isError) return <p className="alert">Could not load recommendations: {query.error.message}</p>;
  if (!data || !plan || !inputs) return null;
  const currency = data.org.currency;
  const edited = draft !== null;

  return (
    <>
      {scenarioId !== null && scenarioQuery.isError && (
        <p className="alert" role="alert">
          Could not open the scenario: {scenarioQuery.error.message}. Showing the current inputs.
        </p>
      )}
      {scenario && (
        <div className="notice" role="region" aria-label="Opened scenario" data-testid="scenario-banner">
          <p style={{ margin: 0 }}>
            Scenario <strong>{scenario.name}</strong>, saved by {scenario.createdBy?.name ?? "unknown"} on {formatDate(scenario.createdAt)}: the what-if below starts from its inputs ({scenario.lookbackDays}-day lookback). Nothing is saved unless you save it.
          </p>
          <div className="row-actions">
            <Link className="btn btn-small" href={`/${org.slug}/recommendations/scenarios/${encodeURIComponent(scenario.id)}`}>
              Compare with the current plan
            </Link>
            <Link className="btn btn-small" href={`/${org.slug}/recommendations`}>
              Back to the current inputs
            </Link>
          </div>
        </div>
      )}
      <div className="inline-form" style={{ marginBottom: "1rem" }}>
        <div className="field">
          <label htmlFor="lookback">Lookback</label>
          <select id="lookback" value={lookback} onChange={(e) => setLookback(Number(e.target.value))}>
            {LOOKBACK_DAYS.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </div>
        <p className="muted" style={{ margin: 0 }}>
          {data.window ? `Hourly GPU demand ${data.window.from.slice(0, 16).replace("T", " ")} → ${data.window.to.slice(0, 16).replace("T", " ")} UTC (${data.window.hours} h)` : "No GPU data in this lookback."}
        </p>
        <Link href={`/${org.slug}/recommendations/scenarios`} data-testid="scenarios-link">
          Saved scenarios
        </Link>
      </div>

      {data.window === null || plan.splits.length === 0 ? (
        <p className="empty">No GPU-hours in the last {lookback} days yet: connect telemetry or upload a bill, and recommendations appear once the hourly rollups have run.</p>
      ) : (
        <>
          <section className="cards" aria-label="Capacity plan totals">
            <div className="card" role="region" aria-label="Current mix">
              <p className="label">Current mix, per month</p>
              <p className="value" data-testid="total-current">{formatMoney(plan.totals.currentMonthly, currency)}</p>
            </div>
            <div className="card" role="region" aria-label="Recommended">
              <p className="label">Recommended split, per month{edited ? " (what-if)" : ""}</p>
              <p className="value" data-testid="total-projected">{formatMoney(plan.totals.projectedMonthly, currency)}</p>
            </div>
            <div className="card" role="region" aria-label="Savings">
              <p className="label">Savings, per month</p>
              <p className="value" data-testid="total-savings">{formatMoney(plan.totals.savingsMonthly, currency)}</p>
              <p className="sub">
                {Number(plan.totals.currentMonthly) > 0 ? `${formatPercent(Number(plan.totals.savingsMonthly) / Number(plan.totals.currentMonthly))} of the current mix` : "—"}
              </p>
            </div>
          </section>

          <section className="panel" aria-labelledby="split-heading">
            <h2 id="split-heading">Capacity split per GPU type</h2>
            <p className="muted">
              On-prem for the steady base it beats, commitments for the predictable middle, spot only for interruptible checkpointed work, on-demand for the rest. Amounts in {currency} per month; GPU counts in GPUs.
            </p>
            <SplitTable splits={plan.splits} currency={currency} />
          </section>
        </>
      )}

      <InputsPanel
        key={`${lookback}-${data.window?.to ?? ""}-${applied ?? ""}`}
        inputs={inputs}
        stored={stored!}
        defaults={data.defaults}
        currency={currency}
        gpuModels={[...new Set(plan.splits.map((s) => s.gpuModel))]}
        invalid={parsed && !parsed.success ? parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : null}
        onChange={setDraft}
        onReset={() => setDraft(null)}
        whatIfHref={whatIfUrl(org.slug, lookback, inputs)}
        mayAct={mayAct}
        onSave={async () => {
          const res = await actions.saveRecommendationInputs(org.slug, { inputs, lookbackDays: lookback });
          if (res.ok) {
            setDraft(null);
            await refetchAfterWrite(queryClient, ["recommendations", org.slug]);
          }
          return res;
        }}
        onSaveScenario={async (name) => {
          const res = await actions.saveScenario(org.slug, { name, inputs, lookbackDays: lookback });
          if (res.ok) await refetchAfterWrite(queryClient, ["recommendation-scenarios", org.slug]);
          return res;
        }}
      />

      <section className="panel" aria-labelledby="actions-heading">
        <h2 id="actions-heading">Recommendations to act on</h2>
        <p className="muted">Recomputed after new data arrives and daily. Savings are estimates per month in {currency}; realised savings appear for accepted ones once a day of later data exists.</p>
        <ActionsTable
          rows={data.recommendations}
          mayAct={mayAct}
          onAccept={async (id) => {
            const res = await actions.acceptRecommendation(org.slug, { recommendationId: id });
            await refetchAfterWrite(queryClient, ["recommendations", org.slug]);
            return res;
          }}
          onDismiss={async (id, reason) => {
            const res = await actions.dismissRecommendation(org.slug, { recommendationId: id, reason });
            await refetchAfterWrite(queryClient, ["recommendations", org.slug]);
            return res;
          }}
        />
      </section>
    </>
  );
}
