// The worked example of docs/recommendations.md: every figure of its table is checked against the code.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { computeCapacitySplit } from "./capacity-split";
import { DEFAULT_GLOBAL_INPUTS, defaultGpuTypeInputs, type GlobalInputs, type GpuTypeInputs } from "./inputs";

const doc = readFileSync(path.join(import.meta.dirname, "../../docs/recommendations.md"), "utf8");
const table = doc.split("<!-- worked-example:start -->")[1]!.split("<!-- worked-example:end -->")[0]!;
const figures = new Map(
  table
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| figure") && !l.startsWith("| ---"))
    .map((l) => l.split("|").map((c) => c.trim()))
    .map((cells) => [cells[1]!, cells[2]!]),
);

const demand = Array.from({ length: 100 }, (_, h) => (h < 10 ? 16 : h < 60 ? 12 : 8));
const interruptible = demand.map((_, h) => (h < 10 ? 4 : 0));
const type: GpuTypeInputs = {
  ...defaultGpuTypeInputs("H100"),
  spotHourly: 2.75,
  spotInterruptionBucket: "medium",
  commitmentDiscounts: { "1y_no_upfront": 0.28, "3y_all_upfront": 0.58 },
};
const global: GlobalInputs = { ...DEFAULT_GLOBAL_INPUTS, checkpointIntervalMinutes: 30, restartMinutes: 10, allowedTerms: ["1y_no_upfront", "3y_all_upfront"] };
const s = computeCapacitySplit({ gpuModel: "H100", series: { demand, interruptible, currentCost: 1080 * 6.88 }, type, global });

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const expected: Record<string, string> = {
  "on-prem GPUs": String(s.onPrem.gpus),
  "on-prem servers": String(s.onPrem.servers),
  "committed GPUs": String(s.commitment?.committedGpus),
  "commitment term": String(s.commitment?.term),
  "commitment utilization": pct(s.commitment!.utilization!),
  "spot GPUs, mean": s.spot.meanGpus.toFixed(2),
  "on-demand GPUs, mean": s.onDemand.meanGpus.toFixed(2),
  "on-prem cost per GPU-hour": s.onPrem.hourlyPerGpu.toFixed(4),
  "on-prem break-even utilization": pct(s.onPrem.breakEvenUtilization),
  "spot cost per GPU-hour with rework": s.spot.effectiveHourly!.toFixed(6),
  "current mix per month": s.monthly.current.toFixed(2),
  "projected per month": s.monthly.projected.toFixed(2),
  "of which on-prem": s.monthly.onPrem.toFixed(2),
  "of which committed": s.monthly.commitment.toFixed(2),
  "of which spot": s.monthly.spot.toFixed(2),
  "savings per month": s.monthly.savings.toFixed(2),
  "upfront payment": s.commitment!.upfront.toFixed(2),
  "commitment break-even, months": s.commitment!.breakEvenMonths!.toFixed(1),
  "on-prem break-even, months": s.onPrem.breakEvenMonths!.toFixed(1),
};

describe("docs/recommendations.md worked example", () => {
  it("lists every figure the test checks", () => {
    expect([...figures.keys()].sort()).toEqual(Object.keys(expected).sort());
  });
  it.each(Object.entries(expected))("%s = %s", (name, value) => {
    expect(figures.get(name)).toBe(value);
  });
});
