// A budget's state now: exact spend this period, the forecast of period-end spend with its range,
// and the burn-down points for the chart.
import { Prisma, type Budget, type PrismaClient } from "../db/client";
import type { BudgetView } from "../domain/alerting";
import { forecastPeriodEnd } from "./forecast";
import { DAY_MS, periodContaining, utcDay } from "./period";
import { scopeDailySpend, scopeTotal, type SpendScope } from "./spend";

export function spendScopeOf(budget: Pick<Budget, "orgId" | "scopeKind" | "scopeValue" | "currency" | "costBasis">): SpendScope {
  return { orgId: budget.orgId, scopeKind: budget.scopeKind, scopeValue: budget.scopeValue, currency: budget.currency, costBasis: budget.costBasis };
}

/** Days before the period used to learn the weekly pattern. */
const LOOKBACK_DAYS = 56;

function pct(part: Prisma.Decimal | number, whole: Prisma.Decimal): number {
  if (whole.isZero()) return 0;
  return new Prisma.Decimal(part).div(whole).mul(100).toDecimalPlaces(1).toNumber();
}

export async function budgetStatus(prisma: PrismaClient, budget: Budget, now: Date): Promise<BudgetView> {
  const period = periodContaining(budget.period, now);
  const scope = spendScopeOf(budget);
  const end = new Date(Math.min(period.end.getTime(), utcDay(now).getTime() + DAY_MS));
  const [daily, total] = await Promise.all([
    scopeDailySpend(prisma, scope, { from: new Date(period.start.getTime() - LOOKBACK_DAYS * DAY_MS), to: end }),
    scopeTotal(prisma, scope, { from: period.start, to: end }),
  ]);
  const f = forecastPeriodEnd({
    periodStart: period.start,
    periodEnd: period.end,
    asOf: utcDay(now),
    daily: daily.map((d) => ({ day: d.day, amount: Number(d.amount) })),
    lookbackDays: LOOKBACK_DAYS,
  });
  const amount = new Prisma.Decimal(budget.amount);
  // The projection is at least the exact actual (float sums of the same days can differ in the last cent).
  const actual = new Prisma.Decimal(total.total);
  const projected = Prisma.Decimal.max(actual, new Prisma.Decimal(f.projected.toFixed(2)));
  return {
    id: budget.id,
    name: budget.name,
    period: budget.period,
    periodKey: period.key,
    periodStart: period.start.toISOString(),
    periodEnd: period.end.toISOString(),
    amount: amount.toFixed(2),
    currency: budget.currency,
    scopeKind: budget.scopeKind,
    scopeValue: budget.scopeValue,
    costBasis: budget.costBasis,
    thresholds: [...budget.thresholds].sort((a, b) => a - b),
    forecastThreshold: budget.forecastThreshold,
    actual: actual.toFixed(2),
    percentUsed: pct(actual, amount),
    forecast: {
      method: f.method,
      projected: projected.toFixed(2),
      low: Prisma.Decimal.max(actual, new Prisma.Decimal(f.low.toFixed(2))).toFixed(2),
      high: Prisma.Decimal.max(projected, new Prisma.Decimal(f.high.toFixed(2))).toFixed(2),
      percentOfBudget: pct(projected, amount),
      daysSeen: f.daysSeen,
      daysLeft: f.daysLeft,
    },
    points: f.points,
    excludedCurrencies: total.excludedCurrencies,
  };
}

export type BudgetCrossing = { kind: "actual" | "forecast"; threshold: number; dedupKey: string; severity: "INFO" | "WARNING" | "CRITICAL" };

/**
 * Thresholds this status has crossed, highest first: actual ≥ t% of the amount; projected period-end
 * ≥ forecastThreshold% (a forecast crossing only while the period still has days left).
 */
export function budgetCrossings(view: BudgetView): BudgetCrossing[] {
  const amount = new Prisma.Decimal(view.amount);
  const actual = new Prisma.Decimal(view.actual);
  const out: BudgetCrossing[] = [];
  for (const t of [...view.thresholds].sort((a, b) => b - a)) {
    if (actual.gte(amount.mul(t).div(100))) {
      out.push({ kind: "actual", threshold: t, dedupKey: `budget:${view.id}:actual:${t}:${view.periodKey}`, severity: t >= 100 ? "CRITICAL" : t >= 80 ? "WARNING" : "INFO" });
    }
  }
  const ft = view.forecastThreshold;
  if (ft !== null && view.forecast.daysLeft > 0 && view.forecast.method !== "none" && new Prisma.Decimal(view.forecast.projected).gte(amount.mul(ft).div(100))) {
    out.push({ kind: "forecast", threshold: ft, dedupKey: `budget:${view.id}:forecast:${ft}:${view.periodKey}`, severity: "WARNING" });
  }
  return out;
}
