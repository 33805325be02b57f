"use client";

import { TERM_LABELS } from "@/lib/recommendations/inputs";
import type { CapacitySplitJson } from "@/lib/recommendations/plan";
import { formatMoney, formatPercent } from "../format";
import { type Column, SortableTable } from "./sortable-table";

const gpus = (n: number) => `${n.toLocaleString("en-US", { maximumFractionDigits: 1 })} GPU${n === 1 ? "" : "s"}`;
const months = (n: number | null) => (n === null ? "never" : `${n.toLocaleString("en-US", { maximumFractionDigits: 1 })} mo`);

export function SplitTable({ splits, currency }: { splits: CapacitySplitJson[]; currency: string }) {
  const columns: Column<CapacitySplitJson>[] = [
    { key: "gpuModel", label: "GPU type · provider", value: (s) => s.key },
    { key: "demand", label: "Demand mean / peak", value: (s) => s.demand.mean, numeric: true, render: (s) => `${gpus(s.demand.mean)} / ${gpus(s.demand.peak)}` },
    { key: "onPrem", label: "On-prem", value: (s) => s.onPrem.gpus, numeric: true, render: (s) => (s.onPrem.gpus ? `${gpus(s.onPrem.gpus)} (${s.onPrem.servers} srv)` : "0 GPUs") },
    {
      key: "committed",
      label: "Committed",
      value: (s) => s.commitment?.committedGpus ?? 0,
      numeric: true,
      render: (s) => (s.commitment && s.commitment.committedGpus > 0 ? `${gpus(s.commitment.committedGpus)}, ${TERM_LABELS[s.commitment.term]}` : "0 GPUs"),
    },
    { key: "commitUtil", label: "Commitment utilization", value: (s) => s.commitment?.utilization ?? null, numeric: true, render: (s) => (s.commitment?.utilization != null ? formatPercent(s.commitment.utilization) : "—") },
    { key: "spot", label: "Spot (mean)", value: (s) => s.spot.meanGpus, numeric: true, render: (s) => gpus(s.spot.meanGpus) },
    { key: "onDemand", label: "On-demand (mean)", value: (s) => s.onDemand.meanGpus, numeric: true, render: (s) => gpus(s.onDemand.meanGpus) },
    { key: "current", label: "Current / mo", value: (s) => s.monthly.current, numeric: true, render: (s) => formatMoney(s.monthly.current, currency) },
    { key: "projected", label: "Projected / mo", value: (s) => s.monthly.projected, numeric: true, render: (s) => formatMoney(s.monthly.projected, currency) },
    { key: "savings", label: "Savings / mo", value: (s) => s.monthly.savings, numeric: true, render: (s) => formatMoney(s.monthly.savings, currency) },
    { key: "breakEven", label: "Break-even", value: (s) => s.commitment?.breakEvenMonths ?? null, numeric: true, render: (s) => (s.commitment && s.commitment.committedGpus > 0 ? months(s.commitment.breakEvenMonths) : "—") },
    {
      key: "premBreakEven",
      label: "On-prem break-even utilization",
      value: (s) => s.onPrem.breakEvenUtilization,
      numeric: true,
      render: (s) => `${formatPercent(s.onPrem.breakEvenUtilization)} (${formatMoney(s.onPrem.hourlyPerGpu.toFixed(2), currency)}/GPU-h)`,
    },
    { key: "risk", label: "Risk", value: (s) => s.risk.join(" "), render: (s) => (s.risk.length ? <a href={`#risk-${s.key.replace(/\W+/g, "-")}`}>{s.risk.length} note{s.risk.length === 1 ? "" : "s"}</a> : "—") },
  ];
  return (
    <>
      <SortableTable columns={columns} rows={splits} rowKey={(s) => s.key} caption="Capacity split per GPU type" csvName="capacity-split.csv" testId="capacity-split" />
      <h3>Risk</h3>
      <ul data-testid="split-risks">
        {splits.map((s) => (
          <li key={s.key} id={`risk-${s.key.replace(/\W+/g, "-")}`}>
            <strong>{s.key}</strong>: {s.risk.length ? s.risk.join(" ") : "none noted."}
            {s.terms.length > 1 && (
              <div className="muted">
                Other terms:{" "}
                {s.terms
                  .filter((t) => t.term !== s.commitment?.term)
                  .map((t) => `${TERM_LABELS[t.term]} ${formatMoney(t.projectedMonthly, currency)}/mo (${t.onPremGpus} on-prem, ${t.committedGpus} committed)`)
                  .join("; ")}
              </div>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
