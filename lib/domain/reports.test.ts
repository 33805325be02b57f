import { describe, expect, it } from "vitest";
import { reportQuerySchema } from "./reports";

const base = { from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z" };
const paths = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) => r.error?.issues.map((i) => i.path.join(".")) ?? [];

describe("reportQuerySchema", () => {
  it("parses the window, group-by list, filters, cost basis and format with defaults", () => {
    const q = reportQuerySchema("gpu-hours").parse({ ...base, groupBy: "cluster, team,cluster", team: "llm,vision", org: "demo" });
    expect(q).toEqual({
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-11-02T00:00:00Z"),
      groupBy: ["cluster", "team"],
      filters: { team: ["llm", "vision"] },
      costBasis: "effective",
      format: "json",
    });
    expect(reportQuerySchema("idle").parse({ from: "2026-11-01", to: "2026-11-01T05:00:00+02:00", costBasis: "billed", format: "csv" })).toMatchObject({
      to: new Date("2026-11-01T03:00:00Z"),
      costBasis: "billed",
      format: "csv",
    });
  });

  it("names the parameter that is wrong", () => {
    const s = reportQuerySchema("gpu-hours");
    expect(paths(s.safeParse({ ...base, from: "2026-11-01T00:30:00Z" }))).toEqual(["from"]);
    expect(paths(s.safeParse({ ...base, from: "2026-11-03T00:00:00Z" }))).toEqual(["to"]);
    expect(paths(s.safeParse({ ...base, to: "2029-01-01T00:00:00Z" }))).toEqual(["to"]);
    expect(paths(s.safeParse({ ...base, groupBy: "cluster,node" }))).toEqual(["groupBy"]);
    expect(paths(s.safeParse({ ...base, team: " , " }))).toEqual(["team"]);
    expect(paths(s.safeParse({ ...base, teams: "x" }))).toEqual([""]);
    expect(paths(s.safeParse({ to: base.to }))).toEqual(["from"]);
  });

  it("lets the per-workload reports filter by the workload's own dimensions only, without groupBy", () => {
    expect(reportQuerySchema("training-runs").parse({ ...base, team: "llm", namespace: "training" }).filters).toEqual({ team: ["llm"], namespace: ["training"] });
    expect(paths(reportQuerySchema("training-runs").safeParse({ ...base, groupBy: "team" }))).toEqual(["groupBy"]);
    expect(paths(reportQuerySchema("inference").safeParse({ ...base, pricingCategory: "spot" }))).toEqual(["pricingCategory"]);
  });
});
