// The daily rollup (lib/costs/daily-rollup.ts) against the real database, on the scenario fleet of
// reports-scenario.fixture.ts (Fri 22:00Z → Mon 02:00Z: two whole UTC days and partial days at both
// edges). runReport reads whole days from gpu_daily / workload_daily / workload_latency_daily and the
// rest from the hourly tables; every report must equal the hourly path's (HOURLY_SOURCES): money as
// exact decimal strings, float-derived figures (utilization, energy, traffic) to 1e-9 relative.
// Then: a refresh after a new ingestion updates the daily tables; a threshold change and a relinked GPU
// stale their days (reports stay right meanwhile) and the rollups job rebuilds them.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { Queue, type Job } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { runReport } from "@/lib/costs/run-report";
import { HOURLY_SOURCES } from "@/lib/costs/queries/common";
import { planWindow } from "@/lib/costs/daily-rollup";
import { refreshRollups } from "@/lib/costs/refresh-rollups";
import { setIdleThreshold } from "@/lib/costs/idle-threshold";
import { rebuildRollups } from "@/lib/costs/rebuild-rollups";
import { createProducers } from "@/lib/queue/producers";
import { QUEUES, rollupRefreshJobId } from "@/lib/queue/contracts";
import { logger } from "@/lib/log";
import { rollupsProcessor } from "@/workers/processors/rollups";
import type { ReportDimension, ReportKind, ReportQuery } from "@/lib/domain/reports";
import { buildScenario, FROM, TO, type Scenario } from "./reports-scenario.fixture";

const prisma = createPrisma(process.env.DATABASE_URL!, 4);
const prefix = `${process.env.QUEUE_PREFIX!}-daily-${randomBytes(3).toString("hex")}`;
const producers = createProducers({ redisUrl: process.env.REDIS_URL!, prefix });
const queue = new Queue(QUEUES.rollups, { connection: { url: process.env.REDIS_URL! }, prefix });
let s: Scenario;

beforeAll(async () => {
  s = await buildScenario(prisma, "rollups-daily");
});
afterAll(async () => {
  await producers.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await prisma.$disconnect();
});

const H = 3_600_000;
const at = (iso: string) => new Date(iso);

/** Differences between two report documents: strings (money, keys) exactly, numbers to 1e-9 relative. */
function differences(a: unknown, b: unknown, path = ""): string[] {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)) ? [] : [`${path}: ${a} vs ${b}`];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}: ${a.length} vs ${b.length} rows`];
    return a.flatMap((x, i) => differences(x, b[i], `${path}[${i}]`));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return a === b ? [] : [`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
}

const CASES: Array<{ kind: ReportKind; groupBy: ReportDimension[] }> = [
  { kind: "gpu-hours", groupBy: [] },
  { kind: "gpu-hours", groupBy: ["cluster", "gpuModel"] },
  { kind: "gpu-hours", groupBy: ["pricingCategory"] },
  { kind: "gpu-hours", groupBy: ["team", "namespace"] },
  { kind: "idle", groupBy: ["team"] },
  { kind: "idle", groupBy: ["cluster", "pricingCategory"] },
  { kind: "training-runs", groupBy: [] },
  { kind: "inference", groupBy: [] },
];

/** Runs every case through both paths and returns the differences (none expected). */
async function compareAll(orgId: string, windows: Array<{ from: Date; to: Date }>, costBasis: "effective" | "billed" = "effective") {
  const out: string[] = [];
  for (const w of windows) {
    for (const c of CASES) {
      const query: Omit<ReportQuery, "format"> = { ...w, groupBy: c.groupBy, filters: {}, costBasis };
      const daily = await runReport(prisma, { orgId, kind: c.kind, query });
      const hourly = await runReport(prisma, { orgId, kind: c.kind, query, sources: HOURLY_SOURCES });
      out.push(...differences(JSON.parse(JSON.stringify(daily)), JSON.parse(JSON.stringify(hourly)), `${c.kind} ${c.groupBy.join(",")} ${w.from.toISOString()}→${w.to.toISOString()}`));
    }
  }
  return out;
}

const daySums = (orgId: string) =>
  prisma.$queryRaw<Array<{ day: string; gh: string; idle_gh: string; cost: string | null }>>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, SUM(gpu_hours)::text AS gh, SUM(idle_gpu_hours)::text AS idle_gh, SUM(cost)::text AS cost
    FROM gpu_daily WHERE org_id = ${orgId} GROUP BY day ORDER BY day`;
const hourSums = (orgId: string) =>
  prisma.$queryRaw<Array<{ day: string; gh: string; cost: string | null }>>`
    SELECT to_char((hour AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, SUM(gpu_hours)::text AS gh, SUM(rate * gpu_hours)::text AS cost
    FROM gpu_hourly WHERE org_id = ${orgId} GROUP BY 1 ORDER BY 1`;
const staleDays = (orgId: string) =>
  prisma.$queryRaw<Array<{ day: string }>>`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM rollup_stale_days WHERE org_id = ${orgId} ORDER BY day`.then((r) => r.map((x) => x.day));

/** Runs a rollups job through the real processor (its producers queue on this file's prefix). */
const ctx = () => ({ prisma, producers, log: logger, now: () => new Date() });
const runJob = (data: unknown) => rollupsProcessor.process({ data } as Job, ctx());

describe("planWindow", () => {
  it("reads whole days daily, partial days from the hourly groups, stale days from gpu_hourly", () => {
    const p = planWindow({ from: FROM, to: TO }, new Set(["2026-01-11"]));
    expect(p.daily).toEqual({ dayFrom: "2026-01-10", dayTo: "2026-01-11", skip: [] });
    expect(p.groups).toEqual([
      { from: FROM, to: at("2026-01-10T00:00:00Z") },
      { from: at("2026-01-12T00:00:00Z"), to: TO },
    ]);
    expect(p.raw).toEqual([{ from: at("2026-01-11T00:00:00Z"), to: at("2026-01-12T00:00:00Z") }]);
    const gap = planWindow({ from: at("2026-01-08T00:00:00Z"), to: at("2026-01-11T00:00:00Z") }, new Set(["2026-01-09"]));
    expect(gap.daily).toEqual({ dayFrom: "2026-01-08", dayTo: "2026-01-11", skip: ["2026-01-09"] });
    expect(planWindow({ from: at("2026-01-10T03:00:00Z"), to: at("2026-01-10T20:00:00Z") }, new Set())).toEqual({
      daily: null,
      groups: [{ from: at("2026-01-10T03:00:00Z"), to: at("2026-01-10T20:00:00Z") }],
      raw: [],
    });
    expect(planWindow({ from: at("2026-01-10T00:00:00Z"), to: at("2026-01-11T00:00:00Z") }, new Set(["2026-01-10"]))).toEqual({
      daily: null,
      groups: [],
      raw: [{ from: at("2026-01-10T00:00:00Z"), to: at("2026-01-11T00:00:00Z") }],
    });
  });
});

describe("daily rollup", () => {
  it("holds, per day, exactly the hourly tables' GPU-hours and cost, for every day the refresh touched", async () => {
    const days = await daySums(s.orgId);
    expect(days.map((d) => d.day)).toEqual(["2026-01-09", "2026-01-10", "2026-01-11", "2026-01-12"]);
    const hours = await hourSums(s.orgId);
    expect(days.map(({ day, gh, cost }) => ({ day, gh, cost }))).toEqual(hours);
    expect(await staleDays(s.orgId)).toEqual([]);
    // and the hourly groups, per hour, the same (52 hours of data, every hour a row set)
    const [g] = await prisma.$queryRaw<Array<{ hours: bigint; mismatched: bigint }>>`
      SELECT COUNT(*) AS hours, COUNT(*) FILTER (WHERE x.gh IS DISTINCT FROM y.gh OR x.cost IS DISTINCT FROM y.cost) AS mismatched
      FROM (SELECT hour, SUM(gpu_hours) AS gh, SUM(cost) AS cost FROM gpu_hourly_groups WHERE org_id = ${s.orgId} GROUP BY hour) x
      FULL JOIN (SELECT hour, SUM(gpu_hours) AS gh, SUM(rate * gpu_hours) AS cost FROM gpu_hourly WHERE org_id = ${s.orgId} GROUP BY hour) y USING (hour)`;
    expect(Number(g!.hours)).toBe(52);
    expect(Number(g!.mismatched)).toBe(0);
    const [w] = await prisma.$queryRaw<Array<{ n: bigint; inf: number }>>`
      SELECT COUNT(*) AS n, SUM(inferences) AS inf FROM workload_daily WHERE org_id = ${s.orgId} AND workload_id = ${s.workloads.chat}`;
    expect(w!.inf).toBe(3500); // 1000 + 1000 + 500 + 1000 over Fri 22:00 - Sat 02:00
    const lat = await prisma.workloadLatencyDaily.findMany({ where: { orgId: s.orgId }, orderBy: { day: "asc" } });
    // Saturday holds h2 + h3 of the fixture's histograms, summed bucket by bucket
    expect(lat.map((l) => l.counts)).toEqual([
      [600, 1700, 1990, 2000],
      [400, 1300, 1500, 1500],
    ]);
  });

  it("gives every report the hourly path's numbers, for windows with partial edge days and both cost bases", async () => {
    const windows = [
      { from: FROM, to: TO },
      { from: at("2026-01-10T00:00:00Z"), to: at("2026-01-12T00:00:00Z") },
      { from: at("2026-01-09T23:00:00Z"), to: at("2026-01-11T05:00:00Z") },
      { from: at("2026-01-09T00:00:00Z"), to: at("2026-01-13T00:00:00Z") },
    ];
    expect(await compareAll(s.orgId, windows)).toEqual([]);
    expect(await compareAll(s.orgId, [windows[0]!], "billed")).toEqual([]);
    // and the figures are the scenario's (reports-scenario.test.ts derives them by hand)
    const gpu = await runReport(prisma, { orgId: s.orgId, kind: "gpu-hours", query: { from: FROM, to: TO, groupBy: [], filters: {}, costBasis: "effective" } });
    expect(gpu.totals).toMatchObject({ gpuHours: 272, cost: "831.52" });
  });

  it("reads the whole days from the daily tables (a planted difference shows)", async () => {
    const query: Omit<ReportQuery, "format"> = { from: FROM, to: TO, groupBy: [], filters: {}, costBasis: "effective" };
    const before = await runReport(prisma, { orgId: s.orgId, kind: "gpu-hours", query });
    // one daily row of Saturday (a whole day in the window) costs 1 more: the report shows it
    await prisma.$executeRaw`UPDATE gpu_daily SET cost = cost + 1 WHERE id = (SELECT min(id) FROM gpu_daily WHERE org_id = ${s.orgId} AND day = '2026-01-10' AND cost IS NOT NULL)`;
    try {
      const planted = await runReport(prisma, { orgId: s.orgId, kind: "gpu-hours", query });
      expect(Number(planted.totals.cost)).toBeCloseTo(Number(before.totals.cost) + 1, 8);
    } finally {
      await prisma.$executeRaw`UPDATE gpu_daily SET cost = cost - 1 WHERE id = (SELECT min(id) FROM gpu_daily WHERE org_id = ${s.orgId} AND day = '2026-01-10' AND cost IS NOT NULL)`;
    }
    expect((await runReport(prisma, { orgId: s.orgId, kind: "gpu-hours", query })).totals.cost).toBe(before.totals.cost);
    // and the partial first day (Fri 22:00-24:00) from the hourly groups
    const plant = (delta: number) => prisma.$executeRaw`
      UPDATE gpu_hourly_groups SET cost = cost + ${delta} WHERE id = (SELECT min(id) FROM gpu_hourly_groups WHERE org_id = ${s.orgId} AND hour = ${FROM} AND cost IS NOT NULL)`;
    await plant(2);
    try {
      const planted = await runReport(prisma, { orgId: s.orgId, kind: "gpu-hours", query });
      expect(Number(planted.totals.cost)).toBeCloseTo(Number(before.totals.cost) + 2, 8);
    } finally {
      await plant(-2);
    }
  });
});

describe("maintenance", () => {
  it("a refresh after a new ingestion updates the daily tables: never stale", async () => {
    const s2 = await buildScenario(prisma, "rollups-daily-ingest");
    const gpu = await prisma.gpu.findFirstOrThrow({ where: { orgId: s2.orgId, uuid: "GPU-od-0" } });
    // New telemetry: Saturday noon becomes busy, and Monday 02:00-06:00 arrives (with its bill lines).
    await prisma.gpuHourly.update({ where: { gpuId_hour: { gpuId: gpu.id, hour: at("2026-01-10T12:00:00Z") } }, data: { utilization: 0.8 } });
    const monday = Array.from({ length: 4 }, (_, i) => new Date(TO.getTime() + i * H));
    await prisma.gpuHourly.createMany({ data: monday.map((hour) => ({ orgId: s2.orgId, gpuId: gpu.id, hour, utilization: 0.7, powerW: 300, samples: 120 })) });
    await prisma.billLineItem.createMany({
      data: monday.map((hour) => ({
        orgId: s2.orgId, sourceFormat: "focus-1.2", providerName: "AWS", billingAccountId: "111122223333", billingCurrency: "USD",
        billingPeriodStart: at("2026-01-01T00:00:00Z"), billingPeriodEnd: at("2026-02-01T00:00:00Z"),
        chargePeriodStart: hour, chargePeriodEnd: new Date(hour.getTime() + H), chargeCategory: "Usage",
        billedCost: "0", effectiveCost: "13.76", resourceId: "i-od", instanceType: "test.2gpu", gpuModel: "H100", gpuCount: "2", pricingCategory: "Committed",
      })),
    });
    const sat = at("2026-01-10T12:00:00Z");
    await refreshRollups(prisma, { orgId: s2.orgId, from: sat, to: new Date(sat.getTime() + H) });
    await refreshRollups(prisma, { orgId: s2.orgId, from: TO, to: new Date(TO.getTime() + 4 * H) });

    expect((await daySums(s2.orgId)).map(({ day, gh, cost }) => ({ day, gh, cost }))).toEqual(await hourSums(s2.orgId));
    const monDay = (await daySums(s2.orgId)).find((d) => d.day === "2026-01-12")!;
    expect(Number(monDay.cost)).toBeCloseTo(Number((await daySums(s.orgId)).find((d) => d.day === "2026-01-12")!.cost) + 4 * 6.88, 8);
    const q = (from: Date, to: Date): Omit<ReportQuery, "format"> => ({ from, to, groupBy: [], filters: {}, costBasis: "effective" });
    // Saturday alone (read whole from gpu_daily): one od-0 hour less idle than in the untouched scenario
    const satReport = await runReport(prisma, { orgId: s2.orgId, kind: "gpu-hours", query: q(at("2026-01-10T00:00:00Z"), at("2026-01-11T00:00:00Z")) });
    const satBefore = await runReport(prisma, { orgId: s.orgId, kind: "gpu-hours", query: q(at("2026-01-10T00:00:00Z"), at("2026-01-11T00:00:00Z")) });
    expect(satReport.totals.idleGpuHours).toBeCloseTo(satBefore.totals.idleGpuHours - 1, 6);
    expect(await compareAll(s2.orgId, [{ from: FROM, to: at("2026-01-13T00:00:00Z") }])).toEqual([]);
  });

  it("a threshold change stales the org's days (reports stay exact) and the rollups job rebuilds them", async () => {
    const s3 = await buildScenario(prisma, "rollups-daily-threshold");
    const idleBefore = await daySums(s3.orgId);
    const { staleDays: marked, rebuild } = await setIdleThreshold(prisma, { orgId: s3.orgId, idleThreshold: 0.45 });
    expect(marked).toBe(4);
    expect(rebuild).toEqual([{ from: at("2026-01-09T00:00:00Z"), to: at("2026-01-13T00:00:00Z") }]);
    expect(await staleDays(s3.orgId)).toEqual(["2026-01-09", "2026-01-10", "2026-01-11", "2026-01-12"]);
    // Until rebuilt, reports read those days hour by hour, with the new threshold
    expect(await compareAll(s3.orgId, [{ from: FROM, to: TO }])).toEqual([]);
    const gpu = await runReport(prisma, { orgId: s3.orgId, kind: "gpu-hours", query: { from: FROM, to: TO, groupBy: [], filters: {}, costBasis: "effective" } });
    expect(gpu.idleThreshold).toBe(0.45);
    expect(gpu.totals.idleGpuHours).toBeGreaterThan(Number(idleBefore.reduce((x, d) => x + Number(d.idle_gh), 0)));

    // A refresh job of the org (any window) queues the stale days, one job per day
    const done = (await runJob({ kind: "refresh", orgId: s3.orgId, from: "2026-01-10T05:00:00.000Z", to: "2026-01-10T06:00:00.000Z" })) as { staleJobIds: string[] };
    expect(done.staleJobIds).toHaveLength(4);
    const jobs = await Promise.all(done.staleJobIds.map((id) => queue.getJob(id)));
    for (const job of jobs) await runJob(job!.data);
    expect(await staleDays(s3.orgId)).toEqual([]);
    const idleAfter = await daySums(s3.orgId);
    // idle_gpu_hours of the daily rows now follow 0.45: od-0 on weekdays (0.30) and vit-02 (0.40) become idle
    expect(idleAfter.map((d) => Number(d.idle_gh))).not.toEqual(idleBefore.map((d) => Number(d.idle_gh)));
    expect(await compareAll(s3.orgId, [{ from: FROM, to: TO }, { from: at("2026-01-09T00:00:00Z"), to: at("2026-01-13T00:00:00Z") }])).toEqual([]);
  });

  it("a GPU relinked to another billed resource stales its days until rebuilt; rebuildRollups backfills", async () => {
    const s4 = await buildScenario(prisma, "rollups-daily-relink");
    // i-nobill has no bill; the GPU turns out to be i-spot's (its bill lines carry team=vision-infra)
    await prisma.gpu.updateMany({ where: { orgId: s4.orgId, uuid: "GPU-nobill-0" }, data: { providerInstanceId: "i-spot" } });
    expect(await staleDays(s4.orgId)).toEqual(["2026-01-09", "2026-01-10", "2026-01-11", "2026-01-12"]);
    expect(await compareAll(s4.orgId, [{ from: FROM, to: TO }])).toEqual([]);
    // the hourly fan-out queues marks no refresh job handled within the grace period, one job a day
    const later = () => new Date(Date.now() + 20 * 60_000);
    const fanOut = (await rollupsProcessor.process({ data: { kind: "fan-out", lookbackHours: 1 } } as Job, { ...ctx(), now: later })) as { staleJobIds?: string[] };
    const days = ["2026-01-09", "2026-01-10", "2026-01-11", "2026-01-12"].map((d) => at(`${d}T00:00:00Z`));
    for (const d of days) {
      expect(fanOut.staleJobIds).toContain(rollupRefreshJobId({ orgId: s4.orgId, from: d, to: new Date(d.getTime() + 24 * H), cause: "stale-days" }));
    }
    // (right after the mark, the fan-out leaves them to the refresh jobs)
    const early = (await rollupsProcessor.process({ data: { kind: "fan-out", lookbackHours: 1 } } as Job, ctx())) as { staleJobIds?: string[] };
    expect((early.staleJobIds ?? []).filter((id) => id.includes(s4.orgId))).toEqual([]);
    // a whole-history rebuild (the backfill path) recomputes rates and the daily rollup, clearing the marks
    const r = await rebuildRollups(prisma, { orgId: s4.orgId });
    expect(r).toMatchObject({ from: at("2026-01-09T00:00:00Z"), to: at("2026-01-13T00:00:00Z"), chunks: 1, staleDaysCleared: 4 });
    expect(await staleDays(s4.orgId)).toEqual([]);
    // now priced from i-spot's bill for the hours that have one (h0-h5), and still exact
    const byTeam = await runReport(prisma, { orgId: s4.orgId, kind: "gpu-hours", query: { from: FROM, to: TO, groupBy: ["team"], filters: {}, costBasis: "effective" } });
    expect(byTeam.rows.find((x) => x.team === "vision-infra")).toBeDefined();
    expect(await compareAll(s4.orgId, [{ from: FROM, to: TO }])).toEqual([]);
  });

  it("`burnrate rollups rebuild --org <slug>` backfills the daily rollup of existing history", async () => {
    const s5 = await buildScenario(prisma, "rollups-daily-cli");
    // history from before the daily tables existed: hourly rows only (the migration marks their days stale)
    await prisma.$executeRaw`DELETE FROM gpu_daily WHERE org_id = ${s5.orgId}`;
    await prisma.$executeRaw`INSERT INTO rollup_stale_days (org_id, day) SELECT DISTINCT org_id, (hour AT TIME ZONE 'UTC')::date FROM gpu_hourly WHERE org_id = ${s5.orgId}`;
    expect(await compareAll(s5.orgId, [{ from: FROM, to: TO }])).toEqual([]);
    const root = path.resolve(__dirname, "../..");
    const { stdout } = await promisify(execFile)("node", [path.join(root, "bin/burnrate.mjs"), "rollups", "rebuild", "--org", s5.slug, "--json"], { cwd: root, env: globalThis.process.env });
    expect(JSON.parse(stdout)).toMatchObject({ org: s5.slug, from: "2026-01-09T00:00:00.000Z", to: "2026-01-13T00:00:00.000Z", chunks: 1, staleDaysCleared: 4 });
    expect(await staleDays(s5.orgId)).toEqual([]);
    expect((await daySums(s5.orgId)).map(({ day, gh, cost }) => ({ day, gh, cost }))).toEqual(await hourSums(s5.orgId));
    expect(await compareAll(s5.orgId, [{ from: FROM, to: TO }])).toEqual([]);
  }, 60_000);
});
