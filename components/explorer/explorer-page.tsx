"use client";
// Cost explorer: GPU spend over time stacked by any dimension, the gpu-hours report grouped the same
// way below it (the series of each group add up to its cost), CSV export.
import { useMemo } from "react";
import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { DIMENSION_LABELS, reportParams } from "@/lib/domain/dashboard-view";
import type { SpendSeries } from "@/lib/domain/dashboard-data";
import type { GpuHoursRow } from "@/lib/domain/reports";
import { sumDecimals } from "@/lib/domain/decimal-sum";
import { SERIES_COLORS } from "../charts/time-series-chart";
import { formatCompactMoney, formatMaybeMoney, formatMaybePercent, formatMoney, formatNumber } from "../format";
import { DataTable } from "../dashboard/data-table";
import { Empty, ErrorState, Loading } from "../dashboard/states";
import { useApi, useReport } from "../dashboard/use-api";
import { useView } from "../dashboard/use-view";
import { ViewControls } from "../dashboard/view-controls";

const MAX_SERIES = 8;

export function ExplorerPage() {
  const { view, window } = useView({ groupBy: "cluster" });
  const dim = view.groupBy ?? "cluster";
  const base = useMemo(() => reportParams(window, view), [window, view]);
  const seriesParams = useMemo(() => {
    const p = new URLSearchParams(base);
    p.set("groupBy", dim);
    p.set("bucket", window.hours <= 48 ? "hour" : "day");
    return p;
  }, [base, dim, window.hours]);
  const reportQs = useMemo(() => {
    const p = new URLSearchParams(base);
    p.set("groupBy", dim);
    return p;
  }, [base, dim]);
  const series = useApi<SpendSeries>("/api/v1/spend/series", seriesParams);
  const report = useReport("gpu-hours", reportQs);

  const chart = useMemo(() => {
    if (!series.data) return null;
    const cur = series.data.points.find((p) => p.currency === series.data.orgCurrency)?.currency ?? series.data.points.find((p) => p.currency)?.currency ?? null;
    const totals = new Map<string, string[]>();
    for (const p of series.data.points) if (p.currency === cur) totals.set(p.key, [...(totals.get(p.key) ?? []), p.cost ?? "0"]);
    const ranked = [...totals.entries()].map(([k, v]) => [k, Number(sumDecimals(v))] as const).sort((a, b) => b[1] - a[1]).map(([k]) => k);
    const keys = ranked.length > MAX_SERIES ? [...ranked.slice(0, MAX_SERIES - 1), "other"] : ranked;
    const step = series.data.bucket === "hour" ? 3_600_000 : 86_400_000;
    const byT = new Map<string, Record<string, string[]>>();
    for (const p of series.data.points) {
      if (p.currency !== cur) continue;
      const k = keys.includes(p.key) ? p.key : "other";
      const row = byT.get(p.t) ?? {};
      (row[k] ??= []).push(p.cost ?? "0");
      byT.set(p.t, row);
    }
    const rows = [];
    const last = Date.parse(series.data.window.to) - step;
    for (let x = Date.parse(series.data.window.from); x < Date.parse(series.data.window.to); x += step) {
      const iso = new Date(x).toISOString();
      const r: Record<string, string | number> = { t: window.partial && x === last ? `${iso.slice(series.data.bucket === "hour" ? 11 : 5, series.data.bucket === "hour" ? 16 : 10)} (partial)` : iso.slice(series.data.bucket === "hour" ? 11 : 5, series.data.bucket === "hour" ? 16 : 10) };
      for (const k of keys) r[k] = Number(sumDecimals(byT.get(iso)?.[k] ?? []));
      rows.push(r);
    }
    return { currency: cur, keys, rows, otherCurrencies: [...new Set(series.data.points.map((p) => p.currency).filter((c) => c && c !== cur))] };
  }, [series.data, window.partial]);

  return (
    <>
      <ViewControls groupBy groupByRequired />
      <section className="panel" aria-labelledby="stack-title">
        <h2 id="stack-title">GPU spend by {DIMENSION_LABELS[dim].toLowerCase()}{chart?.currency ? ` (${chart.currency}, ${view.basis})` : ""}</h2>
        {series.error ? (
          <ErrorState what="the spend series" error={series.error} retry={() => series.refetch()} />
        ) : !chart ? (
          <Loading label="Loading spend…" height={300} />
        ) : !chart.currency ? (
          <Empty title="No priced GPU-hours in this window" />
        ) : (
          <div style={{ width: "100%", height: 300 }} data-testid="stacked-chart">
            <ResponsiveContainer>
              <AreaChart data={chart.rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
                <XAxis dataKey="t" tick={{ fontSize: 12, fill: "#4b5563" }} minTickGap={16} />
                <YAxis tick={{ fontSize: 12, fill: "#4b5563" }} width={72} tickFormatter={(v: number) => formatCompactMoney(v, chart.currency!)} />
                <Tooltip formatter={(v, name) => [formatMoney(Number(v).toFixed(2), chart.currency!), String(name)]} />
                <Legend formatter={(v) => <span style={{ color: "#111827" }}>{v}</span>} />
                {chart.keys.map((k, i) => (
                  <Area key={k} type="linear" dataKey={k} name={k} stackId="1" stroke={SERIES_COLORS[i % SERIES_COLORS.length]} fill={SERIES_COLORS[i % SERIES_COLORS.length]} fillOpacity={0.55} isAnimationActive={false} />
                ))}
              </AreaChart>
            </ResponsiveContainer>
          </div>
        )}
        {chart?.otherCurrencies.length ? <p className="muted">Also billed in {chart.otherCurrencies.join(", ")}; the chart shows {chart.currency} only, the table every currency.</p> : null}
      </section>
      <section className="panel" aria-labelledby="explorer-table-title">
        <h2 id="explorer-table-title">By {DIMENSION_LABELS[dim].toLowerCase()}</h2>
        {report.error ? (
          <ErrorState what="the GPU-hours report" error={report.error} retry={() => report.refetch()} />
        ) : !report.data || report.isPlaceholderData ? (
          <Loading label="Loading the table…" height={200} />
        ) : !report.data.rows.length ? (
          <Empty title="No GPU-hours in this window" />
        ) : (
          <DataTable<GpuHoursRow>
            caption={`GPU spend by ${DIMENSION_LABELS[dim]}`}
            testId="explorer-table"
            csvName={`gpu-spend-by-${dim}.csv`}
            rows={report.data.rows}
            rowKey={(r) => `${r[dim]}/${r.currency}`}
            initialSort={{ key: "cost", desc: true }}
            columns={[
              { key: dim, label: DIMENSION_LABELS[dim], value: (r) => r[dim] ?? "", total: "Total" },
              { key: "cost", label: "Cost", numeric: true, value: (r) => r.cost, render: (r) => formatMaybeMoney(r.cost, r.currency), total: formatMaybeMoney(report.data.totals.cost, report.data.totals.currency) },
              { key: "gpuHours", label: "GPU-hours", numeric: true, value: (r) => r.gpuHours, render: (r) => `${formatNumber(r.gpuHours, 1)} GPU-h`, total: `${formatNumber(report.data.totals.gpuHours, 1)} GPU-h` },
              { key: "costPerGpuHour", label: "Cost per GPU-hour", numeric: true, value: (r) => r.costPerGpuHour, render: (r) => formatMaybeMoney(r.costPerGpuHour, r.currency) },
              { key: "meanUtilization", label: "Mean utilization", numeric: true, value: (r) => r.meanUtilization, render: (r) => formatMaybePercent(r.meanUtilization) },
              { key: "idleCost", label: "Idle cost", numeric: true, value: (r) => r.idleCost, render: (r) => formatMaybeMoney(r.idleCost, r.currency), total: formatMaybeMoney(report.data.totals.idleCost, report.data.totals.currency) },
              { key: "currency", label: "Currency", value: (r) => r.currency },
            ]}
          />
        )}
      </section>
    </>
  );
}
