// Human wording of an SLO's objective and of its SLI values (client-safe: no Prisma values needed).
export type DescribableSlo = { kind: string; percentile: number | null; thresholdMs: number | null; objective: number | null; windowDays: number };

function pct(x: number, digits = 2): string {
  return `${Number((x * 100).toFixed(digits))}%`;
}

export function describeObjective(slo: DescribableSlo): string {
  switch (slo.kind) {
    case "LATENCY":
      return `p${Number(((slo.percentile ?? 0) * 100).toFixed(2))} latency ≤ ${slo.thresholdMs} ms`;
    case "SUCCESS_RATIO":
      return `success ratio ≥ ${pct(slo.objective ?? 0)}`;
    case "GPU_UTILIZATION":
      return `mean GPU utilization ≥ ${pct(slo.objective ?? 0, 1)}`;
    default:
      return "spend ≤ budget";
  }
}

export function formatSli(slo: Pick<DescribableSlo, "kind">, value: number | null, _currency?: string): string {
  if (value === null || Number.isNaN(value)) return "no data";
  switch (slo.kind) {
    case "LATENCY":
      return `${value.toFixed(1)} ms`;
    case "SUCCESS_RATIO":
      return pct(value, 3);
    case "GPU_UTILIZATION":
      return pct(value, 1);
    default:
      return `${pct(value, 1)} of budget`;
  }
}
