import { describe, expect, it } from "vitest";
import { parseView, resolveWindow, viewToSearch } from "./dashboard-view";

const now = new Date("2026-11-29T03:51:31Z");

describe("dashboard view", () => {
  it("round-trips through the URL and drops defaults", () => {
    const v = parseView(new URLSearchParams("window=7d&basis=billed&groupBy=team&cluster=a,b&bogus=1"));
    expect(v).toMatchObject({ window: "7d", basis: "billed", groupBy: "team", filters: { cluster: ["a", "b"] } });
    expect(viewToSearch(v).toString()).toBe("window=7d&basis=billed&groupBy=team&cluster=a%2Cb");
    expect(viewToSearch(parseView(new URLSearchParams(""))).toString()).toBe("");
  });
  it("resolves windows on whole UTC hours and days", () => {
    expect(resolveWindow({ window: "24h", customFrom: null, customTo: null }, now)).toMatchObject({ from: new Date("2026-11-28T04:00:00Z"), to: new Date("2026-11-29T04:00:00Z"), hours: 24 });
    const d30 = resolveWindow({ window: "30d", customFrom: null, customTo: null }, now);
    expect([d30.from.toISOString(), d30.to.toISOString(), d30.previousFrom.toISOString(), d30.partial]).toEqual(["2026-10-31T00:00:00.000Z", "2026-11-30T00:00:00.000Z", "2026-10-01T00:00:00.000Z", true]);
    expect(resolveWindow({ window: "mtd", customFrom: null, customTo: null }, now).from.toISOString()).toBe("2026-11-01T00:00:00.000Z");
    const c = resolveWindow({ window: "custom", customFrom: "2026-11-01", customTo: "2026-11-02" }, now);
    expect([c.hours, c.partial]).toEqual([48, false]);
  });
  it("falls back to 30 days on a bad custom window", () => {
    expect(parseView(new URLSearchParams("window=custom&from=2026-11-05&to=2026-11-01")).window).toBe("30d");
  });
});
