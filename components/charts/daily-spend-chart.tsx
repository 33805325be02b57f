"use client";

import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCompactMoney, formatMoney } from "../format";

export type DailyPoint = { day: string; total: string; gpu: string };

export function DailySpendChart({ data, currency, partialLast = true, single = false }: { data: DailyPoint[]; currency: string; partialLast?: boolean; single?: boolean }) {
  // The last point is today, which is still accruing: label it so its dip is not read as a drop in spend.
  const rows = data.map((d, i) => ({
    day: partialLast && i === data.length - 1 ? (d.day.length > 10 ? "now (partial)" : "today (partial)") : d.day.slice(5),
    total: Number(d.total),
    gpu: Number(d.gpu),
  }));
  return (
    <div style={{ width: "100%", height: 240 }}>
      <ResponsiveContainer>
        <AreaChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
          <XAxis dataKey="day" tick={{ fontSize: 12, fill: "#4b5563" }} interval="preserveStartEnd" minTickGap={16} />
          <YAxis tick={{ fontSize: 12, fill: "#4b5563" }} width={64} tickFormatter={(v: number) => formatCompactMoney(v, currency)} />
          <Tooltip formatter={(value, name) => [formatMoney(String(value), currency), name === "total" ? "Total" : "GPU"]} />
          {single ? null : <Legend formatter={(v) => (v === "total" ? "Total" : "GPU")} />}
          {single ? null : <Area type="linear" dataKey="total" name="total" stroke="var(--chart-total)" fill="var(--chart-total)" fillOpacity={0.12} isAnimationActive={false} />}
          <Area type="linear" dataKey="gpu" name="gpu" stroke="var(--chart-gpu)" fill="var(--chart-gpu)" fillOpacity={0.15} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
