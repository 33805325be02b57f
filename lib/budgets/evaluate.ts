// Budget evaluation: for every budget of an org, its status now and the thresholds it has crossed;
// each crossing is raised once per budget, threshold and period (see lib/alerts/raise.ts). When one
// evaluation finds several thresholds crossed at once (a budget created late in the month, a big
// bill), only the highest is messaged; the lower ones are recorded as superseded so they never fire
// later in the same period.
import type { PrismaClient } from "../db/client";
import { SCOPE_LABELS } from "../domain/alerting";
import { formatMoney, type AlertPayload } from "../alerts/payload";
import { raiseAlert, type Raised } from "../alerts/raise";
import { budgetCrossings, budgetStatus, spendScopeOf } from "./status";
import { topMovers } from "./spend";

export function scopeLabel(kind: keyof typeof SCOPE_LABELS, value: string | null): string {
  return kind === "ORG" ? SCOPE_LABELS.ORG : `${SCOPE_LABELS[kind]} ${value ?? ""}`.trim();
}

export async function evaluateBudgets(prisma: PrismaClient, { orgId, now }: { orgId: string; now: Date }): Promise<Array<NonNullable<Raised>>> {
  const org = await prisma.org.findUniqueOrThrow({ where: { id: orgId }, select: { slug: true } });
  const budgets = await prisma.budget.findMany({ where: { orgId }, orderBy: { createdAt: "asc" } });
  const raised: Array<NonNullable<Raised>> = [];
  for (const budget of budgets) {
    const view = await budgetStatus(prisma, budget, now);
    const crossings = budgetCrossings(view);
    if (crossings.length === 0) continue;
    const existing = new Set(
      (await prisma.alertEvent.findMany({ where: { orgId, dedupKey: { in: crossings.map((c) => c.dedupKey) } }, select: { dedupKey: true } })).map((e) => e.dedupKey),
    );
    const fresh = crossings.filter((c) => !existing.has(c.dedupKey));
    if (fresh.length === 0) continue;
    const movers = await topMovers(prisma, spendScopeOf(budget), { now });
    const money = (v: string) => formatMoney(v, view.currency);
    const highestActual = fresh.find((c) => c.kind === "actual");
    for (const c of fresh) {
      const superseded = c.kind === "actual" && c !== highestActual;
      const title =
        c.kind === "actual"
          ? `Budget "${budget.name}" reached ${c.threshold}% (${view.percentUsed}% used)`
          : `Budget "${budget.name}" is forecast to reach ${view.forecast.percentOfBudget}% by period end`;
      const summary =
        c.kind === "actual"
          ? `${money(view.actual)} spent of ${money(view.amount)} for ${view.periodKey}: the ${c.threshold}% threshold is crossed.`
          : `Projected ${money(view.forecast.projected)} (range ${money(view.forecast.low)} to ${money(view.forecast.high)}) against ${money(view.amount)} for ${view.periodKey}.`;
      const payload: AlertPayload = {
        summary,
        scopeLabel: scopeLabel(budget.scopeKind, budget.scopeValue),
        scope: { kind: budget.scopeKind, value: budget.scopeValue },
        figures: [
          { label: "Budget", value: `${money(view.amount)} per ${budget.period.toLowerCase()}` },
          { label: "Spent so far", value: `${money(view.actual)} (${view.percentUsed}%)` },
          { label: "Forecast at period end", value: `${money(view.forecast.projected)} (${view.forecast.percentOfBudget}%)` },
          { label: "Forecast range (90%)", value: `${money(view.forecast.low)} – ${money(view.forecast.high)}` },
          { label: "Threshold", value: `${c.threshold}% of ${c.kind === "actual" ? "actual" : "forecast"}` },
          { label: "Days left", value: `${view.forecast.daysLeft} of ${view.forecast.daysSeen + view.forecast.daysLeft}` },
        ],
        movers: movers.map((m) => ({ dimension: m.dimension, key: m.key, text: `+${money(m.delta)} (${money(m.previous)} → ${money(m.current)})` })),
        path: `/${org.slug}/budgets?budget=${encodeURIComponent(budget.id)}`,
        linkText: "Open the budget",
        superseded,
        data: {
          budgetId: budget.id,
          period: view.periodKey,
          threshold: c.threshold,
          crossing: c.kind,
          amount: view.amount,
          actual: view.actual,
          projected: view.forecast.projected,
          currency: view.currency,
        },
      };
      const r = await raiseAlert(prisma, {
        orgId,
        kind: c.kind === "actual" ? "BUDGET_THRESHOLD" : "BUDGET_FORECAST",
        severity: c.severity,
        dedupKey: c.dedupKey,
        title,
        payload,
        budgetId: budget.id,
        now,
      });
      if (r) raised.push(r);
    }
  }
  return raised;
}
