"use client";
// A training run's or inference service's detail: cost, utilization over time per GPU, cost breakdown,
// and for runs what the same useful work would cost at 80 % utilization; for services traffic, cost per
// 1K inferences and 1M tokens, and p95 latency against its SLO.
import Link from "next/link";
import { useMemo } from "react";
import { reportParams } from "@/lib/domain/dashboard-view";
import type { WorkloadDetail } from "@/lib/domain/dashboard-data";
import { sumDecimals } from "@/lib/domain/decimal-sum";
import { TimeSeriesChart } from "../charts/time-series-chart";
import { formatMaybeMoney, formatMaybePercent, formatMoney, formatNumber, formatPercent } from "../format";
import { useCurrentOrg } from "../org-context";
import { DataTable } from "../dashboard/data-table";
import { Empty, ErrorState, Loading } from "../dashboard/states";
import { useApi } from "../dashboard/use-api";
import { useView } from "../dashboard/use-view";
import { ViewControls } from "../dashboard/view-controls";

export const TARGET_UTILIZATION = 0.8;

/** Decimal string × a float, rounded to cents (for a what-if estimate, not an accounting sum). */
function times(amount: string, f: number): string {
  return (Number(amount) * f).toFixed(2);
}

function Card({ id, label, value, sub }: { id: string; label: string; value: React.ReactNode; sub?: React.ReactNode }) {
  return (
    <section className="card" aria-labelledby={`w-${id}`} data-testid={`w-${id}`}>
      <h2 className="label" id={`w-${id}`}>{label}</h2>
      <p className="value">{value}</p>
      {sub ? <p className="sub">{sub}</p> : null}
    </section>
  );
}

export function WorkloadDetailPage({ workloadId, section }: { workloadId: string; section: "training" | "inference" }) {
  const org = useCurrentOrg();
  const { view, window, search } = useView();
  const params = useMemo(() => reportParams(window, view, { dimensions: [] }), [window, view]);
  const { data, error, isPending, refetch } = useApi<WorkloadDetail>(`/api/v1/workloads/${encodeURIComponent(workloadId)}`, params);
  const back = `/${org.slug}/${section}${search ? `?${search}` : ""}`;
  const title = section === "training" ? "Training run" : "Inference service";

  const body = (() => {
    if (isPending) return <Loading label={`Loading the ${title.toLowerCase()}…`} height={320} />;
    if (error) return <ErrorState what={`this ${title.toLowerCase()}`} error={error} retry={() => refetch()} />;
    const t = data.totals;
    const cur = data.currency;
    const total = cur ? sumDecimals([t.gpuCost, t.cpuRamCost]) : null;
    const costPerGpuHour = cur && t.gpuCost && t.gpuHours > 0 ? Number(t.gpuCost) / t.gpuHours : null;
    const costPerUseful = cur && t.knownGpuCost && t.usefulGpuHours > 0 ? Number(t.knownGpuCost) / t.usefulGpuHours : null;
    const slo = data.slos.find((s) => s.kind === "LATENCY" && s.thresholdMs !== null);
    if (!data.hours.length) return <Empty title="Nothing in this window"><p>This {title.toLowerCase()} used no GPU and served no traffic in the window. Widen it.</p></Empty>;
    const perGpu = data.gpuSeries.slice(0, 7); // + the weighted mean = 8 distinct Okabe-Ito colours
    const utilPoints = data.hours.map((h, i) => {
      const row: Record<string, number | string | null> = { t: h.hour.slice(5, 13).replace("T", " ") + "h", mean: h.utilization === null ? null : Math.round(h.utilization * 1000) / 10 };
      perGpu.forEach((g, k) => {
        const v = g.points[i]?.[1] ?? null;
        row[`g${k}`] = v === null ? null : Math.round(v * 1000) / 10;
      });
      return row;
    });
    return (
      <>
        <div className="cards">
          <Card id="cost" label="Cost" value={formatMaybeMoney(total, cur)} sub={`GPU ${formatMaybeMoney(t.gpuCost, cur)} + CPU/RAM ${formatMaybeMoney(t.cpuRamCost ?? "0", cur)} (${data.costBasis})`} />
          <Card id="gpu-hours" label="GPU-hours" value={`${formatNumber(t.gpuHours, 1)} GPU-h`} sub={`${formatNumber(t.gpuHours - t.knownGpuHours, 1)} GPU-h without telemetry`} />
          <Card id="utilization" label="Mean utilization" value={formatMaybePercent(t.meanUtilization)} sub={`${formatNumber(t.idleGpuHours, 1)} idle GPU-h`} />
          <Card id="cost-per-useful" label="Cost per useful GPU-hour" value={costPerUseful !== null && cur ? `${formatMoney(costPerUseful.toFixed(6), cur)}/GPU-h` : "—"} sub={costPerGpuHour !== null && cur ? `vs ${formatMoney(costPerGpuHour.toFixed(6), cur)} per GPU-hour` : undefined} />
          <Card id="energy" label="Energy" value={`${formatNumber(t.energyKwh, 1)} kWh`} />
          {section === "inference" ? (
            <>
              <Card id="requests" label="Requests" value={formatNumber(t.inferences, 0)} sub={`${formatNumber(t.tokens, 0)} tokens`} />
              <Card id="per-1k" label="Cost per 1K inferences" value={cur && t.gpuCost && t.inferences > 0 ? formatMoney((Number(t.gpuCost) / t.inferences * 1000).toFixed(6), cur) : "—"} sub="GPU cost / inferences × 1,000" />
              <Card id="per-1m" label="Cost per 1M tokens" value={cur && t.gpuCost && t.tokens > 0 ? formatMoney((Number(t.gpuCost) / t.tokens * 1e6).toFixed(6), cur) : "—"} />
              <Card id="p95" label="p95 latency" value={t.p95LatencyMs === null ? "No data" : `${formatNumber(t.p95LatencyMs, 0)} ms`} sub={slo ? `SLO ${slo.name}: p${Math.round((slo.percentile ?? 0.95) * 100)} ≤ ${formatNumber(slo.thresholdMs, 0)} ms — ${t.p95LatencyMs !== null && t.p95LatencyMs <= slo.thresholdMs! ? "met" : "missed"}` : "No latency SLO defined"} />
            </>
          ) : null}
        </div>
        {section === "training" && cur && t.gpuCost && t.meanUtilization !== null ? (
          <section className="panel" aria-labelledby="at80" data-testid="at-80">
            <h2 id="at80">What the efficiency implies</h2>
            {t.meanUtilization >= TARGET_UTILIZATION ? (
              <p>This run averaged {formatPercent(t.meanUtilization)} utilization, at or above the {formatPercent(TARGET_UTILIZATION)} target.</p>
            ) : (
              <p>
                At {formatPercent(t.meanUtilization)} mean utilization this run&apos;s GPUs cost {formatMoney(t.gpuCost, cur)}. The same useful work ({formatNumber(t.usefulGpuHours, 1)} useful GPU-hours) at {formatPercent(TARGET_UTILIZATION)} utilization would need {formatNumber(t.usefulGpuHours / TARGET_UTILIZATION, 1)} GPU-hours and cost about{" "}
                <strong>{formatMoney(times(t.gpuCost, t.meanUtilization / TARGET_UTILIZATION), cur)}</strong>, saving about <strong>{formatMoney(times(t.gpuCost, 1 - t.meanUtilization / TARGET_UTILIZATION), cur)}</strong>. Below 70 % on training usually means an input-pipeline bottleneck.
              </p>
            )}
          </section>
        ) : null}
        <div className="grid-2">
          <section className="panel" aria-labelledby="util-title">
            <h2 id="util-title">Utilization over time (%)</h2>
            <TimeSeriesChart data={utilPoints} series={[{ key: "mean", label: "All GPUs (weighted)" }, ...perGpu.map((g, k) => ({ key: `g${k}`, label: g.label }))]} unit="%" domain={[0, 100]} format={(v) => `${formatNumber(v, 1)} %`} />
            {data.gpuSeries.length > perGpu.length ? <p className="muted">Showing {perGpu.length} of {data.gpuSeries.length} GPUs and the weighted mean.</p> : null}
          </section>
          <section className="panel" aria-labelledby="cost-title">
            <h2 id="cost-title">GPU cost per hour{cur ? ` (${cur})` : ""}</h2>
            <TimeSeriesChart data={data.hours.map((h) => ({ t: h.hour.slice(5, 13).replace("T", " ") + "h", cost: h.cost === null ? null : Number(h.cost) }))} series={[{ key: "cost", label: "GPU cost" }]} unit={cur ?? ""} format={(v) => (cur ? formatMoney(v.toFixed(2), cur) : String(v))} />
          </section>
          {section === "inference" ? (
            <>
              <section className="panel" aria-labelledby="req-title">
                <h2 id="req-title">Requests per hour</h2>
                <TimeSeriesChart data={data.hours.map((h) => ({ t: h.hour.slice(5, 13).replace("T", " ") + "h", req: h.inferences }))} series={[{ key: "req", label: "Requests" }]} unit="req/h" format={(v) => formatNumber(v, 0)} />
              </section>
              <section className="panel" aria-labelledby="lat-title">
                <h2 id="lat-title">p95 latency (ms){slo ? ` vs SLO ${formatNumber(slo.thresholdMs, 0)} ms` : ""}</h2>
                <TimeSeriesChart data={data.hours.map((h) => ({ t: h.hour.slice(5, 13).replace("T", " ") + "h", p95: h.p95LatencyMs, slo: slo?.thresholdMs ?? null }))} series={[{ key: "p95", label: "p95" }, ...(slo ? [{ key: "slo", label: "SLO" }] : [])]} unit="ms" format={(v) => `${formatNumber(v, 0)} ms`} />
              </section>
            </>
          ) : null}
        </div>
        <section className="panel" aria-labelledby="breakdown-title">
          <h2 id="breakdown-title">Cost breakdown</h2>
          <DataTable
            caption="GPU cost by pricing category and GPU model"
            csvName={`${data.workload.name}-cost-breakdown.csv`}
            rows={data.breakdown}
            rowKey={(b) => `${b.pricingCategory}/${b.gpuModel}/${b.currency}`}
            initialSort={{ key: "cost", desc: true }}
            columns={[
              { key: "pricingCategory", label: "Pricing category", value: (b) => b.pricingCategory, total: "GPU total" },
              { key: "gpuModel", label: "GPU model", value: (b) => b.gpuModel },
              { key: "gpuHours", label: "GPU-hours", numeric: true, value: (b) => b.gpuHours, render: (b) => `${formatNumber(b.gpuHours, 2)} GPU-h`, total: `${formatNumber(t.gpuHours, 2)} GPU-h` },
              { key: "cost", label: "Cost", numeric: true, value: (b) => b.cost, render: (b) => formatMaybeMoney(b.cost, b.currency), total: formatMaybeMoney(t.gpuCost, cur) },
            ]}
          />
          <p className="muted">CPU and RAM (allocation connector): {formatMaybeMoney(t.cpuRamCost ?? "0", cur)}{section === "inference" ? ", shown apart from the cost per inference" : ""}.</p>
        </section>
      </>
    );
  })();

  return (
    <>
      <p style={{ margin: "0 0 0.5rem" }}><Link href={back}>← {section === "training" ? "Training runs" : "Inference services"}</Link></p>
      <h1>{title} {data?.workload.name ?? ""}</h1>
      {data ? (
        <p className="muted" data-testid="workload-meta">
          namespace {data.workload.namespace || "—"} · team {data.workload.team ?? "—"} · cluster {data.workload.cluster ?? "—"}
          {data.workload.framework ? ` · ${data.workload.framework}` : ""}{data.workload.modelName ? ` · model ${data.workload.modelName}` : ""}
        </p>
      ) : null}
      <ViewControls filters={[]} />
      {body}
    </>
  );
}
