"use client";

// A table whose columns sort (click a header; aria-sort says how) and whose rows export as CSV.
import { type ReactNode, useMemo, useState } from "react";

export type Column<R> = {
  key: string;
  label: string;
  /** The value sorted on and exported. */
  value: (row: R) => string | number | null;
  /** What the cell shows (default: the value). */
  render?: (row: R) => ReactNode;
  numeric?: boolean;
};

function csvCell(v: string | number | null): string {
  const s = v === null ? "" : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv<R>(columns: Column<R>[], rows: R[]): string {
  return [columns.map((c) => csvCell(c.label)).join(","), ...rows.map((r) => columns.map((c) => csvCell(c.value(r))).join(","))].join("\n") + "\n";
}

export function SortableTable<R>({ columns, rows, rowKey, caption, csvName, testId }: { columns: Column<R>[]; rows: R[]; rowKey: (r: R) => string; caption: string; csvName: string; testId?: string }) {
  const [sort, setSort] = useState<{ key: string; dir: "ascending" | "descending" } | null>(null);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const col = columns.find((c) => c.key === sort.key);
    if (!col) return rows;
    const sign = sort.dir === "ascending" ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      const nx = Number(x);
      const ny = Number(y);
      return (col.numeric && !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : String(x).localeCompare(String(y))) * sign;
    });
  }, [rows, columns, sort]);

  function exportCsv() {
    const blob = new Blob([toCsv(columns, sorted)], { type: "text/csv" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = csvName;
    a.click();
    URL.revokeObjectURL(url);
  }

  return (
    <div>
      <div className="row-actions" style={{ justifyContent: "flex-end", marginBottom: "0.4rem" }}>
        <button type="button" className="btn btn-small" onClick={exportCsv}>
          Export CSV
        </button>
      </div>
      <div style={{ overflowX: "auto" }}>
        <table className="data" data-testid={testId}>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => {
                const dir = sort?.key === c.key ? sort.dir : undefined;
                return (
                  <th key={c.key} aria-sort={dir ?? "none"} style={c.numeric ? { textAlign: "right" } : undefined}>
                    <button
                      type="button"
                      className="btn btn-small"
                      style={{ border: 0, background: "transparent", padding: 0, font: "inherit", color: "inherit", textTransform: "inherit" }}
                      onClick={() => setSort({ key: c.key, dir: dir === "ascending" ? "descending" : "ascending" })}
                    >
                      {c.label} {dir === "ascending" ? "▲" : dir === "descending" ? "▼" : ""}
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr key={rowKey(r)} data-row={rowKey(r)}>
                {columns.map((c) => (
                  <td key={c.key} data-col={c.key} style={c.numeric ? { textAlign: "right", fontVariantNumeric: "tabular-nums" } : undefined}>
                    {c.render ? c.render(r) : (c.value(r) ?? "—")}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
