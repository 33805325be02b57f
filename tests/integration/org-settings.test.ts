// Settings → Organization through the wrapped action: a changed idle threshold stales the daily
// rollup's days, queues their rebuild, and the idle report then shows the figures that the hourly rows
// give with the new threshold (computed here straight from gpu_hourly), before and after the rebuild.
import { randomBytes } from "node:crypto";
import type { Job } from "bullmq";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { orgActions } from "@/lib/actions";
import { runReport } from "@/lib/costs/run-report";
import { createProducers, closeQueues } from "@/lib/queue/producers";
import { QUEUES } from "@/lib/queue/contracts";
import { logger } from "@/lib/log";
import { rollupsProcessor } from "@/workers/processors/rollups";
import type { SessionUser } from "@/lib/auth/session";
import type { RoleName } from "@/lib/domain/roles";
import { buildScenario, FROM, TO, type Scenario } from "./reports-scenario.fixture";

const prisma = createPrisma(process.env.DATABASE_URL!, 4);
const run = randomBytes(3).toString("hex");
// the action queues through the process-wide producers (QUEUE_PREFIX of this test file)
const queue = new Queue(QUEUES.rollups, { connection: { url: process.env.REDIS_URL! }, prefix: process.env.QUEUE_PREFIX! });
const producers = createProducers({ redisUrl: process.env.REDIS_URL!, prefix: `${process.env.QUEUE_PREFIX!}-side` });
let s: Scenario;
let admin: SessionUser;

async function userWithRole(orgId: string, label: string, role: RoleName): Promise<SessionUser> {
  const email = `${label}-${run}@org-settings.test`;
  const u = await prisma.user.create({ data: { email, name: label } });
  await prisma.membership.create({ data: { orgId, userId: u.id, role } });
  return { id: u.id, email, name: label };
}

/** Idle GPU-hours and idle cost (USD, effective rate) of the window, from gpu_hourly with threshold `thr`
 * (unknown utilization is never idle: GREATEST would turn NULL into 0, hence the IS NOT NULL). */
async function expectedIdle(orgId: string, thr: number) {
  const [r] = await prisma.$queryRaw<Array<{ idle_gh: number; idle_cost: string }>>`
    SELECT COALESCE(round(SUM(gpu_hours) FILTER (WHERE utilization IS NOT NULL AND LEAST(GREATEST(utilization, 0), 1) < ${thr}::float8), 6), 0)::float8 AS idle_gh,
           trim_scale(COALESCE(SUM(rate * gpu_hours) FILTER (WHERE rate IS NOT NULL AND utilization IS NOT NULL AND LEAST(GREATEST(utilization, 0), 1) < ${thr}::float8), 0))::text AS idle_cost
    FROM gpu_hourly WHERE org_id = ${orgId} AND hour >= ${FROM} AND hour < ${TO}`;
  return { idleGpuHours: r!.idle_gh, idleCost: r!.idle_cost };
}

async function idleTotals(orgId: string) {
  const rep = await runReport(prisma, { orgId, kind: "idle", query: { from: FROM, to: TO, groupBy: [], filters: {}, costBasis: "effective" } });
  const usd = rep.totals.byCurrency.find((c) => c.currency === "USD");
  return { idleThreshold: rep.idleThreshold, idleGpuHours: rep.totals.idleGpuHours, idleCost: usd?.idleCost ?? null };
}

const staleDays = async (orgId: string) =>
  (await prisma.$queryRaw<Array<{ day: string }>>`SELECT day::text AS day FROM rollup_stale_days WHERE org_id = ${orgId} ORDER BY day`).map((r) => r.day);

beforeAll(async () => {
  s = await buildScenario(prisma, "org-settings");
  admin = await userWithRole(s.orgId, "admin", "ADMIN");
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await producers.close();
  await closeQueues();
  await prisma.$disconnect();
});

const settingsInput = (over: Record<string, unknown> = {}) => ({
  name: "Renamed Org",
  currency: "USD",
  idleThresholdPercent: 5,
  teamTagKey: "owner",
  runLabelKeys: ["training.run-id", "run_id", "job"],
  ...over,
});

describe("updateOrgSettings", () => {
  it("changing the idle threshold restates idle figures from the hourly rows and queues the rebuild of the stale days", async () => {
    // before: the report agrees with gpu_hourly at the default 5%
    const before = await idleTotals(s.orgId);
    expect(before.idleThreshold).toBe(0.05);
    const exp5 = await expectedIdle(s.orgId, 0.05);
    expect({ idleGpuHours: before.idleGpuHours, idleCost: before.idleCost }).toEqual(exp5);

    const res = await orgActions.updateOrgSettings.asUser(admin)(s.slug, settingsInput({ idleThresholdPercent: 45 }));
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.data.idleThresholdChanged).toBe(true);
    expect(res.data.staleDays).toBe(4);
    expect(res.data.settings).toMatchObject({ name: "Renamed Org", currency: "USD", idleThresholdPercent: 45, teamTagKey: "owner", runLabelKeys: ["training.run-id", "run_id", "job"], currencyLocked: true });
    const org = await prisma.org.findUniqueOrThrow({ where: { id: s.orgId } });
    expect(org.idleThreshold.toString()).toBe("0.45");
    expect(org.runLabelKeys).toEqual(["training.run-id", "run_id", "job"]);
    expect(await staleDays(s.orgId)).toEqual(["2026-01-09", "2026-01-10", "2026-01-11", "2026-01-12"]);

    // one refresh job per stale day is queued
    expect(res.data.rebuildJobIds).toHaveLength(4);
    const jobs = await Promise.all(res.data.rebuildJobIds.map((id) => queue.getJob(id)));
    for (const job of jobs) expect(job?.data).toMatchObject({ kind: "refresh", orgId: s.orgId, cause: "stale-days" });

    // right away (days stale, read hour by hour): the figures of the new threshold
    const exp45 = await expectedIdle(s.orgId, 0.45);
    expect(exp45.idleGpuHours).toBeGreaterThan(exp5.idleGpuHours);
    const now = await idleTotals(s.orgId);
    expect(now.idleThreshold).toBe(0.45);
    expect({ idleGpuHours: now.idleGpuHours, idleCost: now.idleCost }).toEqual(exp45);

    // the queued jobs rebuild the daily rollup with 0.45 and clear the marks; same figures from it
    const ctx = { prisma, producers, log: logger, now: () => new Date() };
    for (const job of jobs) await rollupsProcessor.process({ data: job!.data } as Job, ctx);
    expect(await staleDays(s.orgId)).toEqual([]);
    const rebuilt = await idleTotals(s.orgId);
    expect({ idleGpuHours: rebuilt.idleGpuHours, idleCost: rebuilt.idleCost }).toEqual(exp45);
  }, 60_000);

  it("saving without a threshold change marks nothing stale and queues nothing", async () => {
    const res = await orgActions.updateOrgSettings.asUser(admin)(s.slug, settingsInput({ idleThresholdPercent: 45, name: "Renamed Again" }));
    expect(res.ok && res.data).toMatchObject({ idleThresholdChanged: false, staleDays: 0, rebuildJobIds: [] });
    expect(await staleDays(s.orgId)).toEqual([]);
    expect((await prisma.org.findUniqueOrThrow({ where: { id: s.orgId } })).name).toBe("Renamed Again");
  });

  it("keeps the reporting currency once bills exist (409) and changes nothing", async () => {
    const before = await prisma.org.findUniqueOrThrow({ where: { id: s.orgId } });
    const res = await orgActions.updateOrgSettings.asUser(admin)(s.slug, settingsInput({ currency: "EUR", idleThresholdPercent: 10, name: "Nope" }));
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.status).toBe(409);
    expect(await prisma.org.findUniqueOrThrow({ where: { id: s.orgId } })).toEqual(before);
  });

  it("lets an org without bills change its currency", async () => {
    const fresh = await prisma.org.create({ data: { slug: `os-fresh-${run}`, name: "Fresh" } });
    const a = await userWithRole(fresh.id, "fresh-admin", "ADMIN");
    const res = await orgActions.updateOrgSettings.asUser(a)(fresh.slug, settingsInput({ currency: "eur" }));
    expect(res.ok && res.data.settings).toMatchObject({ currency: "EUR", currencyLocked: false, idleThresholdPercent: 5 });
  });

  it("rejects invalid input (422) and non-admins (403)", async () => {
    for (const bad of [{ idleThresholdPercent: 101 }, { idleThresholdPercent: -1 }, { idleThresholdPercent: 5.001 }, { runLabelKeys: [] }, { runLabelKeys: ["a", "a"] }, { teamTagKey: "has space" }]) {
      const res = await orgActions.updateOrgSettings.asUser(admin)(s.slug, settingsInput(bad));
      expect(res.ok, JSON.stringify(bad)).toBe(false);
      if (!res.ok) expect(res.error.status).toBe(422);
    }
    const finance = await userWithRole(s.orgId, "finance", "FINANCE");
    const res = await orgActions.updateOrgSettings.asUser(finance)(s.slug, settingsInput({ idleThresholdPercent: 20 }));
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.status).toBe(403);
    expect((await prisma.org.findUniqueOrThrow({ where: { id: s.orgId } })).idleThreshold.toString()).toBe("0.45");
  });
});
