"use client";
// The Overview's period figures, for the window picked in the shared controls: spend vs the previous
// period (bills), GPU share of spend, cost per GPU-hour and per useful GPU-hour, fleet utilization and
// idle cost (gpu-hours report), the top 5 wasters and the GPU spend trend (today labelled partial).
import Link from "next/link";
import { useMemo } from "react";
import { reportParams } from "@/lib/domain/dashboard-view";
import type { BillSpend, SpendSeries, Wasters } from "@/lib/domain/dashboard-data";
import { sumDecimals } from "@/lib/domain/decimal-sum";
import { DailySpendChart } from "../charts/daily-spend-chart";
import { formatMaybeMoney, formatMaybePercent, formatMoney, formatNumber, formatPercent } from "../format";
import { useCurrentOrg } from "../org-context";
import { ErrorState, Loading } from "../dashboard/states";
import { useApi, useReport } from "../dashboard/use-api";
import { useView } from "../dashboard/use-view";
import { ViewControls } from "../dashboard/view-controls";
import { BudgetsStatus } from "./budgets-status";

function Card({ id, label, children, sub }: { id: string; label: string; children: React.ReactNode; sub?: React.ReactNode }) {
  return (
    <section className="card" aria-labelledby={`p-${id}-label`} data-testid={`period-${id}`}>
      <h2 className="label" id={`p-${id}-label`}>
        {label}
      </h2>
      {children}
      {sub ? <p className="sub">{sub}</p> : null}
    </section>
  );
}

function change(current: string, previous: string): React.ReactNode {
  const c = Number(current);
  const p = Number(previous);
  if (p === 0) return "no spend in the previous period";
  const d = (c - p) / p;
  return (
    <span className={d > 0 ? "delta-up" : "delta-down"}>
      {d > 0 ? "▲" : "▼"} {formatPercent(Math.abs(d))} vs previous period
    </span>
  );
}

export function PeriodOverview() {
  const org = useCurrentOrg();
  const { view, window, search } = useView();
  const base = useMemo(() => reportParams(window, view), [window, view]);
  const plain = useMemo(() => reportParams(window, view, { dimensions: [] }), [window, view]);
  const seriesParams = useMemo(() => {
    const p = new URLSearchParams(base);
    p.set("bucket", window.hours <= 48 ? "hour" : "day");
    return p;
  }, [base, window.hours]);
  const report = useReport("gpu-hours", base);
  const bills = useApi<BillSpend>("/api/v1/spend/bills", plain);
  const wasters = useApi<Wasters>("/api/v1/wasters", plain);
  const series = useApi<SpendSeries>("/api/v1/spend/series", seriesParams);
  const q = search ? `?${search}` : "";

  const t = report.data?.totals;
  const cur = t?.currency ?? null;
  const trend = useMemo(() => {
    if (!series.data) return null;
    const c = series.data.points.find((p) => p.currency === series.data.orgCurrency)?.currency ?? series.data.points.find((p) => p.currency)?.currency ?? null;
    if (!c) return { currency: null, rows: [] };
    const byT = new Map<string, string[]>();
    for (const p of series.data.points) if (p.currency === c) byT.set(p.t, [...(byT.get(p.t) ?? []), p.cost ?? "0"]);
    const step = series.data.bucket === "hour" ? 3_600_000 : 86_400_000;
    const rows = [];
    for (let x = Date.parse(series.data.window.from); x < Date.parse(series.data.window.to); x += step) {
      const k = new Date(x).toISOString();
      const v = sumDecimals(byT.get(k) ?? []);
      rows.push({ day: series.data.bucket === "hour" ? k.slice(0, 16).replace("T", " ") : k.slice(0, 10), total: v, gpu: v });
    }
    return { currency: c, rows };
  }, [series.data]);

  return (
    <section aria-labelledby="period-title" data-testid="period-overview">
      <h2 id="period-title" style={{ marginTop: "0.5rem" }}>
        Period view
      </h2>
      <ViewControls />
      {report.error ? <ErrorState what="the GPU-hours report" error={report.error} retry={() => report.refetch()} /> : null}
      {bills.error ? <ErrorState what="the bill spend" error={bills.error} retry={() => bills.refetch()} /> : null}
      <div className="cards">
        <Card id="spend" label="Spend this period" sub={<>All bill lines, {view.basis} cost; filters do not apply</>}>
          {bills.data ? (
            bills.data.byCurrency.length ? (
              bills.data.byCurrency.map((b) => (
                <div key={b.currency}>
                  <p className="value" data-currency={b.currency}>{formatMoney(b.current, b.currency)}</p>
                  <p className="sub">
                    {change(b.current, b.previous)} ({formatMoney(b.previous, b.currency)})
                  </p>
                </div>
              ))
            ) : (
              <p className="value">No bills</p>
            )
          ) : (
            <Loading label="Loading spend…" height={32} />
          )}
        </Card>
        <Card id="gpu-share" label="GPU share of spend" sub="GPU instances and SKUs / all bill lines">
          {bills.data ? (
            bills.data.byCurrency.map((b) => (
              <p className="value" key={b.currency}>
                {Number(b.current) > 0 ? formatPercent(Number(b.gpuCurrent) / Number(b.current)) : "—"}
                {bills.data.byCurrency.length > 1 ? <span className="muted"> {b.currency}</span> : null}
              </p>
            ))
          ) : (
            <Loading label="Loading spend…" height={32} />
          )}
        </Card>
        <Card id="cost-per-gpu-hour" label="Cost per GPU-hour" sub={t ? `${formatNumber(t.gpuHours - t.unpricedGpuHours, 0)} priced GPU-hours` : undefined}>
          {t ? <p className="value">{cur && t.costPerGpuHour ? `${formatMoney(t.costPerGpuHour, cur)}/GPU-h` : "—"}</p> : <Loading label="Loading…" height={32} />}
        </Card>
        <Card id="cost-per-useful" label="Cost per useful GPU-hour" sub="cost / Σ utilization × GPU-hours">
          {t ? <p className="value">{cur && t.costPerUsefulGpuHour ? `${formatMoney(t.costPerUsefulGpuHour, cur)}/GPU-h` : "—"}</p> : <Loading label="Loading…" height={32} />}
        </Card>
        <Card id="utilization" label="Fleet utilization (period)" sub="GPU-hour weighted, gaps excluded">
          {t ? <p className="value">{formatMaybePercent(t.meanUtilization)}</p> : <Loading label="Loading…" height={32} />}
        </Card>
        <Card id="idle-cost" label="Idle cost" sub={t ? `${formatNumber(t.idleGpuHours, 0)} idle GPU-hours (< ${formatPercent(report.data!.idleThreshold)})` : undefined}>
          {t ? <p className="value">{formatMaybeMoney(t.idleCost, cur)}</p> : <Loading label="Loading…" height={32} />}
        </Card>
      </div>
      <div className="grid-2">
        <section className="panel" aria-labelledby="wasters-gpus">
          <h2 id="wasters-gpus">Top 5 idle GPUs</h2>
          {wasters.error ? <ErrorState what="the wasters" error={wasters.error} retry={() => wasters.refetch()} /> : null}
          {!wasters.data ? (
            <Loading label="Loading wasters…" height={120} />
          ) : wasters.data.idleGpus.length === 0 ? (
            <p className="muted">No idle GPU-hours in this period.</p>
          ) : (
            <ol data-testid="idle-gpus">
              {wasters.data.idleGpus.map((g) => (
                <li key={g.id}>
                  <Link href={`/${org.slug}/fleet/${g.id}${q}`}>{g.label}</Link> ({g.model}, {g.cluster}): <strong>{formatMoney(g.idleCost, g.currency)}</strong> idle over {formatNumber(g.idleGpuHours, 0)} GPU-h
                </li>
              ))}
            </ol>
          )}
        </section>
        <section className="panel" aria-labelledby="wasters-runs">
          <h2 id="wasters-runs">Top 5 starved training runs</h2>
          {!wasters.data ? (
            <Loading label="Loading wasters…" height={120} />
          ) : wasters.data.starvedRuns.length === 0 ? (
            <p className="muted">No training run below {formatPercent(wasters.data.starvedBelow)} mean utilization.</p>
          ) : (
            <ol data-testid="starved-runs">
              {wasters.data.starvedRuns.map((r) => (
                <li key={r.id}>
                  <Link href={`/${org.slug}/training/${r.id}${q}`}>{r.name}</Link> at {formatPercent(r.meanUtilization)}: <strong>{formatMoney(r.unusedCost, r.currency)}</strong> unused of {formatMoney(r.gpuCost, r.currency)}
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
      <BudgetsStatus />
      <section className="panel" aria-labelledby="gpu-trend-title">
        <h2 id="gpu-trend-title">GPU spend trend{trend?.currency ? ` (${trend.currency})` : ""}</h2>
        {series.error ? <ErrorState what="the trend" error={series.error} retry={() => series.refetch()} /> : null}
        {!trend ? (
          <Loading label="Loading the trend…" height={240} />
        ) : !trend.currency ? (
          <p className="muted">No priced GPU-hours in this period.</p>
        ) : (
          <DailySpendChart data={trend.rows} currency={trend.currency} partialLast={window.partial} single />
        )}
      </section>
    </section>
  );
}
