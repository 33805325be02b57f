"use client";

// Budget burn-down: cumulative spend this period (solid), the projected path to period end (dashed)
// with its 90% range (shaded), and the budget line. Colours are colour-blind safe (blue / orange) and
// each series also differs by line style.
import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCompactMoney, formatMoney } from "../format";

export type BurnPoint = { day: string; actual: number | null; forecast: number | null; low: number | null; high: number | null };

export function BurnDownChart({ points, amount, currency }: { points: BurnPoint[]; amount: number; currency: string }) {
  const rows = points.map((p) => ({ day: p.day.slice(5), actual: p.actual, forecast: p.forecast, range: p.low !== null && p.high !== null ? [p.low, p.high] : null }));
  const label: Record<string, string> = { actual: "Spent (cumulative)", forecast: "Forecast", range: "Forecast range (90%)" };
  return (
    <div style={{ width: "100%", height: 260 }} role="img" aria-label={`Burn-down: spend against a budget of ${formatMoney(String(amount), currency)}`}>
      <ResponsiveContainer>
        <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="day" tick={{ fontSize: 12, fill: "#4b5563" }} interval="preserveStartEnd" minTickGap={16} />
          <YAxis tick={{ fontSize: 12, fill: "#4b5563" }} width={70} tickFormatter={(v: number) => formatCompactMoney(v, currency)} domain={[0, (max: number) => Math.max(max, amount) * 1.05]} />
          <Tooltip
            formatter={(value, name) => {
              const v = Array.isArray(value) ? `${formatMoney(String(value[0]), currency)} – ${formatMoney(String(value[1]), currency)}` : formatMoney(String(value), currency);
              return [v, label[String(name)] ?? String(name)];
            }}
          />
          <Legend formatter={(v) => label[String(v)] ?? v} />
          <Area type="linear" dataKey="range" name="range" stroke="none" fill="#c2410c" fillOpacity={0.15} isAnimationActive={false} connectNulls={false} />
          <Line type="linear" dataKey="actual" name="actual" stroke="#1d4ed8" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls={false} />
          <Line type="linear" dataKey="forecast" name="forecast" stroke="#c2410c" strokeWidth={2} strokeDasharray="6 4" dot={false} isAnimationActive={false} connectNulls={false} />
          <ReferenceLine y={amount} stroke="#111827" strokeDasharray="2 2" label={{ value: `Budget ${formatCompactMoney(amount, currency)}`, position: "insideTopLeft", fill: "#111827", fontSize: 12 }} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
