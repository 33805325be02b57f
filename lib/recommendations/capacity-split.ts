// The spot / reserved / on-prem split of one GPU type (DOMAIN.md "Recommendation math"). Pure.
//
// Demand: GPUs in use per hour D_h over the lookback (H hours) and its interruptible part I_h ≤ D_h
// (training / batch work that is checkpointed and flagged interruptible; never latency-SLO serving).
//
// Capacity is stacked in integer levels from the bottom: o on-prem GPUs (whole servers), then c
// committed GPUs, and the burst above the base B = o + c is bought per hour: its interruptible part on
// spot (when spot, rework included, is cheaper than on-demand), the rest on demand. Total cost over the
// window:
//   T(o, c) = H·(o/g)·server rate + H·c·(1 − d)·p + Σ_h f(max(0, D_h − o − c), I_h)
//   f(b, i) = s_eff·min(b, i) + p·(b − min(b, i))
// where s_eff = spot × (1 + λ(τ/2 + r)) is spot with its rework (λ = −ln(1 − F)/730).
//
// Commitment level. Level j (the j-th GPU from the bottom) is worth its marginal variable cost
// m_j = V(j − 1) − V(j), V(B) = Σ_h f(max(0, D_h − B), I_h). Committing it costs H·(1 − d)·p. Commit every
// level with m_j > H·(1 − d)·p. Without spot, m_j = p·Σ_h clamp(D_h − j + 1, 0, 1): level j is committed
// when it is in use at least (1 − d) of the hours, which is the d-th quantile rule of DOMAIN.md; with
// spot the marginal value of a level is what its burst would cost on spot or on demand, hour by hour.
// V is convex in B (f is convex in b because s_eff ≤ p), so m_j is non-increasing and the rule gives
// the minimum.
//
// On-prem. A server of g GPUs costs (capex/(life × 8760) + kW × PUE × $/kWh + colocation/ops) per hour;
// per GPU that over g (DOMAIN.md); break-even utilization = that / on-demand rate. On-prem serves the
// steady base the same way: servers are added from the bottom while the next server lowers the total
// (after re-optimising the commitment above it); the total is convex in the server count, so the first
// server that does not pay stops the search.
import {
  COMMITMENT_TERMS,
  type CommitmentTerm,
  type GlobalInputs,
  type GpuTypeInputs,
  SPOT_BUCKET_FREQUENCY,
  termShape,
} from "./inputs";

export const HOURS_PER_MONTH = 730;
export const HOURS_PER_YEAR = 8760;

export type DemandSeries = {
  /** GPUs provisioned per hour (GPU-hours in that hour), one entry per hour of the window. */
  demand: number[];
  /** The part of demand[h] that is interruptible and checkpointed (spot-eligible), ≤ demand[h]. */
  interruptible: number[];
  /** What these GPU-hours cost as billed (current mix), over the window, in the inputs' currency. */
  currentCost: number;
};

export type SpotModel = {
  /** Monthly interruption frequency F. */
  monthlyInterruptionFrequency: number;
  /** Hourly hazard λ = −ln(1 − F) / 730. */
  hourlyHazard: number;
  /** Rework per GPU-hour run on spot: λ·(τ/2 + r). */
  reworkFraction: number;
  /** spot × (1 + rework): the cost of one useful GPU-hour on spot. */
  effectiveHourly: number | null;
  /** Used at all: spot priced, cheaper than on-demand once rework is counted. */
  usable: boolean;
};

export function spotModel(type: GpuTypeInputs, global: GlobalInputs): SpotModel {
  const F = SPOT_BUCKET_FREQUENCY[type.spotInterruptionBucket];
  const hourlyHazard = -Math.log(1 - F) / HOURS_PER_MONTH;
  const reworkFraction = hourlyHazard * (global.checkpointIntervalMinutes / 60 / 2 + global.restartMinutes / 60);
  const effectiveHourly = type.spotHourly === null ? null : type.spotHourly * (1 + reworkFraction);
  return {
    monthlyInterruptionFrequency: F,
    hourlyHazard,
    reworkFraction,
    effectiveHourly,
    usable: effectiveHourly !== null && effectiveHourly < type.onDemandHourly,
  };
}

/** On-prem cost per GPU-hour (DOMAIN.md) and the server's cost per hour. */
export function onPremHourly(type: GpuTypeInputs, global: GlobalInputs): { perGpu: number; perServer: number; capexPerHour: number } {
  const { capexPerServer, gpusPerServer, powerKwPerServer, colocationPerServerHour } = type.onPrem;
  const capexPerHour = capexPerServer / (global.onPremLifeYears * HOURS_PER_YEAR);
  const perServer = capexPerHour + powerKwPerServer * global.pue * global.pricePerKwh + colocationPerServerHour;
  return { perGpu: perServer / gpusPerServer, perServer, capexPerHour };
}

/** The variable (per-hour bought) cost of the burst above a base of `base` GPUs, over the window. */
export function variableCost(series: Pick<DemandSeries, "demand" | "interruptible">, base: number, onDemand: number, spot: number | null): number {
  const { demand, interruptible } = series;
  let total = 0;
  for (let h = 0; h < demand.length; h++) {
    const b = Math.max(0, demand[h]! - base);
    if (b === 0) continue;
    const onSpot = spot !== null && spot < onDemand ? Math.min(b, interruptible[h]!) : 0;
    total += onSpot * (spot ?? 0) + (b - onSpot) * onDemand;
  }
  return total;
}

export type TermOption = {
  term: CommitmentTerm;
  discount: number;
  /** Amortized committed rate per GPU-hour, (1 − d) × on-demand. */
  hourlyRate: number;
  onPremGpus: number;
  committedGpus: number;
  /** Projected cost of the whole split per month with this term. */
  projectedMonthly: number;
  /** Committed GPU-hours in use / committed GPU-hours. */
  utilization: number | null;
  /** Paid at purchase: upfront share × committed rate × GPUs × term hours. */
  upfront: number;
  monthlyRecurring: number;
  /** Months until the avoided on-demand/spot spend repays the upfront; 0 without upfront; null never. */
  breakEvenMonths: number | null;
};

export type CapacitySplit = {
  gpuModel: string;
  hours: number;
  demand: { mean: number; peak: number; p50: number; interruptibleMean: number };
  onPrem: {
    enabled: boolean;
    servers: number;
    gpus: number;
    hourlyPerGpu: number;
    /** On-prem hourly per GPU / on-demand rate: the utilization above which owning beats renting. */
    breakEvenUtilization: number;
    capex: number;
    /** Capex / (cloud spend avoided − on-prem opex) per month; null when it never pays back. */
    breakEvenMonths: number | null;
    /** On-prem GPU-hours in use / on-prem GPU-hours. */
    utilization: number | null;
  };
  commitment: TermOption | null;
  terms: TermOption[];
  spot: SpotModel & { meanGpus: number; peakGpus: number };
  onDemand: { meanGpus: number; peakGpus: number };
  monthly: {
    current: number;
    projected: number;
    allOnDemand: number;
    savings: number;
    savingsFraction: number | null;
    onPrem: number;
    commitment: number;
    spot: number;
    onDemand: number;
  };
  risk: string[];
};

/** V(B) for every integer base 0..L (L = ceil(peak)), by one pass per hour over the levels it reaches. */
function variableCurve(series: DemandSeries, onDemand: number, spot: number | null): number[] {
  const peak = Math.max(0, ...series.demand);
  const L = Math.ceil(peak - 1e-9);
  const curve = new Array<number>(L + 1).fill(0);
  for (let B = 0; B <= L; B++) curve[B] = variableCost(series, B, onDemand, spot);
  return curve;
}

/** The commitment level above a base `o`: every level j > o with marginal value > H × committed rate. */
function commitAbove(curve: number[], o: number, hours: number, rate: number): number {
  let c = 0;
  const fixed = hours * rate;
  for (let j = o + 1; j < curve.length; j++) {
    const marginal = curve[j - 1]! - curve[j]!;
    if (marginal > fixed + 1e-9) c++;
    else break; // non-increasing marginals (V convex): nothing above pays either
  }
  return c;
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const curveAt = (curve: number[], B: number) => (B < curve.length ? curve[B]! : 0);

export function computeCapacitySplit({
  gpuModel,
  series,
  type,
  global,
}: {
  gpuModel: string;
  series: DemandSeries;
  type: GpuTypeInputs;
  global: GlobalInputs;
}): CapacitySplit {
  const H = series.demand.length;
  const p = type.onDemandHourly;
  const spot = spotModel(type, global);
  const spotRate = spot.usable ? spot.effectiveHourly : null;
  const curve = variableCurve(series, p, spotRate);
  const prem = onPremHourly(type, global);
  const g = type.onPrem.gpusPerServer;
  const sorted = [...series.demand].sort((a, b) => a - b);
  const sum = series.demand.reduce((a, b) => a + b, 0);
  const peak = sorted.length ? sorted[sorted.length - 1]! : 0;
  const perMonth = H > 0 ? HOURS_PER_MONTH / H : 0;

  const terms = COMMITMENT_TERMS.filter((t) => global.allowedTerms.includes(t) && type.commitmentDiscounts[t] !== undefined);

  // Cost of a base: o on-prem GPUs (o a multiple of g) and the best commitment of `term` above it.
  const evaluate = (o: number, term: CommitmentTerm | null) => {
    const rate = term ? (1 - type.commitmentDiscounts[term]!) * p : 0;
    const c = term ? commitAbove(curve, o, H, rate) : 0;
    const total = H * (o / g) * prem.perServer + H * c * rate + curveAt(curve, o + c);
    return { o, c, rate, total };
  };

  // For each term (and "no commitment"), add on-prem servers while the next one lowers the total.
  const candidates = [null, ...terms].map((term) => {
    let best = evaluate(0, term);
    if (global.onPremEnabled && H > 0) {
      for (let n = 1; n * g <= Math.ceil(peak - 1e-9) + g; n++) {
        const next = evaluate(n * g, term);
        if (next.total < best.total - 1e-9) best = next;
        else break;
      }
    }
    return { term, ...best };
  });

  const inUse = (lo: number, width: number) => {
    if (width <= 0 || H === 0) return null;
    let used = 0;
    for (const d of series.demand) used += Math.min(width, Math.max(0, d - lo));
    return used / (width * H);
  };

  const termOption = (cand: (typeof candidates)[number]): TermOption | null => {
    if (!cand.term) return null;
    const { years, upfrontFraction } = termShape(cand.term);
    const upfront = upfrontFraction * cand.rate * cand.c * HOURS_PER_YEAR * years;
    const monthlyRecurring = (1 - upfrontFraction) * cand.rate * cand.c * HOURS_PER_MONTH;
    const avoidedMonthly = (curveAt(curve, cand.o) - curveAt(curve, cand.o + cand.c)) * perMonth;
    const net = avoidedMonthly - monthlyRecurring;
    return {
      term: cand.term,
      discount: type.commitmentDiscounts[cand.term]!,
      hourlyRate: cand.rate,
      onPremGpus: cand.o,
      committedGpus: cand.c,
      projectedMonthly: cand.total * perMonth,
      utilization: inUse(cand.o, cand.c),
      upfront,
      monthlyRecurring,
      breakEvenMonths: cand.c === 0 ? null : upfront === 0 ? (net > 0 ? 0 : null) : net > 0 ? upfront / net : null,
    };
  };

  const termOptions = candidates.map(termOption).filter((t): t is TermOption => t !== null);
  const chosen = candidates.reduce((a, b) => (b.total < a.total - 1e-9 ? b : a));
  const base = chosen.o + chosen.c;

  // Spot and on-demand GPUs of the burst above the chosen base.
  let spotHours = 0;
  let spotPeak = 0;
  let odHours = 0;
  let odPeak = 0;
  for (let h = 0; h < H; h++) {
    const b = Math.max(0, series.demand[h]! - base);
    const s = spotRate !== null ? Math.min(b, series.interruptible[h]!) : 0;
    spotHours += s;
    odHours += b - s;
    spotPeak = Math.max(spotPeak, s);
    odPeak = Math.max(odPeak, b - s);
  }

  const monthlyOnPrem = H * (chosen.o / g) * prem.perServer * perMonth;
  const monthlyCommit = H * chosen.c * chosen.rate * perMonth;
  const monthlySpot = spotHours * (spotRate ?? 0) * perMonth;
  const monthlyOd = odHours * p * perMonth;
  const projected = chosen.total * perMonth;
  const current = series.currentCost * perMonth;

  // On-prem payback: capex over the cloud spend the servers avoid (the best cloud-only plan of this
  // term minus the cloud part of the chosen plan) less their power and colocation.
  const cloudOnly = evaluate(0, chosen.term);
  const cloudPartMonthly = (H * chosen.c * chosen.rate + curveAt(curve, base)) * perMonth;
  const opexMonthly = (chosen.o / g) * (prem.perServer - prem.capexPerHour) * HOURS_PER_MONTH;
  const capex = (chosen.o / g) * type.onPrem.capexPerServer;
  const premNet = cloudOnly.total * perMonth - cloudPartMonthly - opexMonthly;

  const risk: string[] = [];
  if (chosen.c > 0) {
    const { years } = termShape(chosen.term!);
    risk.push(`Commits ${chosen.c} GPU(s) for ${years} year(s): demand must stay at or above this level; the lookback shows it in use ${Math.round((inUse(chosen.o, chosen.c) ?? 0) * 100)}% of committed hours.`);
  }
  if (chosen.o > 0) risk.push(`Buys ${chosen.o / g} server(s) (${chosen.o} GPUs) amortized over ${global.onPremLifeYears} years: pays only while utilization stays above ${Math.round((prem.perGpu / p) * 100)}%.`);
  if (spotHours > 0) {
    risk.push(
      `Spot only for interruptible, checkpointed work (never latency-SLO serving): ${Math.round(spot.monthlyInterruptionFrequency * 100)}% monthly interruptions ` +
        `(${type.spotInterruptionBucket}) with a ${global.checkpointIntervalMinutes}-min checkpoint and ${global.restartMinutes}-min restart add ${(spot.reworkFraction * 100).toFixed(2)}% rework.`,
    );
  } else if (series.interruptible.some((x) => x > 0) && !spot.usable) {
    risk.push("Interruptible work exists, but spot (with rework) is not cheaper than on-demand at these prices.");
  }
  if (H < 24 * 7) risk.push(`Only ${H} hours of data: a short lookback makes commitments riskier.`);

  return {
    gpuModel,
    hours: H,
    demand: { mean: H ? sum / H : 0, peak, p50: quantile(sorted, 0.5), interruptibleMean: H ? series.interruptible.reduce((a, b) => a + b, 0) / H : 0 },
    onPrem: {
      enabled: global.onPremEnabled,
      servers: chosen.o / g,
      gpus: chosen.o,
      hourlyPerGpu: prem.perGpu,
      breakEvenUtilization: p > 0 ? prem.perGpu / p : 0,
      capex,
      breakEvenMonths: chosen.o === 0 ? null : premNet > 0 ? capex / premNet : null,
      utilization: inUse(0, chosen.o),
    },
    commitment: termOptions.find((t) => t.term === chosen.term) ?? null,
    terms: termOptions,
    spot: { ...spot, meanGpus: H ? spotHours / H : 0, peakGpus: spotPeak },
    onDemand: { meanGpus: H ? odHours / H : 0, peakGpus: odPeak },
    monthly: {
      current,
      projected,
      allOnDemand: sum * p * perMonth,
      savings: current - projected,
      savingsFraction: current > 0 ? (current - projected) / current : null,
      onPrem: monthlyOnPrem,
      commitment: monthlyCommit,
      spot: monthlySpot,
      onDemand: monthlyOd,
    },
    risk,
  };
}
