"use client";
// A line chart over time (UTC) for one or more series; null values are drawn as gaps, never as zero.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

// Okabe-Ito: distinguishable with every common colour-vision deficiency.
export const SERIES_COLORS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442"];

export type Series = { key: string; label: string };

export function TimeSeriesChart({
  data,
  series,
  unit,
  format,
  height = 220,
  domain,
}: {
  data: Array<Record<string, number | string | null>>;
  series: Series[];
  unit: string;
  format: (v: number) => string;
  height?: number;
  domain?: [number, number];
}) {
  return (
    <div style={{ width: "100%", height }} data-testid="time-series">
      <ResponsiveContainer>
        <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="t" tick={{ fontSize: 12, fill: "#4b5563" }} minTickGap={24} />
          <YAxis tick={{ fontSize: 12, fill: "#4b5563" }} width={72} domain={domain} tickFormatter={(v: number) => format(v)} label={{ value: unit, angle: -90, position: "insideLeft", fontSize: 12, fill: "#4b5563" }} />
          <Tooltip formatter={(value, name) => [typeof value === "number" ? format(value) : "no data", series.find((s) => s.key === name)?.label ?? String(name)]} />
          {/* Legend text in the body colour: some series colours (yellow) are too light for text on white. */}
          {series.length > 1 ? <Legend formatter={(v) => <span style={{ color: "#111827" }}>{series.find((s) => s.key === v)?.label ?? v}</span>} /> : null}
          {series.map((s, i) => (
            <Line key={s.key} type="linear" dataKey={s.key} name={s.key} stroke={SERIES_COLORS[i % SERIES_COLORS.length]} dot={false} strokeWidth={1.5} isAnimationActive={false} connectNulls={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
