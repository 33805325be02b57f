// getOverview against hand-built bill lines and GPU rows with known sums, including two currencies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createPrisma, disconnectDb } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { getOverview, overviewWindow } from "@/lib/costs/queries/overview";
import { rebuildDailyRollups } from "@/lib/costs/daily-rollup";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const run = randomBytes(3).toString("hex");
const NOW = new Date("2026-03-15T12:00:00Z");
let orgId = "";
let otherOrgId = "";

function line(org: string, at: string, effective: string, { currency = "USD", gpu = null as string | null, billed = "9999" } = {}) {
  const start = new Date(at);
  return {
    orgId: org,
    sourceFormat: "focus-1.0",
    providerName: "AWS",
    billingAccountId: "123",
    billingCurrency: currency,
    billingPeriodStart: new Date("2026-02-01T00:00:00Z"),
    billingPeriodEnd: new Date("2026-04-01T00:00:00Z"),
    chargePeriodStart: start,
    chargePeriodEnd: new Date(start.getTime() + 3600_000),
    chargeCategory: "Usage",
    // BilledCost differs from EffectiveCost everywhere, so a wrong cost basis shows.
    billedCost: billed,
    effectiveCost: effective,
    gpuModel: gpu,
    gpuCount: gpu ? "8" : null,
  };
}

beforeAll(async () => {
  orgId = (await createOrg(prisma, { slug: `ov-${run}`, name: "Overview" })).id;
  otherOrgId = (await createOrg(prisma, { slug: `ov-other-${run}`, name: "Other" })).id;
  await prisma.billLineItem.createMany({
    data: [
      line(orgId, "2026-03-10T05:00:00Z", "100.10", { gpu: "H100" }),
      line(orgId, "2026-03-01T00:00:00Z", "50.005"),
      line(orgId, "2026-02-20T13:00:00Z", "200.25", { gpu: "A100-80GB" }),
      line(orgId, "2026-02-13T23:59:59Z", "999"), // just before the 30-day window
      line(orgId, "2026-03-16T00:00:00Z", "777"), // tomorrow: outside
      line(orgId, "2026-03-14T08:00:00Z", "10.5", { currency: "EUR", gpu: "L4" }),
      line(orgId, "2026-02-14T00:00:00Z", "1.25", { currency: "EUR" }), // first instant of the window
      line(otherOrgId, "2026-03-10T05:00:00Z", "5000", { gpu: "H100" }),
    ],
  });
  const gpu = (org: string, uuid: string, lastSeen: string, mig = "", fraction = "1") =>
    prisma.gpu.create({
      data: { orgId: org, uuid, migInstanceId: mig, fraction, model: "H100", firstSeenAt: new Date("2026-01-01T00:00:00Z"), lastSeenAt: new Date(lastSeen) },
    });
  const g1 = await gpu(orgId, `U1-${run}`, "2026-03-10T00:00:00Z");
  const g1mig = await gpu(orgId, `U1-${run}`, "2026-03-12T00:00:00Z", "1", "0.5"); // same physical GPU
  const g2 = await gpu(orgId, `U2-${run}`, "2026-02-01T00:00:00Z"); // not seen in 30 days
  const g3 = await gpu(orgId, `U3-${run}`, "2026-03-15T00:00:00Z");
  const gOther = await gpu(otherOrgId, `U9-${run}`, "2026-03-15T00:00:00Z");
  const hour = (g: { id: string; orgId: string }, at: string, utilization: number | null, gpuHours = "1") => ({
    orgId: g.orgId,
    gpuId: g.id,
    hour: new Date(at),
    utilization,
    gpuHours,
  });
  await prisma.gpuHourly.createMany({
    data: [
      hour(g1, "2026-03-10T10:00:00Z", 0.5),
      hour(g3, "2026-03-11T10:00:00Z", 1.0),
      hour(g3, "2026-03-11T11:00:00Z", null), // unknown: a gap, not a zero
      hour(g1mig, "2026-03-12T10:00:00Z", 0.2, "0.5"),
      hour(g2, "2026-02-01T10:00:00Z", 0, "10"), // outside the window
      hour(gOther, "2026-03-11T10:00:00Z", 0, "100"),
    ],
  });
  // The utilization card reads the daily rollup, which the rollup job builds from these hours.
  for (const o of [orgId, gOther.orgId]) {
    await prisma.$transaction((tx) => rebuildDailyRollups(tx, { orgId: o, dayFrom: new Date("2026-02-01T00:00:00Z"), dayTo: new Date("2026-03-16T00:00:00Z") }));
  }
});

afterAll(async () => {
  await prisma.$disconnect();
  await disconnectDb();
});

describe("getOverview", () => {
  it("uses UTC windows: month to date and the 30 calendar days ending today", () => {
    const w = overviewWindow(NOW);
    expect(w.monthStart.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(w.last30Start.toISOString()).toBe("2026-02-14T00:00:00.000Z");
    expect(w.end.toISOString()).toBe("2026-03-16T00:00:00.000Z");
  });

  it("sums effective cost per currency, never across currencies", async () => {
    const o = await getOverview(prisma, { orgId, now: NOW });
    expect(o.hasBills).toBe(true);
    expect(o.currencies).toEqual(["EUR", "USD"]);
    expect(o.monthToDate).toEqual([
      { currency: "EUR", amount: "10.5" },
      { currency: "USD", amount: "150.105" },
    ]);
    expect(o.last30Days).toEqual([
      { currency: "EUR", amount: "11.75" },
      { currency: "USD", amount: "350.355" },
    ]);
    expect(o.gpuLast30Days).toEqual([
      { currency: "EUR", amount: "10.5" },
      { currency: "USD", amount: "300.35" },
    ]);
  });

  it("counts GPUs by UUID seen in the window and weights utilization by GPU-hours with known utilization", async () => {
    const o = await getOverview(prisma, { orgId, now: NOW });
    expect(o.gpuCount).toBe(2);
    // (0.5×1 + 1.0×1 + 0.2×0.5) / (1 + 1 + 0.5) = 1.6 / 2.5
    expect(o.fleetUtilization).toBeCloseTo(0.64, 10);
    expect(o.utilizationGpuHours).toBe("2.5");
  });

  it("returns 30 days × currencies of daily spend with zeros filled, adding up to the 30-day figure", async () => {
    const o = await getOverview(prisma, { orgId, now: NOW });
    expect(o.daily).toHaveLength(60);
    const usd = o.daily.filter((d) => d.currency === "USD");
    expect(usd[0]!.day).toBe("2026-02-14");
    expect(usd[29]!.day).toBe("2026-03-15");
    expect(usd.find((d) => d.day === "2026-03-10")).toEqual({ day: "2026-03-10", currency: "USD", total: "100.1", gpu: "100.1" });
    expect(usd.find((d) => d.day === "2026-03-01")).toEqual({ day: "2026-03-01", currency: "USD", total: "50.005", gpu: "0" });
    expect(usd.find((d) => d.day === "2026-03-02")).toEqual({ day: "2026-03-02", currency: "USD", total: "0", gpu: "0" });
    const sumCents = (xs: string[]) => xs.reduce((a, x) => a + Math.round(Number(x) * 1000), 0);
    expect(sumCents(usd.map((d) => d.total))).toBe(350355);
    expect(sumCents(o.daily.filter((d) => d.currency === "EUR").map((d) => d.total))).toBe(11750);
  });

  it("is empty for an org without bills", async () => {
    const empty = (await createOrg(prisma, { slug: `ov-empty-${run}`, name: "Empty" })).id;
    const o = await getOverview(prisma, { orgId: empty, now: NOW });
    expect(o).toMatchObject({ hasBills: false, currencies: [], monthToDate: [], last30Days: [], gpuCount: 0, fleetUtilization: null, daily: [] });
  });
});
