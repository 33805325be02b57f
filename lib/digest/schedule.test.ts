import { describe, expect, it } from "vitest";
import { dueSlot, isoWeek, latestSlot, localTime } from "./schedule";

describe("digest schedule", () => {
  it("ISO weeks, including the year boundary", () => {
    expect(isoWeek({ year: 2026, month: 11, day: 30 })).toBe("2026-W49");
    expect(isoWeek({ year: 2026, month: 1, day: 1 })).toBe("2026-W01");
    expect(isoWeek({ year: 2027, month: 1, day: 1 })).toBe("2026-W53");
    expect(isoWeek({ year: 2024, month: 12, day: 30 })).toBe("2025-W01");
  });

  it("local time in the user's zone, across DST", () => {
    // 2026-03-29 is the EU switch to summer time: 07:00 UTC is 09:00 in Paris.
    expect(localTime(new Date("2026-03-29T07:00:00Z"), "Europe/Paris")).toMatchObject({ hour: 9, weekday: 0 });
    expect(localTime(new Date("2026-03-28T07:00:00Z"), "Europe/Paris")).toMatchObject({ hour: 8, weekday: 6 });
  });

  it("Monday 08:00 in Paris is 07:00 UTC in winter, 06:00 in summer", () => {
    const winter = latestSlot({ dayOfWeek: 1, hour: 8, timeZone: "Europe/Paris", now: new Date("2026-11-30T07:30:00Z") });
    expect(winter).toEqual({ slot: new Date("2026-11-30T07:00:00Z"), week: "2026-W49" });
    const summer = latestSlot({ dayOfWeek: 1, hour: 8, timeZone: "Europe/Paris", now: new Date("2026-06-01T06:02:00Z") });
    expect(summer).toEqual({ slot: new Date("2026-06-01T06:00:00Z"), week: "2026-W23" });
  });

  it("is due from the slot for 24 hours, keyed by the local week", () => {
    const sub = { dayOfWeek: 1, hour: 8, timezone: "America/Los_Angeles" };
    // Monday 08:00 in Los Angeles (PST, UTC−8) = 16:00 UTC.
    expect(dueSlot(sub, new Date("2026-11-30T15:59:00Z"))).toBeNull();
    expect(dueSlot(sub, new Date("2026-11-30T16:02:00Z"))).toEqual({ slot: new Date("2026-11-30T16:00:00Z"), week: "2026-W49" });
    expect(dueSlot(sub, new Date("2026-12-01T15:59:00Z"))?.week).toBe("2026-W49");
    expect(dueSlot(sub, new Date("2026-12-01T16:00:00Z"))).toBeNull();
    // Sunday 23:00 in Tokyo is Sunday 14:00 UTC; the local week is the one ending that Sunday.
    expect(dueSlot({ dayOfWeek: 0, hour: 23, timezone: "Asia/Tokyo" }, new Date("2026-11-29T14:05:00Z"))).toEqual({ slot: new Date("2026-11-29T14:00:00Z"), week: "2026-W48" });
  });
});
