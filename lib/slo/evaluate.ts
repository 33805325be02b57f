// SLO evaluation (the worker's job, every 15 minutes): recompute each enabled SLO's breaches over its
// window from the hourly rollups, store them (start, end, worst value, error budget consumed), and
// raise alerts: one message per breach, and a resolve message when an alerted breach ends.
//
// Latency and success SLOs message a breach only when a multiwindow burn-rate tier fires (see
// burn-rate.ts): a blip that barely dents the budget is stored and shown, not paged. Utilization and
// spend SLOs message every breach. Spend ≤ budget: a breach is the part of a budget period in which
// the period's spend exceeds the budget (daily resolution), its worst value and budget consumed are
// spend / budget, and it ends with the period.
import type { PrismaClient, SloDefinition } from "../db/client";
import type { AlertPayload } from "../alerts/payload";
import { raiseAlert, type Raised } from "../alerts/raise";
import { budgetStatus } from "../budgets/status";
import { periodContaining } from "../budgets/period";
import { scopeLabel } from "../budgets/evaluate";
import { burnRateAlerts, eventBreaches, levelBreaches, type ComputedBreach, type TierStatus } from "./burn-rate";
import { eventSeries, utilizationSeries } from "./series";
import { describeObjective, formatSli } from "./describe";

const HOUR_MS = 3_600_000;

export type SloEvaluation = { sloId: string; breaches: ComputedBreach[]; tiers: TierStatus[]; alertSeverity: "CRITICAL" | "WARNING" | null };

export function lastCompleteHour(now: Date): number {
  return Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
}

export async function computeSlo(prisma: PrismaClient, slo: SloDefinition, now: Date): Promise<SloEvaluation> {
  const end = lastCompleteHour(now);
  const from = new Date(end - Math.max(slo.windowDays * 24, 72) * HOUR_MS);
  const to = new Date(end);
  if (slo.kind === "LATENCY" || slo.kind === "SUCCESS_RATIO") {
    const objective = slo.kind === "LATENCY" ? (slo.percentile ?? 0.95) : (slo.objective ?? 0.99);
    const series = await eventSeries(prisma, slo, { from, to });
    const breaches = eventBreaches(series, { objective, end, windowDays: slo.windowDays, worst: slo.kind === "LATENCY" ? "max" : "min" });
    const tiers = burnRateAlerts(series, { objective, end, windowDays: slo.windowDays });
    const firing = tiers.filter((t) => t.firing);
    return { sloId: slo.id, breaches, tiers, alertSeverity: firing.some((t) => t.severity === "CRITICAL") ? "CRITICAL" : firing.length ? "WARNING" : null };
  }
  if (slo.kind === "GPU_UTILIZATION") {
    const series = await utilizationSeries(prisma, slo, { from, to });
    const breaches = levelBreaches(series, { objective: slo.objective ?? 0.7, end, windowDays: slo.windowDays, direction: "atLeast" });
    return { sloId: slo.id, breaches, tiers: [], alertSeverity: "WARNING" };
  }
  // SPEND
  const budget = slo.budgetId ? await prisma.budget.findFirst({ where: { id: slo.budgetId, orgId: slo.orgId } }) : null;
  if (!budget) return { sloId: slo.id, breaches: [], tiers: [], alertSeverity: null };
  const view = await budgetStatus(prisma, budget, now);
  const amount = Number(view.amount);
  const over = view.points.find((p) => p.actual !== null && p.actual > amount);
  const breaches: ComputedBreach[] = [];
  if (over && Number(view.actual) > amount) {
    const ratio = Number(view.actual) / amount;
    breaches.push({ startedAt: Date.parse(`${over.day}T00:00:00Z`), endedAt: null, worstValue: ratio, errorBudgetConsumed: ratio, hours: 0, badEvents: 0 });
  }
  return { sloId: slo.id, breaches, tiers: [], alertSeverity: "CRITICAL" };
}

export async function evaluateSlos(prisma: PrismaClient, { orgId, now }: { orgId: string; now: Date }): Promise<Array<NonNullable<Raised>>> {
  const org = await prisma.org.findUniqueOrThrow({ where: { id: orgId }, select: { slug: true, currency: true } });
  const slos = await prisma.sloDefinition.findMany({ where: { orgId, enabled: true }, include: { workload: { select: { name: true, namespace: true } } }, orderBy: { createdAt: "asc" } });
  const raised: Array<NonNullable<Raised>> = [];
  for (const slo of slos) {
    const ev = await computeSlo(prisma, slo, now);
    const end = lastCompleteHour(now);
    const lookbackStart = new Date(end - Math.max(slo.windowDays * 24, 72) * HOUR_MS);
    const stored = [];
    for (const b of ev.breaches) {
      const row = await prisma.sloBreach.upsert({
        where: { sloId_startedAt: { sloId: slo.id, startedAt: new Date(b.startedAt) } },
        create: { orgId, sloId: slo.id, startedAt: new Date(b.startedAt), endedAt: b.endedAt === null ? null : new Date(b.endedAt), worstValue: b.worstValue, errorBudgetConsumed: b.errorBudgetConsumed },
        update: { endedAt: b.endedAt === null ? null : new Date(b.endedAt), worstValue: b.worstValue, errorBudgetConsumed: b.errorBudgetConsumed },
      });
      stored.push({ row, computed: b });
    }
    // Open breaches the recomputation no longer sees (the data changed, or a spend period ended) end now.
    const seen = new Set(stored.map((s) => s.row.id));
    const orphanEnd = slo.kind === "SPEND" ? periodContaining("MONTH", now).start : new Date(end);
    for (const o of await prisma.sloBreach.findMany({ where: { orgId, sloId: slo.id, endedAt: null, startedAt: { gte: slo.kind === "SPEND" ? new Date(0) : lookbackStart } } })) {
      if (seen.has(o.id)) continue;
      const endedAt = slo.kind === "SPEND" ? await spendPeriodEnd(prisma, slo, o.startedAt) : orphanEnd;
      const row = await prisma.sloBreach.update({ where: { id: o.id }, data: { endedAt } });
      stored.push({ row, computed: { startedAt: o.startedAt.getTime(), endedAt: endedAt.getTime(), worstValue: o.worstValue, errorBudgetConsumed: o.errorBudgetConsumed, hours: 0, badEvents: 0 } });
    }

    const objective = describeObjective(slo);
    const target = slo.workload ? `${slo.workload.namespace ? `${slo.workload.namespace}/` : ""}${slo.workload.name}` : scopeLabel(slo.scopeKind, slo.scopeValue);
    const path = `/${org.slug}/slos?slo=${encodeURIComponent(slo.id)}`;
    for (const { row, computed } of stored) {
      const breachKey = `slo-breach:${row.id}`;
      const worst = formatSli(slo, row.worstValue, org.currency);
      if (row.endedAt === null) {
        if (!ev.alertSeverity) continue;
        const firing = ev.tiers.filter((t) => t.firing);
        const payload: AlertPayload = {
          summary: `${slo.name} (${objective}) is breached since ${row.startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC; worst ${worst}.`,
          scopeLabel: target,
          scope: { kind: slo.scopeKind, value: slo.scopeValue },
          figures: [
            { label: "Objective", value: objective },
            { label: "Worst value", value: worst },
            { label: "Error budget consumed", value: `${(row.errorBudgetConsumed * 100).toFixed(1)}%` },
            { label: "Started", value: `${row.startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC` },
            ...firing.map((t) => ({ label: `Burn rate ${t.tier}`, value: `${t.long!.toFixed(1)}× (threshold ${t.threshold.toFixed(1)}×)` })),
          ],
          path,
          linkText: "Open the SLO",
          data: { sloId: slo.id, breachId: row.id, worstValue: row.worstValue, errorBudgetConsumed: row.errorBudgetConsumed },
        };
        const r = await raiseAlert(prisma, { orgId, kind: "SLO_BREACH", severity: ev.alertSeverity, dedupKey: breachKey, title: `SLO breached: ${slo.name}`, payload, sloBreachId: row.id, now });
        if (r) raised.push(r);
        continue;
      }
      const alerted = await prisma.alertEvent.findFirst({ where: { orgId, dedupKey: breachKey }, include: { deliveries: { select: { channelId: true } } } });
      if (!alerted) continue;
      const hours = Math.round((row.endedAt.getTime() - row.startedAt.getTime()) / HOUR_MS);
      const payload: AlertPayload = {
        summary: `${slo.name} (${objective}) is back within its objective after ${hours} h; worst ${worst}.`,
        scopeLabel: target,
        scope: { kind: slo.scopeKind, value: slo.scopeValue },
        figures: [
          { label: "Breach", value: `${row.startedAt.toISOString().slice(0, 16).replace("T", " ")} – ${row.endedAt.toISOString().slice(0, 16).replace("T", " ")} UTC` },
          { label: "Worst value", value: worst },
          { label: "Error budget consumed", value: `${(computed.errorBudgetConsumed * 100).toFixed(1)}%` },
        ],
        path,
        linkText: "Open the SLO",
        resolved: true,
        data: { sloId: slo.id, breachId: row.id, worstValue: row.worstValue },
      };
      const channelIds = alerted.deliveries.map((d) => d.channelId).filter((c): c is string => c !== null);
      const r = await raiseAlert(prisma, { orgId, kind: "SLO_RESOLVED", severity: "INFO", dedupKey: `slo-resolved:${row.id}`, title: `SLO resolved: ${slo.name}`, payload, sloBreachId: row.id, channelIds, now });
      if (r) raised.push(r);
    }
  }
  return raised;
}

async function spendPeriodEnd(prisma: PrismaClient, slo: SloDefinition, startedAt: Date): Promise<Date> {
  const budget = slo.budgetId ? await prisma.budget.findFirst({ where: { id: slo.budgetId, orgId: slo.orgId }, select: { period: true } }) : null;
  return periodContaining(budget?.period ?? "MONTH", startedAt).end;
}

