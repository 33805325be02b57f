import { describe, expect, it } from "vitest";
import { combineCurrencyTotals, mergeUnpriced, ratio, round6 } from "./report-totals";

type M = { currency: string | null; gpuHours: number; knownGpuHours: number; usefulGpuHours: number; cost: string | null; meanUtilization: number | null };
const opts = {
  quantities: ["gpuHours", "knownGpuHours", "usefulGpuHours"] as (keyof M)[],
  moneyKeys: ["cost"] as (keyof M)[],
  empty: { currency: "USD", gpuHours: 0, knownGpuHours: 0, usefulGpuHours: 0, cost: "0", meanUtilization: null },
  finish: (m: M) => ({ ...m, meanUtilization: ratio(m.usefulGpuHours, m.knownGpuHours) }),
};

describe("combineCurrencyTotals", () => {
  it("uses the one currency's figures as they are", () => {
    const usd = { currency: "USD", gpuHours: 10, knownGpuHours: 8, usefulGpuHours: 4, cost: "68.8", meanUtilization: 0.5 };
    expect(combineCurrencyTotals([usd], opts)).toEqual({ ...usd, byCurrency: [usd] });
  });

  it("never adds two currencies: quantities summed, money null, each currency listed", () => {
    const usd = { currency: "USD", gpuHours: 10, knownGpuHours: 8, usefulGpuHours: 4, cost: "68.8", meanUtilization: 0.5 };
    const eur = { currency: "EUR", gpuHours: 2, knownGpuHours: 2, usefulGpuHours: 2, cost: "5", meanUtilization: 1 };
    const t = combineCurrencyTotals([usd, eur], opts);
    expect(t).toMatchObject({ currency: null, gpuHours: 12, knownGpuHours: 10, usefulGpuHours: 6, cost: null, meanUtilization: 0.6 });
    expect(t.byCurrency).toEqual([usd, eur]);
  });

  it("is zero in the org's currency when there is nothing", () => {
    expect(combineCurrencyTotals([], opts)).toEqual({ ...opts.empty, byCurrency: [] });
  });
});

describe("round6 and ratio", () => {
  it("round quantities to 6 decimals and refuse to divide by nothing", () => {
    expect(round6(52 * 0.428571 + 52 * 0.571429)).toBe(52);
    expect(ratio(1, 3)).toBe(0.333333);
    expect(ratio(1, 0)).toBeNull();
  });
});

describe("mergeUnpriced", () => {
  type P = { k: string; currency: string | null; gh: number; cost: string | null };
  const add = (a: P, b: P) => ({ ...a, gh: a.gh + b.gh });
  const opts = { key: (p: P) => p.k, orgCurrency: "USD", add };

  it("folds a group's unpriced GPU-hours into its org-currency part, else its first currency, money untouched", () => {
    const parts: P[] = [
      { k: "a", currency: null, gh: 5, cost: null },
      { k: "a", currency: "EUR", gh: 1, cost: "2" },
      { k: "a", currency: "USD", gh: 2, cost: "3" },
      { k: "b", currency: "GBP", gh: 1, cost: "1" },
      { k: "b", currency: "EUR", gh: 1, cost: "1" },
      { k: "b", currency: null, gh: 4, cost: null },
      { k: "c", currency: null, gh: 7, cost: null },
    ];
    expect(mergeUnpriced(parts, opts)).toEqual([
      { k: "a", currency: "EUR", gh: 1, cost: "2" },
      { k: "a", currency: "USD", gh: 7, cost: "3" },
      { k: "b", currency: "GBP", gh: 1, cost: "1" },
      { k: "b", currency: "EUR", gh: 5, cost: "1" },
      { k: "c", currency: null, gh: 7, cost: null },
    ]);
  });
});
