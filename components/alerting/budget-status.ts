// How a budget stands, shared by the Budgets page and the Overview's budget panel.
import { SCOPE_LABELS, type BudgetView } from "@/lib/domain/alerting";

export type BudgetTone = "bad" | "warn" | "ok";

export function budgetStatus(b: BudgetView): { text: string; tone: BudgetTone } {
  if (Number(b.actual) > Number(b.amount)) return { text: "Over budget", tone: "bad" };
  if (b.forecast.method !== "none" && Number(b.forecast.projected) > Number(b.amount)) return { text: "Forecast over", tone: "warn" };
  return { text: "On track", tone: "ok" };
}

/** Badge colours: dark text on light tints, over 7:1 contrast each; the text says the status too. */
export const BUDGET_TONE: Record<BudgetTone, { background: string; color: string }> = {
  bad: { background: "#fef2f2", color: "#7f1d1d" },
  warn: { background: "#fff7ed", color: "#7c2d12" },
  ok: { background: "#f0fdf4", color: "#14532d" },
};

export function budgetScopeText(b: BudgetView): string {
  return b.scopeKind === "ORG" ? SCOPE_LABELS.ORG : `${SCOPE_LABELS[b.scopeKind]}: ${b.scopeValue}`;
}
