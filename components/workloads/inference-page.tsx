"use client";
// Inference services: the inference report as a sortable, exportable table.
import type { InferenceRow } from "@/lib/domain/reports";
import { sumDecimals } from "@/lib/domain/decimal-sum";
import { formatMaybeMoney, formatMaybePercent, formatNumber } from "../format";
import { DataTable } from "../dashboard/data-table";
import { WorkloadReportShell, gpuHoursColumn, useWorkloadReport } from "./workload-report-shell";

export function InferencePage() {
  const { report, link } = useWorkloadReport("inference");
  return (
    <WorkloadReportShell
      report={report}
      what="inference services"
      empty={{ title: "No inference services in this window", text: "No service served traffic or held GPUs in this window with these filters." }}
      title={{ id: "svc-title", text: "Services" }}
    >
      {(data) => {
        const rows = data.rows;
        const t = data.totals;
        const cur = t.currency;
        return (
          <>
            <DataTable<InferenceRow>
              caption="Inference services in the window"
              testId="services-table"
              csvName="inference-services.csv"
              rows={rows}
              rowKey={(r) => `${r.namespace}/${r.service}/${r.currency}`}
              initialSort={{ key: "cost", desc: true }}
              columns={[
                { key: "service", label: "Service", value: (r) => r.service, render: (r) => link(r.namespace, r.service), total: "Total" },
                { key: "namespace", label: "Namespace", value: (r) => r.namespace },
                { key: "modelName", label: "Model", value: (r) => r.modelName },
                { key: "cost", label: `GPU cost (${data.costBasis})`, numeric: true, value: (r) => r.cost, render: (r) => formatMaybeMoney(r.cost, r.currency), total: cur ? formatMaybeMoney(sumDecimals(rows.map((r) => r.cost)), cur) : "—" },
                { key: "inferences", label: "Requests", numeric: true, value: (r) => r.inferences, render: (r) => formatNumber(r.inferences, 0), total: formatNumber(rows.reduce((s, r) => s + r.inferences, 0), 0) },
                { key: "costPer1kInferences", label: "Cost per 1K inferences", numeric: true, value: (r) => r.costPer1kInferences, render: (r) => formatMaybeMoney(r.costPer1kInferences, r.currency), total: formatMaybeMoney(t.costPer1kInferences, cur) },
                { key: "costPer1mTokens", label: "Cost per 1M tokens", numeric: true, value: (r) => r.costPer1mTokens, render: (r) => formatMaybeMoney(r.costPer1mTokens, r.currency), total: formatMaybeMoney(t.costPer1mTokens, cur) },
                { key: "p95LatencyMs", label: "p95 latency", numeric: true, value: (r) => r.p95LatencyMs, render: (r) => (r.p95LatencyMs === null ? "—" : `${formatNumber(r.p95LatencyMs, 0)} ms`) },
                { key: "successRatio", label: "Success ratio", numeric: true, value: (r) => r.successRatio, render: (r) => formatMaybePercent(r.successRatio) },
                { key: "meanUtilization", label: "GPU utilization", numeric: true, value: (r) => r.meanUtilization, render: (r) => formatMaybePercent(r.meanUtilization) },
                gpuHoursColumn(rows),
                { key: "currency", label: "Currency", value: (r) => r.currency },
              ]}
            />
            <p className="muted">Latency SLOs are shown on each service&apos;s page. CPU/RAM cost is not in the cost per inference (docs/metrics.md).</p>
          </>
        );
      }}
    </WorkloadReportShell>
  );
}
