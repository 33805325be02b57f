// An SLO as its page shows it: objective, current SLI over the window, error budget left, status, the
// burn-rate tiers now, and its breach history (last 90 days).
import type { PrismaClient, SloDefinition } from "../db/client";
import { scopeLabel } from "../budgets/evaluate";
import { budgetStatus } from "../budgets/status";
import { eventWindowStatus, levelWindowStatus } from "./burn-rate";
import { computeSlo, lastCompleteHour } from "./evaluate";
import { describeObjective, formatSli } from "./describe";
import { eventSeries, utilizationSeries } from "./series";

export type SloView = {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
  objective: string;
  target: string;
  windowDays: number;
  sli: number | null;
  sliText: string;
  errorBudgetLeft: number | null;
  status: "ok" | "breached" | "no-data" | "disabled";
  tiers: Array<{ tier: string; severity: string; threshold: number; long: number | null; short: number | null; firing: boolean }>;
  breaches: Array<{ id: string; startedAt: string; endedAt: string | null; worstValue: number; worstText: string; errorBudgetConsumed: number }>;
};

const HOUR_MS = 3_600_000;

export async function sloView(prisma: PrismaClient, slo: SloDefinition & { workload: { name: string; namespace: string } | null }, now: Date): Promise<SloView> {
  const end = lastCompleteHour(now);
  const from = new Date(end - slo.windowDays * 24 * HOUR_MS);
  const to = new Date(end);
  let sli: number | null = null;
  let errorBudgetLeft: number | null = null;
  let tiers: SloView["tiers"] = [];
  if (slo.kind === "LATENCY" || slo.kind === "SUCCESS_RATIO") {
    const objective = slo.kind === "LATENCY" ? (slo.percentile ?? 0.95) : (slo.objective ?? 0.99);
    const series = await eventSeries(prisma, slo, { from, to });
    const w = eventWindowStatus(series, { objective, end, windowDays: slo.windowDays });
    // For latency the SLI shown is the window's share of fast requests (the objective is on it).
    sli = w.sli;
    errorBudgetLeft = w.errorBudgetLeft;
    tiers = (await computeSlo(prisma, slo, now)).tiers;
  } else if (slo.kind === "GPU_UTILIZATION") {
    const series = await utilizationSeries(prisma, slo, { from, to });
    const w = levelWindowStatus(series, { objective: slo.objective ?? 0.7, end, windowDays: slo.windowDays, direction: "atLeast" });
    sli = w.sli;
    errorBudgetLeft = w.hoursWithData ? w.errorBudgetLeft : null;
  } else {
    const budget = slo.budgetId ? await prisma.budget.findFirst({ where: { id: slo.budgetId, orgId: slo.orgId } }) : null;
    if (budget) {
      const v = await budgetStatus(prisma, budget, now);
      sli = Number(v.actual) / Number(v.amount);
      errorBudgetLeft = 1 - sli;
    }
  }
  const breaches = await prisma.sloBreach.findMany({
    where: { orgId: slo.orgId, sloId: slo.id, startedAt: { gte: new Date(now.getTime() - 90 * 24 * HOUR_MS) } },
    orderBy: { startedAt: "desc" },
    take: 200,
  });
  const open = breaches.some((b) => b.endedAt === null);
  const sliText =
    slo.kind === "LATENCY" ? (sli === null ? "no data" : `${(sli * 100).toFixed(2)}% of requests ≤ ${slo.thresholdMs} ms`) : formatSli(slo, sli);
  return {
    id: slo.id,
    name: slo.name,
    kind: slo.kind,
    enabled: slo.enabled,
    objective: describeObjective(slo),
    target: slo.workload ? `${slo.workload.namespace ? `${slo.workload.namespace}/` : ""}${slo.workload.name}` : slo.kind === "SPEND" ? "budget" : scopeLabel(slo.scopeKind, slo.scopeValue),
    windowDays: slo.windowDays,
    sli,
    sliText,
    errorBudgetLeft,
    status: !slo.enabled ? "disabled" : open ? "breached" : sli === null ? "no-data" : "ok",
    tiers,
    breaches: breaches.map((b) => ({
      id: b.id,
      startedAt: b.startedAt.toISOString(),
      endedAt: b.endedAt?.toISOString() ?? null,
      worstValue: b.worstValue,
      worstText: formatSli(slo, b.worstValue),
      errorBudgetConsumed: b.errorBudgetConsumed,
    })),
  };
}

export async function listSloViews(prisma: PrismaClient, orgId: string, now: Date): Promise<SloView[]> {
  const slos = await prisma.sloDefinition.findMany({ where: { orgId }, include: { workload: { select: { name: true, namespace: true } } }, orderBy: { name: "asc" } });
  const out: SloView[] = [];
  for (const s of slos) out.push(await sloView(prisma, s, now));
  return out;
}
