import { describe, expect, it } from "vitest";
import { compactUtc, isWholeHour, lastCompleteHours, splitHourWindow, toHourWindow, windowHours } from "./hour-windows";

const t = (iso: string) => new Date(iso);
const iso = (w: { from: Date; to: Date }) => [w.from.toISOString(), w.to.toISOString()];

describe("hour windows", () => {
  it("widens any range to whole UTC hours", () => {
    expect(iso(toHourWindow(t("2026-01-15T10:20:00Z"), t("2026-01-15T12:40:00Z")))).toEqual(["2026-01-15T10:00:00.000Z", "2026-01-15T13:00:00.000Z"]);
    expect(iso(toHourWindow(t("2026-01-15T10:00:00Z"), t("2026-01-15T11:00:00Z")))).toEqual(["2026-01-15T10:00:00.000Z", "2026-01-15T11:00:00.000Z"]);
    // Time zones in the input do not matter: hours are UTC.
    expect(iso(toHourWindow(t("2026-01-15T10:30:00+05:30"), t("2026-01-15T11:30:00+05:30")))).toEqual(["2026-01-15T05:00:00.000Z", "2026-01-15T06:00:00.000Z"]);
  });

  it("rejects empty and invalid ranges", () => {
    expect(() => toHourWindow(t("2026-01-15T10:00:00Z"), t("2026-01-15T10:00:00Z"))).toThrow(/Empty window/);
    expect(() => toHourWindow(t("nope"), t("2026-01-15T10:00:00Z"))).toThrow(/Invalid date/);
  });

  it("knows whole hours", () => {
    expect(isWholeHour(t("2026-01-15T10:00:00Z"))).toBe(true);
    expect(isWholeHour(t("2026-01-15T10:00:00.001Z"))).toBe(false);
    expect(isWholeHour(t("invalid"))).toBe(false);
  });

  it("splits at UTC day boundaries so chunks (and job ids) line up across requests", () => {
    const chunks = splitHourWindow({ from: t("2026-01-15T18:00:00Z"), to: t("2026-01-17T03:00:00Z") });
    expect(chunks.map(iso)).toEqual([
      ["2026-01-15T18:00:00.000Z", "2026-01-16T00:00:00.000Z"],
      ["2026-01-16T00:00:00.000Z", "2026-01-17T00:00:00.000Z"],
      ["2026-01-17T00:00:00.000Z", "2026-01-17T03:00:00.000Z"],
    ]);
    expect(chunks.reduce((s, c) => s + windowHours(c), 0)).toBe(33);
    expect(splitHourWindow({ from: t("2026-01-15T00:00:00Z"), to: t("2026-01-15T13:00:00Z") }, 6).map(iso)).toEqual([
      ["2026-01-15T00:00:00.000Z", "2026-01-15T06:00:00.000Z"],
      ["2026-01-15T06:00:00.000Z", "2026-01-15T12:00:00.000Z"],
      ["2026-01-15T12:00:00.000Z", "2026-01-15T13:00:00.000Z"],
    ]);
  });

  it("refuses to split windows that are not whole hours, or into chunks that cannot align", () => {
    expect(() => splitHourWindow({ from: t("2026-01-15T10:30:00Z"), to: t("2026-01-15T12:00:00Z") })).toThrow(/whole UTC hours/);
    expect(() => splitHourWindow({ from: t("2026-01-15T10:00:00Z"), to: t("2026-01-15T12:00:00Z") }, 5)).toThrow(/divisor of 24/);
  });

  it("gives the last complete hours before now", () => {
    expect(iso(lastCompleteHours(t("2026-01-15T10:05:00Z"), 6))).toEqual(["2026-01-15T04:00:00.000Z", "2026-01-15T10:00:00.000Z"]);
  });

  it("formats compact UTC stamps without ':' or '-'", () => {
    expect(compactUtc(t("2026-01-05T07:00:00Z"))).toBe("20260105T0700Z");
  });
});
