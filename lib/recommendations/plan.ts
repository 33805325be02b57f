// The capacity plan of an org: one split per GPU type from its demand and the inputs. Client-safe and
// pure: the worker, the API and the page's what-if all run this same function on the same numbers.
import { computeCapacitySplit, type CapacitySplit, type DemandSeries } from "./capacity-split";
import { defaultGpuTypeInputs, type RecommendationInputs } from "./inputs";

export type GpuTypeDemand = Omit<DemandSeries, "currentCost"> & {
  gpuModel: string;
  /** Where the capacity is bought (aws, gcp, azure, unassigned): commitments do not cross providers. */
  provider: string;
  /** "H100 · aws": one split per GPU type and provider. */
  key: string;
  /** Cost of the GPU-hours priced in the org's currency (effective cost), over the window. */
  pricedCost: number;
  /** GPU-hours with no rate in the org's currency: valued at the on-demand input in the current mix. */
  unpricedGpuHours: number;
  /** Mean effective rate per GPU-hour where priced (for default prices). */
  observedHourly: number | null;
};

export type PlannedSplit = CapacitySplit & { key: string; provider: string };

export type CapacityPlan = {
  splits: PlannedSplit[];
  totals: { currentMonthly: number; projectedMonthly: number; savingsMonthly: number };
};

export function planCapacity(demands: GpuTypeDemand[], inputs: RecommendationInputs): CapacityPlan {
  const splits = demands.map((d) => {
    const type = inputs.gpuTypes[d.gpuModel] ?? defaultGpuTypeInputs(d.gpuModel, d.observedHourly);
    const series: DemandSeries = { demand: d.demand, interruptible: d.interruptible, currentCost: d.pricedCost + d.unpricedGpuHours * type.onDemandHourly };
    return { key: d.key, provider: d.provider, ...computeCapacitySplit({ gpuModel: d.gpuModel, series, type, global: inputs.global }) };
  });
  const currentMonthly = splits.reduce((a, s) => a + s.monthly.current, 0);
  const projectedMonthly = splits.reduce((a, s) => a + s.monthly.projected, 0);
  return { splits, totals: { currentMonthly, projectedMonthly, savingsMonthly: currentMonthly - projectedMonthly } };
}

/** Money as a decimal string with cents (JSON carries money as strings). */
export function money(x: number): string {
  return (Math.round(x * 100) / 100).toFixed(2);
}

type MoneyKeys = "current" | "projected" | "allOnDemand" | "savings" | "onPrem" | "commitment" | "spot" | "onDemand";
export type TermOptionJson = Omit<CapacitySplit["terms"][number], "projectedMonthly" | "upfront" | "monthlyRecurring"> & { projectedMonthly: string; upfront: string; monthlyRecurring: string };
export type CapacitySplitJson = Omit<PlannedSplit, "monthly" | "commitment" | "terms" | "onPrem"> & {
  onPrem: Omit<CapacitySplit["onPrem"], "capex"> & { capex: string };
  commitment: TermOptionJson | null;
  terms: TermOptionJson[];
  monthly: Record<MoneyKeys, string> & { savingsFraction: number | null };
};
export type CapacityPlanJson = { splits: CapacitySplitJson[]; totals: { currentMonthly: string; projectedMonthly: string; savingsMonthly: string } };

function termToJson(t: CapacitySplit["terms"][number]): TermOptionJson {
  return { ...t, projectedMonthly: money(t.projectedMonthly), upfront: money(t.upfront), monthlyRecurring: money(t.monthlyRecurring) };
}

/** The plan as JSON (money as decimal strings with cents): what the API returns and the page shows. */
export function planToJson(plan: CapacityPlan): CapacityPlanJson {
  return {
    splits: plan.splits.map((s) => ({
      ...s,
      onPrem: { ...s.onPrem, capex: money(s.onPrem.capex) },
      commitment: s.commitment ? termToJson(s.commitment) : null,
      terms: s.terms.map(termToJson),
      monthly: {
        current: money(s.monthly.current),
        projected: money(s.monthly.projected),
        allOnDemand: money(s.monthly.allOnDemand),
        savings: money(s.monthly.savings),
        savingsFraction: s.monthly.savingsFraction,
        onPrem: money(s.monthly.onPrem),
        commitment: money(s.monthly.commitment),
        spot: money(s.monthly.spot),
        onDemand: money(s.monthly.onDemand),
      },
    })),
    totals: {
      currentMonthly: money(plan.totals.currentMonthly),
      projectedMonthly: money(plan.totals.projectedMonthly),
      savingsMonthly: money(plan.totals.savingsMonthly),
    },
  };
}
