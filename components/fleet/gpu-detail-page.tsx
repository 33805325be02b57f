"use client";
// One GPU: utilization, memory and power over time, its cost, and the workloads that ran on it.
import Link from "next/link";
import { useMemo } from "react";
import { reportParams } from "@/lib/domain/dashboard-view";
import type { GpuDetail } from "@/lib/domain/fleet";
import { sumDecimals } from "@/lib/domain/decimal-sum";
import { TimeSeriesChart } from "../charts/time-series-chart";
import { formatMaybeMoney, formatMaybePercent, formatNumber, formatPercent } from "../format";
import { useCurrentOrg } from "../org-context";
import { DataTable } from "../dashboard/data-table";
import { Empty, ErrorState, Loading } from "../dashboard/states";
import { useApi } from "../dashboard/use-api";
import { useView } from "../dashboard/use-view";
import { ViewControls } from "../dashboard/view-controls";

export function GpuDetailPage({ gpuId }: { gpuId: string }) {
  const org = useCurrentOrg();
  const { view, window, search } = useView();
  const params = useMemo(() => reportParams(window, view, { dimensions: [] }), [window, view]);
  const { data, error, isPending, refetch } = useApi<GpuDetail>(`/api/v1/fleet/gpus/${encodeURIComponent(gpuId)}`, params);
  const back = `/${org.slug}/fleet${search ? `?${search}` : ""}`;

  const body = (() => {
    if (isPending) return <Loading label="Loading the GPU…" height={300} />;
    if (error) return <ErrorState what="this GPU" error={error} retry={() => refetch()} />;
    const cur = data.hours.find((h) => h.currency)?.currency ?? null;
    const cost = cur ? sumDecimals(data.hours.map((h) => h.cost)) : null;
    const known = data.hours.filter((h) => h.utilization !== null);
    const kh = known.reduce((s, h) => s + h.gpuHours, 0);
    const mean = kh > 0 ? known.reduce((s, h) => s + h.utilization! * h.gpuHours, 0) / kh : null;
    const idle = known.filter((h) => h.utilization! < data.idleThreshold);
    const idleCost = cur ? sumDecimals(idle.map((h) => h.cost)) : null;
    const points = data.hours.map((h) => ({
      t: h.hour.slice(5, 13).replace("T", " ") + "h",
      util: h.utilization === null ? null : Math.round(h.utilization * 1000) / 10,
      mem: h.memUsedMib === null ? null : Math.round(h.memUsedMib) / 1024,
      power: h.powerW,
    }));
    return (
      <>
        <div className="cards">
          <section className="card" aria-labelledby="g-hours"><h2 className="label" id="g-hours">GPU-hours</h2><p className="value">{formatNumber(data.hours.reduce((s, h) => s + h.gpuHours, 0), 2)} GPU-h</p><p className="sub">{data.hours.length - known.length} hours without telemetry</p></section>
          <section className="card" aria-labelledby="g-util"><h2 className="label" id="g-util">Mean utilization</h2><p className="value">{formatMaybePercent(mean)}</p></section>
          <section className="card" aria-labelledby="g-cost"><h2 className="label" id="g-cost">Cost</h2><p className="value" data-testid="gpu-cost">{formatMaybeMoney(cost, cur)}</p><p className="sub">{data.costBasis} cost basis</p></section>
          <section className="card" aria-labelledby="g-idle"><h2 className="label" id="g-idle">Idle cost</h2><p className="value">{formatMaybeMoney(idleCost, cur)}</p><p className="sub">{idle.length} hours below {formatPercent(data.idleThreshold)}</p></section>
        </div>
        {data.hours.length === 0 ? (
          <Empty title="No GPU-hours in this window"><p>This GPU reported nothing in the window. Widen it.</p></Empty>
        ) : (
          <div className="grid-2">
            <section className="panel" aria-labelledby="c-util"><h2 id="c-util">Utilization (%)</h2><TimeSeriesChart data={points} series={[{ key: "util", label: "Utilization" }]} unit="%" domain={[0, 100]} format={(v) => `${formatNumber(v, 1)} %`} /></section>
            <section className="panel" aria-labelledby="c-mem"><h2 id="c-mem">Memory used (GiB)</h2><TimeSeriesChart data={points} series={[{ key: "mem", label: "Memory used" }]} unit="GiB" format={(v) => `${formatNumber(v, 1)} GiB`} /></section>
            <section className="panel" aria-labelledby="c-power"><h2 id="c-power">Power (W)</h2><TimeSeriesChart data={points} series={[{ key: "power", label: "Power" }]} unit="W" format={(v) => `${formatNumber(v, 0)} W`} /></section>
          </div>
        )}
        <section className="panel" aria-labelledby="g-workloads">
          <h2 id="g-workloads">Workloads on this GPU</h2>
          {data.workloads.length === 0 ? (
            <p className="muted">No workload held this GPU in the window.</p>
          ) : (
            <DataTable
              caption="Workloads that ran on this GPU"
              csvName={`gpu-${data.gpu.uuid}-workloads.csv`}
              rows={data.workloads}
              rowKey={(w) => w.id}
              initialSort={{ key: "cost", desc: true }}
              columns={[
                { key: "name", label: "Workload", value: (w) => w.name, render: (w) => (w.kind === "TRAINING_RUN" ? <Link href={`/${org.slug}/training/${w.id}${search ? `?${search}` : ""}`}>{w.name}</Link> : w.kind === "INFERENCE_SERVICE" ? <Link href={`/${org.slug}/inference/${w.id}${search ? `?${search}` : ""}`}>{w.name}</Link> : w.name) },
                { key: "kind", label: "Kind", value: (w) => w.kind.toLowerCase().replace("_", " ") },
                { key: "namespace", label: "Namespace", value: (w) => w.namespace },
                { key: "hours", label: "Hours", numeric: true, value: (w) => w.hours, render: (w) => `${w.hours} h` },
                { key: "gpuHours", label: "GPU-hours", numeric: true, value: (w) => w.gpuHours, render: (w) => `${formatNumber(w.gpuHours, 2)} GPU-h` },
                { key: "meanUtilization", label: "Mean utilization", numeric: true, value: (w) => w.meanUtilization, render: (w) => formatMaybePercent(w.meanUtilization) },
                { key: "cost", label: "Cost", numeric: true, value: (w) => w.cost, render: (w) => formatMaybeMoney(w.cost, w.currency) },
              ]}
            />
          )}
        </section>
      </>
    );
  })();

  return (
    <>
      <p style={{ margin: "0 0 0.5rem" }}><Link href={back}>← GPU fleet</Link></p>
      <h1>GPU {data?.gpu.label ?? ""}</h1>
      {data ? (
        <p className="muted" data-testid="gpu-meta">
          {data.gpu.model}{data.gpu.migProfile ? ` (MIG ${data.gpu.migProfile})` : ""} · cluster {data.gpu.cluster} · node {data.gpu.node}
          {data.gpu.instanceType ? ` · ${data.gpu.instanceType}` : ""} · UUID <code>{data.gpu.uuid}</code>
        </p>
      ) : null}
      <ViewControls filters={[]} />
      {body}
    </>
  );
}
