"use client";

import { useCurrentOrg } from "../org-context";
import { DailySpendChart } from "../charts/daily-spend-chart";
import { formatMoney, formatPercent } from "../format";
import { useOverview, type OverviewResponse } from "./use-overview";
import type { Money } from "@/lib/costs/queries/overview";

function MoneyValues({ values, currency }: { values: Money[]; currency: string }) {
  // One figure per billing currency; never summed across currencies.
  const shown = values.length ? values : [{ currency, amount: "0" }];
  return (
    <>
      {shown.map((m) => (
        <p className="value" key={m.currency} data-currency={m.currency}>
          {formatMoney(m.amount, m.currency)}
        </p>
      ))}
    </>
  );
}

function Card({ id, label, children, sub }: { id: string; label: string; children: React.ReactNode; sub?: React.ReactNode }) {
  return (
    <section className="card" aria-labelledby={`${id}-label`} data-testid={`card-${id}`}>
      <h2 className="label" id={`${id}-label`}>
        {label}
      </h2>
      {children}
      {sub ? <p className="sub">{sub}</p> : null}
    </section>
  );
}

function Skeleton() {
  return (
    <div aria-busy="true" aria-live="polite">
      <p className="visually-hidden">Loading overview…</p>
      <div className="cards">
        {["a", "b", "c", "d", "e"].map((k) => (
          <div className="card" key={k}>
            <div className="skeleton" style={{ width: "50%", height: "0.9rem", marginBottom: "0.6rem" }} />
            <div className="skeleton" style={{ width: "75%" }} />
          </div>
        ))}
      </div>
      <div className="panel">
        <div className="skeleton" style={{ height: 240 }} />
      </div>
    </div>
  );
}

function chartCurrency(data: OverviewResponse): string | null {
  if (data.currencies.includes(data.org.currency)) return data.org.currency;
  return data.currencies[0] ?? null;
}

export function OverviewCards() {
  const org = useCurrentOrg();
  const { data, error, isPending, refetch, isFetching } = useOverview(org.slug);

  if (isPending) return <Skeleton />;
  if (error) {
    return (
      <div className="alert" role="alert">
        <p style={{ margin: "0 0 0.5rem" }}>Could not load the overview: {error.message}</p>
        <button className="btn" type="button" onClick={() => refetch()} disabled={isFetching}>
          Try again
        </button>
      </div>
    );
  }
  if (!data.hasBills) {
    return (
      <div className="panel empty" data-testid="overview-empty">
        <h2>No bills yet</h2>
        <p>
          No bills yet — connect a data source or run <code>npx burnrate seed --demo</code>
        </p>
      </div>
    );
  }

  const currency = chartCurrency(data);
  const series = currency ? data.daily.filter((d) => d.currency === currency) : [];
  const fallback = data.org.currency;
  return (
    <>
      <div className="cards">
        <Card id="mtd" label="This month" sub="Month to date (UTC), effective cost">
          <MoneyValues values={data.monthToDate} currency={fallback} />
        </Card>
        <Card id="last30" label="Last 30 days" sub="Effective cost">
          <MoneyValues values={data.last30Days} currency={fallback} />
        </Card>
        <Card id="gpu-spend" label="GPU spend" sub="Last 30 days, GPU instances and SKUs">
          <MoneyValues values={data.gpuLast30Days} currency={fallback} />
        </Card>
        <Card id="gpu-count" label="GPUs" sub="Seen in the last 30 days">
          <p className="value">{data.gpuCount.toLocaleString("en-US")}</p>
        </Card>
        <Card id="utilization" label="Fleet utilization" sub="Last 30 days, GPU-hour weighted">
          <p className="value">{data.fleetUtilization === null ? "No data" : formatPercent(data.fleetUtilization)}</p>
        </Card>
      </div>
      {currency ? (
        <section className="panel" aria-labelledby="trend-title">
          <h2 id="trend-title">
            Daily spend, last 30 days ({currency})
          </h2>
          {data.currencies.length > 1 ? (
            <p className="muted">Bills also arrive in {data.currencies.filter((c) => c !== currency).join(", ")}; the chart shows {currency} only.</p>
          ) : null}
          <DailySpendChart data={series} currency={currency} />
          <table className="visually-hidden">
            <caption>Daily spend in {currency}</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Total</th>
                <th scope="col">GPU</th>
              </tr>
            </thead>
            <tbody>
              {series.map((d) => (
                <tr key={d.day}>
                  <td>{d.day}</td>
                  <td>{formatMoney(d.total, currency)}</td>
                  <td>{formatMoney(d.gpu, currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}
