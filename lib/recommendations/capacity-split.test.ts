import { describe, expect, it } from "vitest";
import { createRng, type Rng } from "@/prisma/seed/random";
import { computeCapacitySplit, type DemandSeries, onPremHourly, spotModel } from "./capacity-split";
import {
  COMMITMENT_TERMS,
  type CommitmentTerm,
  DEFAULT_GLOBAL_INPUTS,
  defaultGpuTypeInputs,
  type GlobalInputs,
  type GpuTypeInputs,
  SPOT_BUCKETS,
} from "./inputs";

type Shape = "steady" | "diurnal" | "bursty" | "trending";

function generate(rng: Rng, shape: Shape, hours: number): DemandSeries {
  const base = rng.between(4, 24);
  const demand: number[] = [];
  for (let h = 0; h < hours; h++) {
    let d: number;
    switch (shape) {
      case "steady":
        d = base + rng.normal(0, base * 0.05);
        break;
      case "diurnal":
        d = base * (1 + 0.6 * Math.sin((2 * Math.PI * (h % 24)) / 24)) + rng.normal(0, 1);
        break;
      case "bursty":
        d = base * 0.4 + (rng.chance(0.15) ? rng.between(base, base * 3) : 0) + rng.normal(0, 0.5);
        break;
      case "trending":
        d = base * (0.3 + (1.4 * h) / hours) + rng.normal(0, 1.5);
        break;
    }
    // Whole GPUs most hours, fractional ones (MIG slices, partial hours) sometimes.
    d = Math.max(0, d);
    demand.push(rng.chance(0.8) ? Math.round(d) : d);
  }
  const share = rng.pick([0, 0.2, 0.5, 0.9]);
  const interruptible = demand.map((d) => d * share * rng.between(0.5, 1));
  return { demand, interruptible, currentCost: demand.reduce((a, b) => a + b, 0) * 5 };
}

function randomPrices(rng: Rng): { type: GpuTypeInputs; global: GlobalInputs } {
  const type = defaultGpuTypeInputs(rng.pick(["H100", "A100-40GB", "L4", "H200"]), rng.between(0.5, 8));
  type.onDemandHourly = rng.between(0.8, 9);
  type.spotHourly = rng.chance(0.2) ? null : type.onDemandHourly * rng.between(0.25, 1.1);
  type.spotInterruptionBucket = rng.pick(SPOT_BUCKETS);
  for (const t of COMMITMENT_TERMS) type.commitmentDiscounts[t] = rng.between(0.05, 0.7);
  type.onPrem = {
    capexPerServer: rng.between(40_000, 500_000),
    gpusPerServer: rng.pick([1, 2, 4, 8]),
    powerKwPerServer: rng.between(1, 12),
    colocationPerServerHour: rng.between(0, 5),
  };
  const global: GlobalInputs = {
    ...DEFAULT_GLOBAL_INPUTS,
    onPremEnabled: rng.chance(0.7),
    onPremLifeYears: rng.between(3, 6),
    pricePerKwh: rng.between(0.05, 0.3),
    checkpointIntervalMinutes: rng.between(5, 240),
    restartMinutes: rng.between(1, 30),
    allowedTerms: COMMITMENT_TERMS.filter(() => rng.chance(0.7)),
  };
  return { type, global };
}

/** The total cost of a plan straight from the DOMAIN.md definition: every hour, every GPU. */
function directCost(series: DemandSeries, type: GpuTypeInputs, global: GlobalInputs, o: number, term: CommitmentTerm | null, c: number): number {
  const prem = onPremHourly(type, global);
  const spot = spotModel(type, global);
  const committedRate = term ? (1 - type.commitmentDiscounts[term]!) * type.onDemandHourly : 0;
  let total = 0;
  for (let h = 0; h < series.demand.length; h++) {
    total += Math.ceil(o / type.onPrem.gpusPerServer) * prem.perServer + c * committedRate;
    const burst = Math.max(0, series.demand[h]! - o - c);
    const onSpot = spot.usable ? Math.min(burst, series.interruptible[h]!) : 0;
    total += onSpot * (spot.effectiveHourly ?? 0) + (burst - onSpot) * type.onDemandHourly;
  }
  return total;
}

const SHAPES: Shape[] = ["steady", "diurnal", "bursty", "trending"];

describe("capacity split optimality (brute force over every integer level)", () => {
  const cases: Array<{ name: string; series: DemandSeries; type: GpuTypeInputs; global: GlobalInputs }> = [];
  const rng = createRng(20261129);
  for (let i = 0; i < 48; i++) {
    const shape = SHAPES[i % SHAPES.length]!;
    const hours = rng.pick([7 * 24, 30 * 24]);
    cases.push({ name: `${shape} #${i} (${hours} h)`, series: generate(rng, shape, hours), ...randomPrices(rng) });
  }

  it.each(cases)("$name: commitment level within 0.5% of the best integer level", ({ series, type, global }) => {
    const split = computeCapacitySplit({ gpuModel: "X", series, type, global });
    const H = series.demand.length;
    const peak = Math.ceil(Math.max(...series.demand));
    const recommendedTotal = (split.monthly.projected * H) / 730;
    // The chosen plan's total is what the definition says it is.
    const term = split.commitment?.term ?? null;
    const c = split.commitment?.committedGpus ?? 0;
    expect(directCost(series, type, global, split.onPrem.gpus, term, c)).toBeCloseTo(recommendedTotal, 4);
    // Every term the org allows, every integer commitment level above the recommended on-prem base.
    const allowed = COMMITMENT_TERMS.filter((t) => global.allowedTerms.includes(t));
    let best = directCost(series, type, global, split.onPrem.gpus, null, 0);
    for (const t of allowed) for (let k = 0; k <= peak; k++) best = Math.min(best, directCost(series, type, global, split.onPrem.gpus, t, k));
    expect(recommendedTotal).toBeLessThanOrEqual(best * 1.005 + 1e-6);
    // Each term's own level is optimal for that term too.
    for (const opt of split.terms) {
      let bestForTerm = Infinity;
      for (let k = 0; k <= peak; k++) bestForTerm = Math.min(bestForTerm, directCost(series, type, global, opt.onPremGpus, opt.term, k));
      expect(directCost(series, type, global, opt.onPremGpus, opt.term, opt.committedGpus)).toBeLessThanOrEqual(bestForTerm * 1.005 + 1e-6);
    }
  });

  it.each(cases)("$name: on-prem count within 0.5% of the best integer count", ({ series, type, global }) => {
    const split = computeCapacitySplit({ gpuModel: "X", series, type, global });
    const H = series.demand.length;
    const peak = Math.ceil(Math.max(...series.demand));
    const recommendedTotal = (split.monthly.projected * H) / 730;
    const term = split.commitment?.term ?? null;
    // Every integer on-prem GPU count (a partly used server still costs a whole server), each with its
    // best commitment level of the recommended term.
    let best = Infinity;
    const maxOnPrem = global.onPremEnabled ? peak + type.onPrem.gpusPerServer : 0;
    for (let o = 0; o <= maxOnPrem; o++) {
      for (let k = 0; k <= (term ? peak : 0); k++) best = Math.min(best, directCost(series, type, global, o, term, k));
    }
    expect(recommendedTotal).toBeLessThanOrEqual(best * 1.005 + 1e-6);
    if (!global.onPremEnabled) expect(split.onPrem.gpus).toBe(0);
  });
});

describe("capacity split rules", () => {
  const global: GlobalInputs = { ...DEFAULT_GLOBAL_INPUTS, onPremEnabled: false, allowedTerms: ["1y_no_upfront"] };
  const type: GpuTypeInputs = { ...defaultGpuTypeInputs("H100"), spotHourly: null, commitmentDiscounts: { "1y_no_upfront": 0.3 } };

  it("commits the level in use at least (1 − d) of the hours: the d-th quantile", () => {
    // 100 hours: 10 GPUs every hour, 12 for 75 hours, 14 for 65 hours, 20 for 10 hours.
    const demand = Array.from({ length: 100 }, (_, h) => (h < 10 ? 20 : h < 65 ? 14 : h < 75 ? 12 : 10));
    const split = computeCapacitySplit({ gpuModel: "H100", series: { demand, interruptible: demand.map(() => 0), currentCost: 0 }, type, global });
    // Levels 11-12 are used 75% ≥ 70% of hours, levels 13-14 only 65%: commit 12.
    expect(split.commitment?.committedGpus).toBe(12);
    expect(split.commitment?.utilization).toBeCloseTo((10 * 25 + 12 * 75) / 1200, 10);
  });

  it("puts interruptible burst on spot and never the rest", () => {
    const demand = Array.from({ length: 200 }, (_, h) => (h % 2 ? 8 : 2));
    const interruptible = demand.map((d) => (d === 8 ? 4 : 0));
    const t = { ...type, spotHourly: 2, commitmentDiscounts: {} };
    const split = computeCapacitySplit({ gpuModel: "H100", series: { demand, interruptible, currentCost: 0 }, type: t, global: { ...global, allowedTerms: [] } });
    expect(split.spot.peakGpus).toBe(4);
    expect(split.spot.meanGpus).toBeCloseTo(2, 10);
    expect(split.onDemand.meanGpus).toBeCloseTo(3, 10);
  });

  it("computes the spot hazard and rework of DOMAIN.md", () => {
    const s = spotModel({ ...type, spotHourly: 2, spotInterruptionBucket: "medium" }, { ...global, checkpointIntervalMinutes: 60, restartMinutes: 30 });
    const lambda = -Math.log(0.9) / 730;
    expect(s.hourlyHazard).toBeCloseTo(lambda, 12);
    expect(s.reworkFraction).toBeCloseTo(lambda * (0.5 + 0.5), 12);
    expect(s.effectiveHourly).toBeCloseTo(2 * (1 + lambda), 12);
  });
});
