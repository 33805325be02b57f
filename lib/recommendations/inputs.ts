// The inputs of the capacity split, explicit and editable per org (client-safe: no server imports, so
// the page can recompute a what-if with the very same code the worker and the API run).
//
// Per GPU type: on-demand, spot and committed prices (commitment discounts per term), the spot
// interruption bucket, and the on-prem server (capex, GPUs, power, colocation/ops). Org-wide: on-prem
// life, PUE, $/kWh, checkpoint interval and restart time, which terms are allowed.
import { z } from "zod";

export const COMMITMENT_TERMS = ["1y_no_upfront", "1y_partial_upfront", "1y_all_upfront", "3y_no_upfront", "3y_partial_upfront", "3y_all_upfront"] as const;
export type CommitmentTerm = (typeof COMMITMENT_TERMS)[number];

export const TERM_LABELS: Record<CommitmentTerm, string> = {
  "1y_no_upfront": "1-year, no upfront",
  "1y_partial_upfront": "1-year, partial upfront",
  "1y_all_upfront": "1-year, all upfront",
  "3y_no_upfront": "3-year, no upfront",
  "3y_partial_upfront": "3-year, partial upfront",
  "3y_all_upfront": "3-year, all upfront",
};

/** Years of a term and the share of its total paid upfront (partial = half, the usual AWS split). */
export function termShape(term: CommitmentTerm): { years: number; upfrontFraction: number } {
  const years = term.startsWith("3y") ? 3 : 1;
  const upfrontFraction = term.endsWith("all_upfront") ? 1 : term.endsWith("partial_upfront") ? 0.5 : 0;
  return { years, upfrontFraction };
}

export const SPOT_BUCKETS = ["low", "medium", "high", "very-high"] as const;
export type SpotBucket = (typeof SPOT_BUCKETS)[number];

/**
 * Monthly interruption frequency F used for a bucket: the upper bound of the bucket (AWS Spot Advisor's
 * <5%, 5-10%, 10-15%/15-20%, >20%), so the rework estimate errs on the safe side; >20% is taken as 30%.
 */
export const SPOT_BUCKET_FREQUENCY: Record<SpotBucket, number> = { low: 0.05, medium: 0.1, high: 0.2, "very-high": 0.3 };

export const PRICE_SOURCES = ["public-list-price", "estimate", "observed", "user"] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

const money = z.number().finite().nonnegative();
const fraction = z.number().finite().min(0).max(0.95);

export const onPremServerSchema = z.object({
  capexPerServer: money,
  gpusPerServer: z.number().int().min(1).max(64),
  powerKwPerServer: money,
  /** Colocation and operations (space, network, staff share) per server-hour. */
  colocationPerServerHour: money,
});
export type OnPremServer = z.infer<typeof onPremServerSchema>;

export const gpuTypeInputsSchema = z.object({
  /** On-demand price per GPU-hour. */
  onDemandHourly: money,
  /** Spot price per GPU-hour; null = no spot market for this type. */
  spotHourly: money.nullable(),
  /** Discount d per term: committed rate = (1 − d) × on-demand. A term left out is not offered. */
  commitmentDiscounts: z.partialRecord(z.enum(COMMITMENT_TERMS), fraction),
  spotInterruptionBucket: z.enum(SPOT_BUCKETS),
  onPrem: onPremServerSchema,
  /** Where the prices come from: public list price, estimate, observed in the bills, or the user's. */
  source: z.enum(PRICE_SOURCES),
});
export type GpuTypeInputs = z.infer<typeof gpuTypeInputsSchema>;

export const globalInputsSchema = z.object({
  onPremEnabled: z.boolean(),
  onPremLifeYears: z.number().finite().min(0.5).max(15),
  pue: z.number().finite().min(1).max(3),
  pricePerKwh: money,
  /** Checkpoint interval τ of interruptible work, minutes. */
  checkpointIntervalMinutes: z.number().finite().min(1).max(24 * 60),
  /** Restart time r after an interruption (reschedule, load checkpoint), minutes. */
  restartMinutes: z.number().finite().min(0).max(24 * 60),
  /** Terms the org is willing to buy. */
  allowedTerms: z.array(z.enum(COMMITMENT_TERMS)),
});
export type GlobalInputs = z.infer<typeof globalInputsSchema>;

export const recommendationInputsSchema = z.object({
  currency: z.string().length(3),
  global: globalInputsSchema,
  gpuTypes: z.record(z.string().min(1).max(80), gpuTypeInputsSchema),
});
export type RecommendationInputs = z.infer<typeof recommendationInputsSchema>;

export const LOOKBACK_DAYS = [7, 30, 60] as const;
export type LookbackDays = (typeof LOOKBACK_DAYS)[number];
export const DEFAULT_LOOKBACK_DAYS: LookbackDays = 30;

export const DEFAULT_GLOBAL_INPUTS: GlobalInputs = {
  onPremEnabled: true,
  onPremLifeYears: 4,
  pue: 1.3,
  pricePerKwh: 0.1,
  checkpointIntervalMinutes: 30,
  restartMinutes: 10,
  allowedTerms: [...COMMITMENT_TERMS],
};

/**
 * Estimated commitment discounts (typical of AWS Savings Plans / GCP CUDs on GPU instances): not list
 * prices, so they are marked "estimate" and meant to be replaced with the org's own quotes.
 */
export const DEFAULT_COMMITMENT_DISCOUNTS: Record<CommitmentTerm, number> = {
  "1y_no_upfront": 0.28,
  "1y_partial_upfront": 0.31,
  "1y_all_upfront": 0.33,
  "3y_no_upfront": 0.5,
  "3y_partial_upfront": 0.55,
  "3y_all_upfront": 0.58,
};

/** Public on-demand list prices (DOMAIN.md), per GPU-hour = instance price / GPUs on it. */
export const PUBLIC_LIST_PRICES: Record<string, { instanceType: string; instanceHourly: number; gpus: number }> = {
  H100: { instanceType: "p5.48xlarge", instanceHourly: 55.04, gpus: 8 },
  "A100-40GB": { instanceType: "p4d.24xlarge", instanceHourly: 21.96, gpus: 8 },
  H200: { instanceType: "p5en.48xlarge", instanceHourly: 63.3, gpus: 8 },
};

/** An 8×H100 server is about $300-350k and 10.2 kW at full load (DOMAIN.md); others scale from it. */
const H100_SERVER = { capexPerServer: 325_000, gpusPerServer: 8, powerKwPerServer: 10.2, colocationPerServerHour: 3 };

/** Spot is taken as 40% of on-demand when no spot price is known (an estimate, editable). */
export const DEFAULT_SPOT_SHARE = 0.4;

function round(x: number, digits: number) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Default inputs for one GPU type: the public list price where DOMAIN.md gives one, else the price
 * observed in the org's bills (mean effective rate per GPU-hour), else a fallback of $2/GPU-hour.
 * The on-prem server is the DOMAIN.md H100 server scaled by price (same capex per on-demand dollar).
 */
export function defaultGpuTypeInputs(gpuModel: string, observedHourly?: number | null): GpuTypeInputs {
  const list = PUBLIC_LIST_PRICES[gpuModel];
  const onDemandHourly = list ? round(list.instanceHourly / list.gpus, 6) : round(observedHourly && observedHourly > 0 ? observedHourly : 2, 6);
  const source: PriceSource = list ? "public-list-price" : observedHourly && observedHourly > 0 ? "observed" : "estimate";
  const scale = onDemandHourly / (55.04 / 8);
  const onPrem: OnPremServer =
    gpuModel === "H100"
      ? { ...H100_SERVER }
      : {
          capexPerServer: round(H100_SERVER.capexPerServer * scale, 0),
          gpusPerServer: 8,
          powerKwPerServer: round(Math.max(2, H100_SERVER.powerKwPerServer * Math.min(1.2, Math.sqrt(scale))), 1),
          colocationPerServerHour: H100_SERVER.colocationPerServerHour,
        };
  return {
    onDemandHourly,
    spotHourly: round(onDemandHourly * DEFAULT_SPOT_SHARE, 6),
    commitmentDiscounts: { ...DEFAULT_COMMITMENT_DISCOUNTS },
    spotInterruptionBucket: "medium",
    onPrem,
    source,
  };
}
