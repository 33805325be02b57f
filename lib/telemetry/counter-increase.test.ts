import { describe, expect, it } from "vitest";
import { hourlyIncreases } from "./counter-increase";

const H = (h: number, m = 0) => Date.UTC(2026, 0, 15, h, m);

describe("hourlyIncreases", () => {
  it("attributes each step's increase to the hour its interval ends in", () => {
    const t = [H(10), H(10, 30), H(11), H(11, 30), H(12)];
    const v = [100, 110, 130, 131, 131];
    // 10:00 is the baseline; (10:00, 10:30] and (10:30, 11:00] are hour 10; the rest hour 11.
    expect([...hourlyIncreases(t, v)]).toEqual([
      [H(10), 30],
      [H(11), 1],
    ]);
  });

  it("treats a drop as a reset that counts from zero", () => {
    const t = [H(10, 1), H(10, 2), H(10, 3), H(10, 4)];
    expect(hourlyIncreases(t, [50, 60, 5, 9]).get(H(10))).toBe(10 + 5 + 4);
  });

  it("bridges gaps and ignores non-finite values; the first point is only a baseline", () => {
    const t = [H(10, 10), H(10, 20), H(12, 10), H(12, 20)];
    const out = hourlyIncreases(t, [7, Number.NaN, 20, 21]);
    expect(out.get(H(10))).toBeUndefined();
    expect(out.get(H(12))).toBe(13 + 1);
    expect(hourlyIncreases([H(10)], [5]).size).toBe(0);
  });

  it("reports hours with points and no increase as 0", () => {
    expect([...hourlyIncreases([H(10, 1), H(10, 2)], [3, 3])]).toEqual([[H(10), 0]]);
  });
});
