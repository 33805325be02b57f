"use client";
// GPU fleet: the idle-GPU heatmap (rows grouped and sorted in the URL), its legend and tooltip, the
// fleet's idle figures, and the GPUs as a sortable, exportable table.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { heatmapBucket, reportParams } from "@/lib/domain/dashboard-view";
import type { GpuDetail, HeatmapGpu, HeatmapResponse } from "@/lib/domain/fleet";
import { sumDecimals } from "@/lib/domain/decimal-sum";
import { formatMaybeMoney, formatMaybePercent, formatNumber, formatPercent } from "../format";
import { useCurrentOrg } from "../org-context";
import { DataTable } from "../dashboard/data-table";
import { Empty, ErrorState, Loading } from "../dashboard/states";
import { useApi } from "../dashboard/use-api";
import { useView } from "../dashboard/use-view";
import { ViewControls } from "../dashboard/view-controls";
import { currentSearch, replaceSearch } from "../dashboard/replace-search";
import { HeatmapCanvas, type HeatmapRow } from "./heatmap-canvas";
import { GAP_COLOR, IDLE_COLOR, NONE_COLOR, cellKind, decodeCells, rampLegend } from "./heatmap-colors";

const SORTS = { cluster: "Cluster", node: "Node", model: "GPU model", utilization: "Utilization (lowest first)", idleCost: "Idle cost (highest first)" } as const;
type SortKey = keyof typeof SORTS;
const GROUPS = { none: "No grouping", cluster: "Cluster", node: "Node", model: "GPU model" } as const;
type GroupKey = keyof typeof GROUPS;

function compare(key: SortKey) {
  return (a: HeatmapGpu, b: HeatmapGpu): number => {
    switch (key) {
      case "cluster":
        return a.cluster.localeCompare(b.cluster) || a.node.localeCompare(b.node, "en", { numeric: true }) || a.label.localeCompare(b.label, "en", { numeric: true });
      case "node":
        return a.node.localeCompare(b.node, "en", { numeric: true }) || a.label.localeCompare(b.label, "en", { numeric: true });
      case "model":
        return a.model.localeCompare(b.model) || a.label.localeCompare(b.label, "en", { numeric: true });
      case "utilization":
        return (a.meanUtilization ?? 2) - (b.meanUtilization ?? 2) || a.label.localeCompare(b.label, "en", { numeric: true });
      case "idleCost":
        return Number(b.idleCost ?? 0) - Number(a.idleCost ?? 0) || a.label.localeCompare(b.label, "en", { numeric: true });
    }
  };
}

export function FleetPage() {
  const org = useCurrentOrg();
  const router = useRouter();
  const { view, window, search } = useView();
  const params = useMemo(() => {
    const p = reportParams(window, view);
    p.set("bucket", heatmapBucket(window.hours));
    return p;
  }, [window, view]);
  const { data, error, isPending, refetch, isPlaceholderData } = useApi<HeatmapResponse>("/api/v1/fleet/heatmap", params);
  const urlParams = new URLSearchParams(search);
  const sort = (urlParams.get("sort") as SortKey) in SORTS ? (urlParams.get("sort") as SortKey) : "cluster";
  const group = (urlParams.get("group") as GroupKey) in GROUPS ? (urlParams.get("group") as GroupKey) : "none";
  const setParam = (k: string, v: string) => {
    const p = currentSearch();
    p.set(k, v);
    replaceSearch(router, p);
  };

  const cells = useMemo(() => (data ? decodeCells(data.cells) : new Int16Array(0)), [data]);
  const rows = useMemo<HeatmapRow[]>(() => {
    if (!data) return [];
    const order = data.gpus.map((_, i) => i).sort((a, b) => compare(sort)(data.gpus[a]!, data.gpus[b]!));
    if (group === "none") return order.map((index) => ({ kind: "gpu", index }));
    const key = (g: HeatmapGpu) => (group === "cluster" ? g.cluster : group === "node" ? `${g.cluster} / ${g.node}` : g.model);
    const groups = new Map<string, number[]>();
    for (const i of order) {
      const k = key(data.gpus[i]!);
      groups.set(k, [...(groups.get(k) ?? []), i]);
    }
    const out: HeatmapRow[] = [];
    for (const k of [...groups.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }))) {
      const members = groups.get(k)!;
      const idle = sumDecimals(members.map((i) => data.gpus[i]!.idleCost));
      out.push({ kind: "group", label: `${k} · ${members.length} GPUs · idle ${formatMaybeMoney(idle, data.orgCurrency)}` });
      for (const i of members) out.push({ kind: "gpu", index: i });
    }
    return out;
  }, [data, sort, group]);

  const [hover, setHover] = useState<{ gpu: HeatmapGpu; column: number; value: number; x: number; y: number } | null>(null);
  const detailParams = useMemo(() => (hover ? reportParams(window, view, { dimensions: [] }) : null), [hover, window, view]);
  const detail = useApi<GpuDetail>(hover ? `/api/v1/fleet/gpus/${hover.gpu.id}` : "/api/v1/fleet/gpus/none", detailParams, { enabled: Boolean(hover) });

  if (isPending) return <Shell><Loading label="Loading the GPU fleet…" height={420} /></Shell>;
  if (error) return <Shell><ErrorState what="the GPU fleet" error={error} retry={() => refetch()} /></Shell>;
  if (!data.gpus.length) {
    return (
      <Shell>
        <Empty title="No GPU-hours in this window">
          <p>No GPU reported in this window with these filters. Widen the window or clear the filters; telemetry connectors live in Settings.</p>
        </Empty>
      </Shell>
    );
  }

  const columnMs = data.bucket === "hour" ? 3_600_000 : 86_400_000;
  const start = Date.parse(data.window.from);
  const currencies = [...new Set(data.gpus.map((g) => g.currency).filter((c): c is string => Boolean(c)))];
  const cur = currencies.length === 1 ? currencies[0]! : null;
  const known = data.gpus.reduce((s, g) => s + g.knownGpuHours, 0);
  const useful = data.gpus.reduce((s, g) => s + (g.meanUtilization ?? 0) * g.knownGpuHours, 0);
  const idleHours = data.gpus.reduce((s, g) => s + g.idleGpuHours, 0);
  const totalCost = cur ? sumDecimals(data.gpus.map((g) => g.cost)) : null;
  const idleCost = cur ? sumDecimals(data.gpus.map((g) => g.idleCost)) : null;
  const kind = hover ? cellKind(hover.value, data.idleThreshold) : null;
  const hoverHours = hover && detail.data && detail.data.gpu.id === hover.gpu.id
    ? detail.data.hours.filter((h) => {
        const t = Date.parse(h.hour);
        return t >= start + hover.column * columnMs && t < start + (hover.column + 1) * columnMs;
      })
    : null;

  return (
    <Shell>
      <div className="cards" data-testid="fleet-cards">
        <section className="card" aria-labelledby="fc-gpus">
          <h2 className="label" id="fc-gpus">GPUs</h2>
          <p className="value">{data.gpus.length.toLocaleString("en-US")}</p>
          <p className="sub">with GPU-hours in the window</p>
        </section>
        <section className="card" aria-labelledby="fc-util">
          <h2 className="label" id="fc-util">Mean utilization</h2>
          <p className="value">{known > 0 ? formatPercent(useful / known) : "No data"}</p>
          <p className="sub">GPU-hour weighted, gaps excluded</p>
        </section>
        <section className="card" aria-labelledby="fc-idle-h">
          <h2 className="label" id="fc-idle-h">Idle GPU-hours</h2>
          <p className="value">{formatNumber(idleHours, 1)} GPU-h</p>
          <p className="sub">utilization below {formatPercent(data.idleThreshold)}</p>
        </section>
        <section className="card" aria-labelledby="fc-idle-cost">
          <h2 className="label" id="fc-idle-cost">Idle cost</h2>
          <p className="value" data-testid="fleet-idle-cost">{formatMaybeMoney(idleCost, cur)}</p>
          <p className="sub">of {formatMaybeMoney(totalCost, cur)} GPU cost ({data.costBasis})</p>
        </section>
      </div>
      <section className="panel" aria-labelledby="hm-title">
        <div className="toolbar">
          <h2 id="hm-title" style={{ margin: 0 }}>
            Idle-GPU heatmap <span className="muted">({data.bucket === "hour" ? "one column per hour" : "one column per day"})</span>
          </h2>
          <div className="controls" style={{ gap: "0.5rem" }}>
            <div className="field">
              <label htmlFor="hm-sort">Sort rows by</label>
              <select id="hm-sort" value={sort} onChange={(e) => setParam("sort", e.target.value)}>
                {Object.entries(SORTS).map(([k, v]) => (
                  <option key={k} value={k}>{v}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="hm-group">Group rows by</label>
              <select id="hm-group" value={group} onChange={(e) => setParam("group", e.target.value)}>
                {Object.entries(GROUPS).map(([k, v]) => (
                  <option key={k} value={k}>{v}</option>
                ))}
              </select>
            </div>
          </div>
        </div>
        <div className="legend" aria-label="Legend">
          <span><span className="swatch" style={{ background: IDLE_COLOR }} />Idle (&lt; {formatPercent(data.idleThreshold)})</span>
          {rampLegend().map(([label, color]) => (
            <span key={label}><span className="swatch" style={{ background: color }} />{label}</span>
          ))}
          <span><span className="swatch" style={{ background: `repeating-linear-gradient(135deg, #fff 0 2px, ${GAP_COLOR} 2px 3px)` }} />No data (telemetry gap)</span>
          <span><span className="swatch" style={{ background: NONE_COLOR }} />Not provisioned / filtered out</span>
        </div>
        <div className="heatmap-wrap" aria-busy={isPlaceholderData}>
          <HeatmapCanvas
            rows={rows}
            gpus={data.gpus}
            cells={cells}
            columns={data.columns}
            columnStart={start}
            columnMs={columnMs}
            idleThreshold={data.idleThreshold}
            onOpen={(g) => router.push(`/${org.slug}/fleet/${g.id}${search ? `?${search}` : ""}`)}
            onCell={setHover}
          />
          {hover ? (
            <div className="heatmap-tooltip" data-testid="heatmap-tooltip" style={{ left: Math.min(hover.x + 12, 900), top: hover.y + 18 }}>
              <strong>{hover.gpu.label}</strong> · {hover.gpu.model} · {hover.gpu.cluster}
              <br />
              {new Date(start + hover.column * columnMs).toISOString().slice(0, data.bucket === "hour" ? 16 : 10).replace("T", " ")} UTC
              <br />
              Utilization: {kind === "none" ? "not provisioned" : kind === "gap" ? "no data (gap)" : `${formatNumber(hover.value / 100, 2)} %${kind === "idle" ? " — idle" : ""}`}
              <br />
              Workload: {hoverHours ? ([...new Set(hoverHours.map((h) => h.workload ?? "none"))].join(", ") || "none") : "loading…"}
              <br />
              {data.bucket === "hour" ? "Hourly cost" : "Cost that day"}:{" "}
              {hoverHours ? (hoverHours.length ? formatMaybeMoney(sumDecimals(hoverHours.map((h) => h.cost)), hoverHours.find((h) => h.currency)?.currency) : "—") : "loading…"}
            </div>
          ) : null}
        </div>
        <p className="muted" aria-live="polite" data-testid="heatmap-status" style={{ fontSize: "0.85rem" }}>
          {hover
            ? `${hover.gpu.label}, ${new Date(start + hover.column * columnMs).toISOString().slice(0, 16).replace("T", " ")} UTC: ${kind === "gap" ? "no data" : kind === "none" ? "not provisioned" : `${formatNumber(hover.value / 100, 2)} % utilization${kind === "idle" ? ", idle" : ""}`}`
            : "Hover or focus the heatmap and use the arrow keys; click a row or press Enter for the GPU's detail."}
        </p>
      </section>
      <section className="panel" aria-labelledby="gpu-table-title">
        <h2 id="gpu-table-title">GPUs</h2>
        <DataTable
          caption="GPUs in the window"
          testId="gpu-table"
          csvName="gpus.csv"
          rows={data.gpus}
          rowKey={(g) => g.id}
          limit={50}
          initialSort={{ key: "idleCost", desc: true }}
          columns={[
            { key: "gpu", label: "GPU", value: (g) => g.label, render: (g) => <Link href={`/${org.slug}/fleet/${g.id}${search ? `?${search}` : ""}`}>{g.label}</Link>, total: "Total" },
            { key: "cluster", label: "Cluster", value: (g) => g.cluster },
            { key: "model", label: "Model", value: (g) => g.model },
            { key: "gpuHours", label: "GPU-hours", numeric: true, value: (g) => g.gpuHours, render: (g) => `${formatNumber(g.gpuHours, 2)} GPU-h`, total: `${formatNumber(data.gpus.reduce((s, g) => s + g.gpuHours, 0), 2)} GPU-h` },
            { key: "meanUtilization", label: "Mean utilization", numeric: true, value: (g) => g.meanUtilization, render: (g) => formatMaybePercent(g.meanUtilization) },
            { key: "idleGpuHours", label: "Idle GPU-hours", numeric: true, value: (g) => g.idleGpuHours, render: (g) => `${formatNumber(g.idleGpuHours, 2)} GPU-h`, total: `${formatNumber(idleHours, 2)} GPU-h` },
            { key: "cost", label: `Cost (${data.costBasis})`, numeric: true, value: (g) => g.cost, render: (g) => formatMaybeMoney(g.cost, g.currency), total: formatMaybeMoney(totalCost, cur) },
            { key: "idleCost", label: "Idle cost", numeric: true, value: (g) => g.idleCost, render: (g) => formatMaybeMoney(g.idleCost, g.currency), total: formatMaybeMoney(idleCost, cur) },
            { key: "currency", label: "Currency", value: (g) => g.currency },
          ]}
        />
      </section>
    </Shell>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  return (
    <>
      <ViewControls />
      {children}
    </>
  );
}
