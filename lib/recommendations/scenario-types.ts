// The JSON of the saved-scenario API (client-safe): GET /api/v1/recommendations/scenarios (list),
// GET /api/v1/recommendations/scenarios/:id (one, compared with the current plan), shared by the
// routes, the CLI and the pages.
import { type CommitmentTerm, COMMITMENT_TERMS, type GlobalInputs, type GpuTypeInputs, type RecommendationInputs, TERM_LABELS } from "./inputs";

/** One input whose value in the scenario differs from the current assumptions. */
export type InputDifference = {
  /** "global.pue", "gpuTypes.H100.onDemandHourly", "lookbackDays"... */
  key: string;
  /** "PUE", "H100 on-demand price"... */
  label: string;
  scenario: string;
  current: string;
};

/** A capacity split's figures for the comparison (GPU counts in GPUs, money as decimal strings). */
export type SplitFigures = {
  onDemandGpus: number;
  spotGpus: number;
  reservedGpus: number;
  term: CommitmentTerm | null;
  onPremGpus: number;
  monthlyCost: string;
  savings: string;
  risk: string[];
};

/** Money a plan commits to up front, the scenario's measure of risk, with the split's risk notes. */
export type PlanRisk = { upfront: string; reservedGpus: number; onPremGpus: number; notes: string[] };

export type ScenarioSummary = {
  id: string;
  name: string;
  createdAt: string;
  createdBy: { id: string; name: string } | null;
  lookbackDays: number;
  /** Inputs that differ from the org's current ones (saved or defaults). */
  differences: InputDifference[];
  /** Figures recomputed now on the current demand, so that they compare with the current plan. */
  currentMixMonthly: string;
  projectedMonthly: string;
  /** Current mix − scenario, per month. */
  savingsMonthly: string;
  /** The current plan (current inputs, same lookback), per month. */
  currentPlanMonthly: string;
  /** Current plan − scenario, per month (positive: the scenario is cheaper). */
  savingsVsCurrentPlanMonthly: string;
  risk: PlanRisk;
  /** The totals computed when the scenario was saved (data may have moved since). */
  saved: { projectedMonthly: string | null; savingsMonthly: string | null; windowTo: string | null };
  /** Whether the caller may delete it (an admin, or its author). */
  canDelete: boolean;
};

export type ScenarioListResponse = { org: { slug: string; currency: string }; scenarios: ScenarioSummary[] };

export type ScenarioComparisonRow = { key: string; gpuModel: string; provider: string; current: SplitFigures | null; scenario: SplitFigures | null };

export type ScenarioDetailResponse = {
  org: { slug: string; currency: string };
  window: { from: string; to: string; hours: number } | null;
  scenario: ScenarioSummary & { inputs: Pick<RecommendationInputs, "global" | "gpuTypes"> };
  currentInputs: Pick<RecommendationInputs, "global" | "gpuTypes">;
  comparison: ScenarioComparisonRow[];
  totals: { current: { monthlyCost: string; savings: string; risk: PlanRisk }; scenario: { monthlyCost: string; savings: string; risk: PlanRisk } };
};

const GLOBAL_LABELS: Record<keyof GlobalInputs, string> = {
  onPremEnabled: "Consider on-prem",
  onPremLifeYears: "On-prem life (years)",
  pue: "PUE",
  pricePerKwh: "Electricity (per kWh)",
  checkpointIntervalMinutes: "Checkpoint interval (min)",
  restartMinutes: "Restart time (min)",
  allowedTerms: "Commitment terms allowed",
};

const num = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 6 });
const pct = (x: number | undefined) => (x === undefined ? "not offered" : `${(Math.round(x * 10000) / 100).toLocaleString("en-US")}%`);

function globalValue(k: keyof GlobalInputs, g: GlobalInputs): string {
  const v = g[k];
  if (k === "allowedTerms") return (v as CommitmentTerm[]).length ? COMMITMENT_TERMS.filter((t) => (v as CommitmentTerm[]).includes(t)).map((t) => TERM_LABELS[t]).join(", ") : "none";
  if (typeof v === "boolean") return v ? "yes" : "no";
  return num(v as number);
}

/**
 * The inputs of a scenario that differ from the current ones, in a stable order: the lookback, the
 * org-wide inputs, then per GPU type its prices, discounts, spot bucket and on-prem server. The price
 * source (public list price, user...) is not an input and is not compared.
 */
export function inputDifferences(
  scenario: Pick<RecommendationInputs, "global" | "gpuTypes"> & { lookbackDays: number },
  current: Pick<RecommendationInputs, "global" | "gpuTypes"> & { lookbackDays: number },
): InputDifference[] {
  const out: InputDifference[] = [];
  if (scenario.lookbackDays !== current.lookbackDays) out.push({ key: "lookbackDays", label: "Lookback (days)", scenario: String(scenario.lookbackDays), current: String(current.lookbackDays) });
  for (const k of Object.keys(GLOBAL_LABELS) as Array<keyof GlobalInputs>) {
    const [a, b] = [globalValue(k, scenario.global), globalValue(k, current.global)];
    if (a !== b) out.push({ key: `global.${k}`, label: GLOBAL_LABELS[k], scenario: a, current: b });
  }
  const models = [...new Set([...Object.keys(scenario.gpuTypes), ...Object.keys(current.gpuTypes)])].sort();
  for (const m of models) {
    const s = scenario.gpuTypes[m];
    const c = current.gpuTypes[m];
    if (!s || !c) continue;
    const fields: Array<[string, string, (t: GpuTypeInputs) => string]> = [
      ["onDemandHourly", "on-demand price (per GPU-h)", (t) => num(t.onDemandHourly)],
      ["spotHourly", "spot price (per GPU-h)", (t) => (t.spotHourly === null ? "none" : num(t.spotHourly))],
      ...COMMITMENT_TERMS.map((term): [string, string, (t: GpuTypeInputs) => string] => [`commitmentDiscounts.${term}`, `${TERM_LABELS[term]} discount`, (t) => pct(t.commitmentDiscounts[term])]),
      ["spotInterruptionBucket", "spot interruption frequency", (t) => t.spotInterruptionBucket],
      ["onPrem.capexPerServer", "on-prem capex per server", (t) => num(t.onPrem.capexPerServer)],
      ["onPrem.gpusPerServer", "GPUs per server", (t) => num(t.onPrem.gpusPerServer)],
      ["onPrem.powerKwPerServer", "power per server (kW)", (t) => num(t.onPrem.powerKwPerServer)],
      ["onPrem.colocationPerServerHour", "colocation and ops per server-hour", (t) => num(t.onPrem.colocationPerServerHour)],
    ];
    for (const [key, label, f] of fields) {
      const [a, b] = [f(s), f(c)];
      if (a !== b) out.push({ key: `gpuTypes.${m}.${key}`, label: `${m} ${label}`, scenario: a, current: b });
    }
  }
  return out;
}
