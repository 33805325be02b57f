"use client";

// A table that sorts by any column (click the header; aria-sort says which) and exports what it shows
// as CSV. Columns give a display cell, a sort value and a CSV value.
import { useMemo, useState, type ReactNode } from "react";

export type Column<T> = {
  key: string;
  header: string;
  cell: (row: T) => ReactNode;
  sort?: (row: T) => number | string | null;
  csv?: (row: T) => string | number | null;
  align?: "right";
};

function csvCell(v: string | number | null): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function DataTable<T>({ rows, columns, rowKey, caption, csvName, initialSort }: { rows: T[]; columns: Column<T>[]; rowKey: (r: T) => string; caption: string; csvName: string; initialSort?: { key: string; dir: "asc" | "desc" } }) {
  const [sort, setSort] = useState(initialSort ?? null);
  const sorted = useMemo(() => {
    const col = columns.find((c) => c.key === sort?.key);
    if (!col?.sort || !sort) return rows;
    const get = col.sort;
    return [...rows].sort((a, b) => {
      const x = get(a);
      const y = get(b);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * (sort.dir === "asc" ? 1 : -1);
    });
  }, [rows, columns, sort]);

  const exportCsv = () => {
    const withCsv = columns.filter((c) => c.csv);
    const lines = [withCsv.map((c) => csvCell(c.header)).join(","), ...sorted.map((r) => withCsv.map((c) => csvCell(c.csv!(r))).join(","))];
    const url = URL.createObjectURL(new Blob([`${lines.join("\n")}\n`], { type: "text/csv" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = csvName;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <div>
      <div style={{ display: "flex", justifyContent: "flex-end", marginBottom: "0.5rem" }}>
        <button type="button" className="btn btn-small" onClick={exportCsv}>
          Export CSV
        </button>
      </div>
      <div style={{ overflowX: "auto" }}>
        <table className="data">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => {
                const active = sort?.key === c.key;
                return (
                  <th key={c.key} scope="col" aria-sort={active ? (sort!.dir === "asc" ? "ascending" : "descending") : undefined} style={c.align ? { textAlign: "right" } : undefined}>
                    {c.sort ? (
                      <button
                        type="button"
                        className="btn btn-small"
                        style={{ border: 0, background: "none", padding: 0, font: "inherit", color: "inherit", textTransform: "inherit" }}
                        onClick={() => setSort({ key: c.key, dir: active && sort!.dir === "asc" ? "desc" : "asc" })}
                      >
                        {c.header} {active ? (sort!.dir === "asc" ? "▲" : "▼") : ""}
                      </button>
                    ) : (
                      c.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr key={rowKey(r)}>
                {columns.map((c) => (
                  <td key={c.key} style={c.align ? { textAlign: "right" } : undefined}>
                    {c.cell(r)}
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
