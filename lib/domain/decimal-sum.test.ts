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
});
