import { describe, expect, it } from "vitest";
import { sumDecimals } from "./decimal-sum";

describe("sumDecimals", () => {
  it("adds exactly where floats do not", () => {
    expect(sumDecimals(["0.1", "0.2"])).toBe("0.3");
    expect(sumDecimals(["2.94856848", "2.94856848", "-1"])).toBe("4.89713696");
    expect(sumDecimals([null, undefined, "12"])).toBe("12");
    expect(sumDecimals([])).toBe("0");
    expect(sumDecimals(["-0.5", "0.25"])).toBe("-0.25");
  });

  it("keeps every decimal of unscaled numerics (costs from unscaled rates carry 16 and more)", () => {
    expect(sumDecimals(["1181.9485778538812827", "0.0000000000000000173"])).toBe("1181.9485778538812827173");
    expect(sumDecimals(["13399.3550704520547968", "-13399.3550704520547968"])).toBe("0");
    expect(sumDecimals(["-0.000000000000000001", "0"])).toBe("-0.000000000000000001");
  });

  it("rejects what is not a decimal", () => {
    expect(() => sumDecimals(["1e5"])).toThrow(/not a decimal/);
    expect(() => sumDecimals(["."])).toThrow(/not a decimal/);
  });
});
