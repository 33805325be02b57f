"use client";
// The shared controls of every dashboard page: window, cost basis, group-by and filters, all in the URL.
import { useMemo, useState } from "react";
import { DIMENSION_LABELS, WINDOW_LABELS, WINDOW_PRESETS, type WindowPreset } from "@/lib/domain/dashboard-view";
import { REPORT_DIMENSIONS, type ReportDimension } from "@/lib/domain/reports";
import { formatWindow } from "../format";
import { useApi } from "./use-api";
import { useView } from "./use-view";

/** The values each dimension can take (cheap: read from the small tables, not the hourly facts). */
function useDimensionValues(from: Date, to: Date) {
  const params = useMemo(() => new URLSearchParams({ from: from.toISOString(), to: to.toISOString() }), [from, to]);
  const { data } = useApi<Record<ReportDimension, string[]>>("/api/v1/dimensions", params);
  return useMemo(() => data ?? (Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, []])) as unknown as Record<ReportDimension, string[]>), [data]);
}

export function ViewControls({
  filters = REPORT_DIMENSIONS,
  groupBy = false,
  groupByRequired = false,
}: {
  filters?: readonly ReportDimension[];
  groupBy?: boolean;
  groupByRequired?: boolean;
}) {
  const { view, window, setView } = useView();
  const values = useDimensionValues(window.from, window.to);
  const [customFrom, setCustomFrom] = useState(view.customFrom ?? window.from.toISOString().slice(0, 10));
  const [customTo, setCustomTo] = useState(view.customTo ?? new Date(window.to.getTime() - 86_400_000).toISOString().slice(0, 10));

  const setWindow = (w: WindowPreset) => {
    if (w === "custom") setView({ window: w, customFrom, customTo });
    else setView({ window: w, customFrom: null, customTo: null });
  };
  const setFilter = (d: ReportDimension, v: string) => {
    const next = { ...view.filters };
    if (v) next[d] = [v];
    else delete next[d];
    setView({ filters: next });
  };

  return (
    <form
      className="controls panel"
      aria-label="View"
      data-testid="view-controls"
      data-from={window.from.toISOString()}
      data-to={window.to.toISOString()}
      onSubmit={(e) => {
        e.preventDefault();
        if (customFrom && customTo && customFrom <= customTo) setView({ window: "custom", customFrom, customTo });
      }}
    >
      <div className="field">
        <label htmlFor="ctl-window">Window</label>
        <select id="ctl-window" value={view.window} onChange={(e) => setWindow(e.target.value as WindowPreset)}>
          {WINDOW_PRESETS.map((w) => (
            <option key={w} value={w}>
              {WINDOW_LABELS[w]}
            </option>
          ))}
        </select>
      </div>
      {view.window === "custom" ? (
        <>
          <div className="field">
            <label htmlFor="ctl-from">From (UTC)</label>
            <input id="ctl-from" type="date" value={customFrom} onChange={(e) => setCustomFrom(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="ctl-to">To (UTC, inclusive)</label>
            <input id="ctl-to" type="date" value={customTo} onChange={(e) => setCustomTo(e.target.value)} />
          </div>
          <button className="btn" type="submit">
            Apply
          </button>
        </>
      ) : null}
      <div className="field">
        <label htmlFor="ctl-basis">Cost basis</label>
        <select id="ctl-basis" value={view.basis} onChange={(e) => setView({ basis: e.target.value === "billed" ? "billed" : "effective" })}>
          <option value="effective">Effective (amortized)</option>
          <option value="billed">Billed</option>
        </select>
      </div>
      {groupBy ? (
        <div className="field">
          <label htmlFor="ctl-group">Group by</label>
          <select id="ctl-group" value={view.groupBy ?? ""} onChange={(e) => setView({ groupBy: (e.target.value || null) as ReportDimension | null })}>
            {groupByRequired ? null : <option value="">None</option>}
            {REPORT_DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {DIMENSION_LABELS[d]}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {filters.map((d) => {
        const current = view.filters[d]?.join(",") ?? "";
        const options = values[d].includes(current) || !current ? values[d] : [...values[d], current];
        return (
          <div className="field" key={d}>
            <label htmlFor={`ctl-f-${d}`}>{DIMENSION_LABELS[d]}</label>
            <select id={`ctl-f-${d}`} value={current} onChange={(e) => setFilter(d, e.target.value)}>
              <option value="">All</option>
              {options.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </div>
        );
      })}
      <p className="window-note muted" data-testid="window-label">
        {formatWindow(window.from, window.to)}
        {window.partial ? " · the last day is partial" : ""}
      </p>
    </form>
  );
}
