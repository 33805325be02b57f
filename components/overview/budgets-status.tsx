"use client";
// The Overview's budget panel: every budget's spend this period against its amount, the forecast at
// period end, and its status, each linking to the budget's burn-down on the Budgets page.
import Link from "next/link";
import type { BudgetView } from "@/lib/domain/alerting";
import { BUDGET_TONE, budgetScopeText, budgetStatus } from "../alerting/budget-status";
import { ErrorState, Loading } from "../dashboard/states";
import { useApi } from "../dashboard/use-api";
import { formatMoney } from "../format";
import { useCurrentOrg } from "../org-context";

const NO_PARAMS = new URLSearchParams();

export function BudgetsStatus() {
  const org = useCurrentOrg();
  const budgets = useApi<{ budgets: BudgetView[]; asOf: string }>("/api/v1/budgets", NO_PARAMS);
  return (
    <section className="panel" aria-labelledby="budgets-title" data-testid="budgets-status">
      <h2 id="budgets-title">Budgets</h2>
      {budgets.error ? <ErrorState what="the budgets" error={budgets.error} retry={() => budgets.refetch()} /> : null}
      {!budgets.data ? (
        budgets.error ? null : <Loading label="Loading budgets…" height={80} />
      ) : budgets.data.budgets.length === 0 ? (
        <p className="muted">
          No budgets yet. <Link href={`/${org.slug}/budgets`}>Create one</Link> to track spend against it and get alerts.
        </p>
      ) : (
        <table className="data" aria-labelledby="budgets-title">
          <thead>
            <tr>
              <th scope="col">Budget</th>
              <th scope="col">Scope</th>
              <th scope="col">Period</th>
              <th scope="col" className="num">Spent</th>
              <th scope="col" className="num">of</th>
              <th scope="col" className="num">Used</th>
              <th scope="col" className="num">Forecast at period end</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {budgets.data.budgets.map((b) => {
              const s = budgetStatus(b);
              return (
                <tr key={b.id} data-budget-id={b.id}>
                  <td>
                    <Link href={`/${org.slug}/budgets?budget=${encodeURIComponent(b.id)}`}>{b.name}</Link>
                  </td>
                  <td>{budgetScopeText(b)}</td>
                  <td>{b.periodKey}</td>
                  <td className="num">{formatMoney(b.actual, b.currency)}</td>
                  <td className="num">{formatMoney(b.amount, b.currency)}</td>
                  <td className="num">{b.percentUsed}%</td>
                  <td className="num">{b.forecast.method === "none" ? "no data yet" : `${formatMoney(b.forecast.projected, b.currency)} (${b.forecast.percentOfBudget}%)`}</td>
                  <td>
                    <span className="badge" style={BUDGET_TONE[s.tone]}>
                      {s.text}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
