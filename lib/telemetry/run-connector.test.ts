import { describe, expect, it } from "vitest";
import { planChunks, planWindow } from "./run-connector";

const T = (d: number, h: number, m = 0) => Date.UTC(2026, 0, d, h, m);

describe("planWindow", () => {
  it("starts the first run at the backfill horizon (default 30 days) and ends at now − settle", () => {
    expect(planWindow({ watermark: null, now: new Date(T(31, 12, 32)), backfillDays: 30, settleSeconds: 120 })).toEqual({ from: T(1, 12), to: T(31, 12, 30) });
  });

  it("continues from the watermark", () => {
    expect(planWindow({ watermark: new Date(T(31, 11)), now: new Date(T(31, 12, 32)), backfillDays: 30, settleSeconds: 120 })).toEqual({ from: T(31, 11), to: T(31, 12, 30) });
  });

  it("widens an explicit window to whole hours but never past now − settle", () => {
    expect(planWindow({ explicit: { from: new Date(T(2, 10, 20)), to: new Date(T(2, 12, 40)) }, watermark: null, now: new Date(T(9, 0)), backfillDays: 30, settleSeconds: 120 })).toEqual({ from: T(2, 10), to: T(2, 13) });
    expect(planWindow({ explicit: { from: new Date(T(2, 10)), to: new Date(T(3, 0)) }, watermark: null, now: new Date(T(2, 12, 5)), backfillDays: 30, settleSeconds: 120 })).toEqual({ from: T(2, 10), to: T(2, 12, 3) });
  });
});

describe("planChunks", () => {
  it("aligns chunks to the day, the last one ending inside an hour", () => {
    const chunks = planChunks(T(1, 20), T(2, 13, 30), 6).map((c) => [c.from.toISOString().slice(8, 16), c.to.toISOString().slice(8, 16)]);
    expect(chunks).toEqual([
      ["01T20:00", "02T00:00"],
      ["02T00:00", "02T06:00"],
      ["02T06:00", "02T12:00"],
      ["02T12:00", "02T13:30"],
    ]);
  });

  it("is empty when there is nothing new", () => {
    expect(planChunks(T(1, 20), T(1, 20), 24)).toEqual([]);
    expect(planChunks(T(1, 20), T(1, 19), 24)).toEqual([]);
  });
});
