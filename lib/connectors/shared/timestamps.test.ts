import { describe, expect, it } from "vitest";
import { parseTimestamp } from "./timestamps";

describe("parseTimestamp", () => {
  it("reads the forms bills use, as UTC", () => {
    expect(parseTimestamp("2024-09-18 22:00:00")).toBe("2024-09-18T22:00:00.000Z");
    expect(parseTimestamp("2024-09-18T22:00:00Z")).toBe("2024-09-18T22:00:00.000Z");
    expect(parseTimestamp("2024-09-18T22:00:00.123456+02:00")).toBe("2024-09-18T20:00:00.123Z");
    expect(parseTimestamp("2024-09-18T22:00:00-0700")).toBe("2024-09-19T05:00:00.000Z");
    expect(parseTimestamp("2024-09-18 22:00:00 UTC")).toBe("2024-09-18T22:00:00.000Z");
    expect(parseTimestamp("2024-09-18")).toBe("2024-09-18T00:00:00.000Z");
    expect(parseTimestamp("09/18/2024")).toBe("2024-09-18T00:00:00.000Z");
    expect(parseTimestamp("9/18/2024 3:05 PM")).toBe("2024-09-18T15:05:00.000Z");
  });

  it("rejects impossible and foreign dates", () => {
    for (const bad of ["2024-02-30", "2024-13-01 00:00:00", "18/09/2024", "yesterday", "2024-09-18T25:00:00Z", "2024-09-18T10:00:00+25:00"]) {
      expect(parseTimestamp(bad), bad).toBeUndefined();
    }
  });
});
