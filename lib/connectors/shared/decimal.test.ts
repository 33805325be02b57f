import { describe, expect, it } from "vitest";
import { addDecimals, compareDecimals, DECIMAL, DecimalSum, isDecimalSyntax, divDecimals, mulDecimals, parseDecimal, subDecimals, sumDecimals } from "./decimal";

describe("exact decimals", () => {
  it("accepts what exports write and rejects the rest", () => {
    for (const ok of ["0", "-1.5", "0.00000080000", ".5", "5.", "+3", "1.2E-7", " 42 "]) expect(parseDecimal(ok)).toBeDefined();
    for (const bad of ["", "1,5", "12;5x", "NaN", "1e", "--1", "0x10", "1.2.3"]) expect(parseDecimal(bad)).toBeUndefined();
  });

  it("adds, subtracts, multiplies and divides without float error", () => {
    expect(addDecimals("0.1", "0.2")).toBe("0.3");
    expect(sumDecimals(["0.00000080000", "0.00001605990", "-0.5", "1e-11"])).toBe("-0.49998314009");
    expect(subDecimals("1", "1.0000000000000000001")).toBe("-0.0000000000000000001");
    expect(mulDecimals("2.00", "1.0825")).toBe("2.165");
    expect(mulDecimals("1.5E-7", "3")).toBe("0.00000045");
    expect(divDecimals("8", "1", 4)).toBe("8");
    expect(divDecimals("28800", "3600", 4)).toBe("8");
    expect(divDecimals("2", "3", 4)).toBe("0.6667");
    expect(divDecimals("-2", "3", 4)).toBe("-0.6667");
    expect(compareDecimals("14.97651418586", "14.9765141858600")).toBe(0);
  });
});

describe("DecimalSum", () => {
  it("sums mixed scales, signs, exponents and integers exactly", () => {
    const s = new DecimalSum();
    for (const v of ["0.00000080000", "0.00001605990", "-0.5", "1e-11", "12", "+3.25", ".5", "5.", "-0.0000000000001"]) s.add(v);
    expect(s.toString()).toBe(sumDecimals(["0.00000080000", "0.00001605990", "-0.5", "1e-11", "12", "+3.25", ".5", "5.", "-0.0000000000001"]));
    expect(s.toString()).toBe("20.2500168599099");
    expect(new DecimalSum().toString()).toBe("0");
  });

  it("stays exact past 2^53 units and across scale changes (Number fast path vs BigInt)", () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const values: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const scale = Math.floor(rand() * 11);
      const digits = String(Math.floor(rand() * 1e15)).padStart(scale + 1, "0");
      const text = scale ? `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}` : digits;
      values.push(rand() < 0.3 ? `-${text}` : text);
      if (i % 997 === 0) values.push("999999999999999", "-0.000000000000001", "1.5e3", "123456789012345678.25");
    }
    const s = new DecimalSum();
    for (const v of values) s.add(v);
    expect(s.toString()).toBe(sumDecimals(values));
    const big = new DecimalSum();
    for (let i = 0; i < 100; i++) big.add("999999999999999");
    expect(big.toString()).toBe("99999999999999900");
  });
});

describe("isDecimalSyntax", () => {
  it("agrees with the DECIMAL expression on random strings of decimal characters", () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = ["0", "1", "9", ".", "e", "E", "+", "-", " ", "x", "٣"];
    for (let k = 0; k < 50_000; k++) {
      let s = "";
      const len = Math.floor(rand() * 9);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
      expect(isDecimalSyntax(s), JSON.stringify(s)).toBe(DECIMAL.test(s));
    }
    for (const s of ["1e12345", "1e1234", "-.5e-3", "+.e1", "5.e+2", "", "+", "-.", "1_000"]) expect(isDecimalSyntax(s), s).toBe(DECIMAL.test(s));
  });
});

