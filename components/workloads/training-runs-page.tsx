"use client";
// Training runs: the training-runs report as a sortable, filterable, exportable table.
import { useRouter } from "next/navigation";
import type { TrainingRunRow } from "@/lib/domain/reports";
import { sumDecimals } from "@/lib/domain/decimal-sum";
import { formatMaybeMoney, formatMaybePercent, formatNumber } from "../format";
import { DataTable } from "../dashboard/data-table";
import { currentSearch, replaceSearch } from "../dashboard/replace-search";
import { WorkloadReportShell, gpuHoursColumn, useWorkloadReport } from "./workload-report-shell";

export function TrainingRunsPage() {
  const router = useRouter();
  const { report, search, link } = useWorkloadReport("training-runs");
  const text = new URLSearchParams(search).get("q") ?? "";
  const searchBox = (
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
  );
  return (
    <WorkloadReportShell
      report={report}
      what="training runs"
      empty={{ title: "No training runs in this window", text: "No run held GPUs in this window with these filters." }}
      title={{ id: "runs-title", text: "Runs" }}
      controls={searchBox}
    >
      {(data) => {
        const rows = data.rows.filter((r) => !text || r.runId.toLowerCase().includes(text.toLowerCase()));
        const currencies = [...new Set(rows.map((r) => r.currency).filter(Boolean))];
        const cur = currencies.length === 1 ? currencies[0]! : null;
        return (
          <DataTable<TrainingRunRow>
            caption="Training runs in the window"
            testId="runs-table"
            csvName="training-runs.csv"
            rows={rows}
            rowKey={(r) => `${r.namespace}/${r.runId}/${r.currency}`}
            limit={200}
            initialSort={{ key: "cost", desc: true }}
            columns={[
              { key: "runId", label: "Run", value: (r) => r.runId, render: (r) => link(r.namespace, r.runId), total: "Total" },
              { key: "namespace", label: "Namespace", value: (r) => r.namespace },
              { key: "team", label: "Team", value: (r) => r.team },
              { key: "cost", label: `Cost (${data.costBasis})`, numeric: true, value: (r) => r.cost, render: (r) => formatMaybeMoney(r.cost, r.currency), total: cur ? formatMaybeMoney(sumDecimals(rows.map((r) => r.cost)), cur) : "—" },
              gpuHoursColumn(rows),
              { key: "durationHours", label: "Duration", numeric: true, value: (r) => r.durationHours, render: (r) => `${formatNumber(r.durationHours, 0)} h` },
              { key: "meanUtilization", label: "Mean utilization", numeric: true, value: (r) => r.meanUtilization, render: (r) => formatMaybePercent(r.meanUtilization) },
              { key: "costPerUsefulGpuHour", label: "Cost per useful GPU-hour", numeric: true, value: (r) => r.costPerUsefulGpuHour, render: (r) => (r.costPerUsefulGpuHour && r.currency ? `${formatMaybeMoney(r.costPerUsefulGpuHour, r.currency)}/GPU-h` : "—") },
              { key: "idleShare", label: "Idle share", numeric: true, value: (r) => r.idleShare, render: (r) => formatMaybePercent(r.idleShare) },
              { key: "energyKwh", label: "Energy", numeric: true, value: (r) => r.energyKwh, render: (r) => `${formatNumber(r.energyKwh, 1)} kWh`, total: `${formatNumber(rows.reduce((s, r) => s + r.energyKwh, 0), 1)} kWh` },
              { key: "currency", label: "Currency", value: (r) => r.currency },
            ]}
          />
        );
      }}
    </WorkloadReportShell>
  );
}
