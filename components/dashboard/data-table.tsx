"use client";
// A sortable table with a totals row and CSV export. The CSV carries every row (not only the shown
// ones) with the raw values the cells format (exact decimal strings for money), so its column sums
// equal the totals row.
import { useMemo, useState } from "react";
import { toCsvText } from "./csv";

export type Column<T> = {
  key: string;
  label: string;
  /** Raw value: sorts the column and fills the CSV. */
  value: (row: T) => string | number | null;
  render?: (row: T) => React.ReactNode;
  numeric?: boolean;
  /** Already formatted total for the footer. */
  total?: React.ReactNode;
  /** The CSV's value when it differs from the raw value (e.g. an amount with its currency); false: not in the CSV (a column of buttons). */
  csv?: ((row: T) => string | number | null) | false;
  /** false: the header does not sort (a column of buttons or lists). */
  sortable?: false;
};

export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  csvName,
  initialSort,
  limit,
  testId,
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  csvName: string;
  initialSort?: { key: string; desc: boolean };
  limit?: number;
  testId?: string;
}) {
  const [sort, setSort] = useState(initialSort ?? null);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const col = columns.find((c) => c.key === sort.key);
    if (!col || col.sortable === false) return rows;
    const dir = sort.desc ? -1 : 1;
    return [...rows].sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      if (x === null || x === "") return y === null || y === "" ? 0 : 1;
      if (y === null || y === "") return -1;
      const nx = col.numeric ? Number(x) : NaN;
      const ny = col.numeric ? Number(y) : NaN;
      return dir * (col.numeric ? nx - ny : String(x).localeCompare(String(y), "en", { numeric: true }));
    });
  }, [rows, columns, sort]);
  const shown = limit ? sorted.slice(0, limit) : sorted;
  const hasTotals = columns.some((c) => c.total !== undefined);

  const download = () => {
    const exported = columns.filter((c) => c.csv !== false);
    const text = toCsvText(
      exported.map((c) => c.key),
      sorted.map((r) => exported.map((c) => (c.csv ? c.csv(r) : c.value(r)))),
    );
    const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = csvName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div data-testid={testId}>
      <div className="toolbar">
        <p className="muted" style={{ margin: 0 }}>
          {limit && rows.length > limit ? `Showing ${limit} of ${rows.length.toLocaleString("en-US")} rows (the CSV has all)` : `${rows.length.toLocaleString("en-US")} rows`}
        </p>
        <button type="button" className="btn btn-small" onClick={download}>
          Export CSV
        </button>
      </div>
      <div className="table-scroll">
        <table className="data">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => {
                const active = sort?.key === c.key;
                return (
                  <th key={c.key} scope="col" className={c.numeric ? "num" : undefined} aria-sort={c.sortable === false ? undefined : active ? (sort!.desc ? "descending" : "ascending") : "none"}>
                    {c.sortable === false ? (
                      c.label
                    ) : (
                      <button type="button" className="sort" onClick={() => setSort({ key: c.key, desc: active ? !sort!.desc : Boolean(c.numeric) })}>
                        {c.label}
                        <span aria-hidden="true">{active ? (sort!.desc ? " ▼" : " ▲") : ""}</span>
                      </button>
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={rowKey(r)}>
                {columns.map((c) => (
                  <td key={c.key} className={c.numeric ? "num" : undefined} data-col={c.key}>
                    {c.render ? c.render(r) : (c.value(r) ?? "—")}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          {hasTotals ? (
            <tfoot>
              <tr data-testid="totals">
                {columns.map((c, i) => (
                  <td key={c.key} className={c.numeric ? "num" : undefined} data-col={c.key}>
                    {c.total ?? (i === 0 ? "Total" : "")}
                  </td>
                ))}
              </tr>
            </tfoot>
          ) : null}
        </table>
      </div>
    </div>
  );
}
