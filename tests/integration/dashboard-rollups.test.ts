// The dashboard's period queries read the daily rollup (lib/costs/daily-rollup.ts planWindow: whole days
// from gpu_daily, partial edge days from gpu_hourly_groups, stale days from gpu_hourly): the spend
// series, the Overview's fleet utilization and the starved training runs of the top wasters must equal
// the hourly path's (source "hourly", gpu_hourly row by row) exactly, on the scenario fleet of
// reports-scenario.fixture.ts (Fri 22:00Z → Mon 02:00Z), for windows with partial edge days, both cost
// bases, every grouping, and with a stale day (whose daily rows are then wrong on purpose).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { spendSeries } from "@/lib/costs/queries/spend-series";
import { topWasters } from "@/lib/costs/queries/wasters";
import { getOverview } from "@/lib/costs/queries/overview";
import type { ReportDimension } from "@/lib/domain/reports";
import { buildScenario, FROM, TO, type Scenario } from "./reports-scenario.fixture";

const prisma = createPrisma(process.env.DATABASE_URL!, 4);
let s: Scenario;

beforeAll(async () => {
  s = await buildScenario(prisma, "dashboard-rollups");
});
afterAll(async () => {
  await prisma.$disconnect();
});

const at = (iso: string) => new Date(iso);
const WINDOWS = [
  { from: FROM, to: TO },
  { from: at("2026-01-09T23:00:00Z"), to: at("2026-01-11T05:00:00Z") },
  { from: at("2026-01-10T00:00:00Z"), to: at("2026-01-12T00:00:00Z") },
  { from: at("2026-01-09T00:00:00Z"), to: at("2026-01-13T00:00:00Z") },
  { from: at("2026-01-10T03:00:00Z"), to: at("2026-01-10T20:00:00Z") },
];
const GROUPS: Array<ReportDimension | null> = [null, "cluster", "gpuModel", "pricingCategory", "team", "namespace"];
// "now" inside Sunday: the Overview's last 30 days are [2025-12-13, 2026-01-12), Fri-Sun whole days
const NOW = at("2026-01-11T10:00:00Z");

/** Every dashboard query through both paths, as JSON; returns the mismatching cases (none expected). */
async function mismatches(orgId: string): Promise<string[]> {
  const out: string[] = [];
  const same = (label: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${label}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  };
  for (const w of WINDOWS) {
    for (const costBasis of ["effective", "billed"] as const) {
      for (const groupBy of GROUPS) {
        for (const bucket of ["hour", "day"] as const) {
          const q = { orgId, ...w, costBasis, filters: {}, groupBy, bucket };
          same(`series ${w.from.toISOString()} ${costBasis} ${groupBy} ${bucket}`, await spendSeries(prisma, q), await spendSeries(prisma, { ...q, source: "hourly" }));
        }
      }
      const q = { orgId, ...w, costBasis };
      same(`wasters ${w.from.toISOString()} ${costBasis}`, await topWasters(prisma, q), await topWasters(prisma, { ...q, source: "hourly" }));
    }
  }
  const filtered = { orgId, from: FROM, to: TO, costBasis: "effective" as const, filters: { team: ["vision"], cluster: ["aws-train"] }, groupBy: "namespace" as const, bucket: "day" as const };
  same("series filtered", await spendSeries(prisma, filtered), await spendSeries(prisma, { ...filtered, source: "hourly" }));
  same("overview", await getOverview(prisma, { orgId, now: NOW }), await getOverview(prisma, { orgId, now: NOW, source: "hourly" }));
  return out;
}

describe("dashboard queries over the daily rollup", () => {
  it("give the hourly path's numbers exactly, and the scenario's figures", async () => {
    expect(await mismatches(s.orgId)).toEqual([]);
    // the figures themselves (reports-scenario.fixture.ts): 52 hours cost 831.52 effective
    const series = await spendSeries(prisma, { orgId: s.orgId, from: FROM, to: TO, costBasis: "effective", filters: {}, groupBy: null, bucket: "day" });
    expect([...new Set(series.points.map((p) => p.t))]).toEqual(["2026-01-09T00:00:00.000Z", "2026-01-10T00:00:00.000Z", "2026-01-11T00:00:00.000Z", "2026-01-12T00:00:00.000Z"]);
    const priced = series.points.filter((p) => p.currency === "USD");
    expect(priced.reduce((a, p) => a + Number(p.cost), 0)).toBeCloseTo(831.52, 8);
    const w = await topWasters(prisma, { orgId: s.orgId, from: FROM, to: TO, costBasis: "effective" });
    // vit-02 ran h0-h5 on the two spot GPUs at 0.40 (gap at h2, h3 on spot-1): starved
    expect(w.starvedRuns.map((r) => r.name)).toEqual(["vit-02"]);
    expect(w.starvedRuns[0]!.meanUtilization).toBeCloseTo(0.4, 12);
    expect(w.starvedRuns[0]!.gpuCost).toBe("12");
    // unused capacity over the 10 known GPU-hours: 10 × 1.00 × 0.60
    expect(w.starvedRuns[0]!.unusedCost).toBe("6.00");
    expect(w.idleGpus.length).toBeGreaterThan(0);
  });

  it("read whole days from gpu_daily (a planted difference shows) and stale days from gpu_hourly", async () => {
    const q = { orgId: s.orgId, from: FROM, to: TO, costBasis: "effective" as const, filters: {}, groupBy: null, bucket: "day" as const };
    const before = await spendSeries(prisma, q);
    const sat = (r: typeof before) => Number(r.points.find((p) => p.t === "2026-01-10T00:00:00.000Z" && p.currency === "USD")!.cost);
    const plant = (delta: number) =>
      prisma.$executeRaw`UPDATE gpu_daily SET cost = cost + ${delta}, useful_cost = useful_cost + ${delta}, useful_gpu_hours = useful_gpu_hours + ${delta}
        WHERE id = (SELECT min(id) FROM gpu_daily WHERE org_id = ${s.orgId} AND day = '2026-01-10' AND cost IS NOT NULL)`;
    await plant(1);
    try {
      expect(sat(await spendSeries(prisma, q))).toBeCloseTo(sat(before) + 1, 8);
      const o = await getOverview(prisma, { orgId: s.orgId, now: NOW });
      const oh = await getOverview(prisma, { orgId: s.orgId, now: NOW, source: "hourly" });
      expect(o.fleetUtilization).not.toBe(oh.fleetUtilization);
      // Saturday marked stale: every query reads it from gpu_hourly again, the planted row unread
      await prisma.$executeRaw`INSERT INTO rollup_stale_days (org_id, day) VALUES (${s.orgId}, '2026-01-10')`;
      expect(await mismatches(s.orgId)).toEqual([]);
    } finally {
      await prisma.$executeRaw`DELETE FROM rollup_stale_days WHERE org_id = ${s.orgId}`;
      await plant(-1);
    }
    expect(await spendSeries(prisma, q)).toEqual(before);
  });
});
