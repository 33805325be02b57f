// The capacity plan of an org: one split per GPU type from its demand and the inputs. Client-safe and
// pure: the worker, the API and the page's what-if all run this same function on the same numbers.
import { computeCapacitySplit, type CapacitySplit, type DemandSeries } from "./capacity-split";
import { defaultGpuTypeInputs, type RecommendationInputs } from "./inputs";

export type GpuTypeDemand = Omit<DemandSeries, "currentCost"> & {
  gpuModel: string;
  /** Cost of the GPU-hours priced in the org's currency (effective cost), over the window. */
  pricedCost: number;
  /** GPU-hours with no rate in the org's currency: valued at the on-demand input in the current mix. */
  unpricedGpuHours: number;
  /** Mean effective rate per GPU-hour where priced (for default prices). */
  observedHourly: number | null;
};

export type CapacityPlan = {
  splits: CapacitySplit[];
  totals: { currentMonthly: number; projectedMonthly: number; savingsMonthly: number };
};

export function planCapacity(demands: GpuTypeDemand[], inputs: RecommendationInputs): CapacityPlan {
  const splits = demands.map((d) => {
    const type = inputs.gpuTypes[d.gpuModel] ?? defaultGpuTypeInputs(d.gpuModel, d.observedHourly);
    const series: DemandSeries = { demand: d.demand, interruptible: d.interruptible, currentCost: d.pricedCost + d.unpricedGpuHours * type.onDemandHourly };
    return computeCapacitySplit({ gpuModel: d.gpuModel, series, type, global: inputs.global });
  });
  const currentMonthly = splits.reduce((a, s) => a + s.monthly.current, 0);
  const projectedMonthly = splits.reduce((a, s) => a + s.monthly.projected, 0);
  return { splits, totals: { currentMonthly, projectedMonthly, savingsMonthly: currentMonthly - projectedMonthly } };
}

/** Money as a decimal string with cents (JSON carries money as strings). */
export function money(x: number): string {
  return (Math.round(x * 100) / 100).toFixed(2);
}
