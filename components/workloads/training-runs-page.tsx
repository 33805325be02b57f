"use client";
// Training runs: the training-runs report as a sortable, filterable, exportable table.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo } from "react";
import { reportParams } from "@/lib/domain/dashboard-view";
import { WORKLOAD_DIMENSIONS, type TrainingRunRow } from "@/lib/domain/reports";
import { sumDecimals } from "@/lib/domain/decimal-sum";
import { formatMaybeMoney, formatMaybePercent, formatNumber } from "../format";
import { useCurrentOrg } from "../org-context";
import { DataTable } from "../dashboard/data-table";
import { Empty, ErrorState, Loading } from "../dashboard/states";
import { useReport } from "../dashboard/use-api";
import { useView } from "../dashboard/use-view";
import { ViewControls } from "../dashboard/view-controls";
import { currentSearch, replaceSearch } from "../dashboard/replace-search";
import { useWorkloadIds } from "./use-workload-ids";

export function TrainingRunsPage() {
  const org = useCurrentOrg();
  const router = useRouter();
  const { view, window, search } = useView();
  const params = useMemo(() => reportParams(window, view, { dimensions: WORKLOAD_DIMENSIONS }), [window, view]);
  const { data, error, isPending, refetch } = useReport("training-runs", params);
  const ids = useWorkloadIds("training");
  const text = new URLSearchParams(search).get("q") ?? "";
  const rows = useMemo(() => (data?.rows ?? []).filter((r) => !text || r.runId.toLowerCase().includes(text.toLowerCase())), [data, text]);
  const q = search ? `?${search}` : "";

  const body = (() => {
    if (isPending) return <Loading label="Loading training runs…" height={320} />;
    if (error) return <ErrorState what="the training runs" error={error} retry={() => refetch()} />;
    if (!data.rows.length) return <Empty title="No training runs in this window"><p>No run held GPUs in this window with these filters.</p></Empty>;
    const currencies = [...new Set(rows.map((r) => r.currency).filter(Boolean))];
    const cur = currencies.length === 1 ? currencies[0]! : null;
    const link = (r: TrainingRunRow) => {
      const id = ids.get(`${r.namespace}\u0000${r.runId}`);
      return id ? <Link href={`/${org.slug}/training/${id}${q}`}>{r.runId}</Link> : r.runId;
    };
    return (
      <section className="panel" aria-labelledby="runs-title">
        <h2 id="runs-title">Runs</h2>
        <DataTable<TrainingRunRow>
          caption="Training runs in the window"
          testId="runs-table"
          csvName="training-runs.csv"
          rows={rows}
          rowKey={(r) => `${r.namespace}/${r.runId}/${r.currency}`}
          limit={200}
          initialSort={{ key: "cost", desc: true }}
          columns={[
            { key: "runId", label: "Run", value: (r) => r.runId, render: link, total: "Total" },
            { key: "namespace", label: "Namespace", value: (r) => r.namespace },
            { key: "team", label: "Team", value: (r) => r.team },
            { key: "cost", label: `Cost (${data.costBasis})`, numeric: true, value: (r) => r.cost, render: (r) => formatMaybeMoney(r.cost, r.currency), total: cur ? formatMaybeMoney(sumDecimals(rows.map((r) => r.cost)), cur) : "—" },
            { key: "gpuHours", label: "GPU-hours", numeric: true, value: (r) => r.gpuHours, render: (r) => `${formatNumber(r.gpuHours, 1)} GPU-h`, total: `${formatNumber(rows.reduce((s, r) => s + r.gpuHours, 0), 1)} GPU-h` },
            { key: "durationHours", label: "Duration", numeric: true, value: (r) => r.durationHours, render: (r) => `${formatNumber(r.durationHours, 0)} h` },
            { key: "meanUtilization", label: "Mean utilization", numeric: true, value: (r) => r.meanUtilization, render: (r) => formatMaybePercent(r.meanUtilization) },
            { key: "costPerUsefulGpuHour", label: "Cost per useful GPU-hour", numeric: true, value: (r) => r.costPerUsefulGpuHour, render: (r) => (r.costPerUsefulGpuHour && r.currency ? `${formatMaybeMoney(r.costPerUsefulGpuHour, r.currency)}/GPU-h` : "—") },
            { key: "idleShare", label: "Idle share", numeric: true, value: (r) => r.idleShare, render: (r) => formatMaybePercent(r.idleShare) },
            { key: "energyKwh", label: "Energy", numeric: true, value: (r) => r.energyKwh, render: (r) => `${formatNumber(r.energyKwh, 1)} kWh`, total: `${formatNumber(rows.reduce((s, r) => s + r.energyKwh, 0), 1)} kWh` },
            { key: "currency", label: "Currency", value: (r) => r.currency },
          ]}
        />
      </section>
    );
  })();

  return (
    <>
      <ViewControls filters={WORKLOAD_DIMENSIONS} />
      <div className="field" style={{ maxWidth: 360 }}>
        <label htmlFor="run-search">Find runs by name</label>
        <input
          id="run-search"
          type="search"
          defaultValue={text}
          onChange={(e) => {
            const p = currentSearch();
            if (e.target.value) p.set("q", e.target.value);
            else p.delete("q");
            replaceSearch(router, p);
          }}
        />
      </div>
      {body}
    </>
  );
}
