// Client-safe shapes of the dashboard's own endpoints beside the reports (spend series, bill spend,
// wasters, workload detail).
export type SpendPoint = { t: string; key: string; currency: string | null; cost: string | null; gpuHours: number };
export type SpendSeries = {
  window: { from: string; to: string };
  bucket: "hour" | "day";
  groupBy: string | null;
  costBasis: string;
  orgCurrency: string;
  points: SpendPoint[];
};

export type BillSpend = {
  window: { from: string; to: string; previousFrom: string };
  costBasis: string;
  byCurrency: Array<{ currency: string; current: string; previous: string; gpuCurrent: string; gpuPrevious: string }>;
};

export type Wasters = {
  idleThreshold: number;
  starvedBelow: number;
  idleGpus: Array<{ id: string; label: string; model: string; cluster: string; currency: string; idleCost: string; idleGpuHours: number }>;
  starvedRuns: Array<{ id: string; name: string; namespace: string; currency: string; unusedCost: string; gpuCost: string; meanUtilization: number }>;
};

export type WorkloadHourPoint = {
  hour: string;
  gpuHours: number;
  /** GPU-hour weighted over the GPUs' known hours; null for a gap. */
  utilization: number | null;
  cost: string | null;
  inferences: number;
  tokens: number;
  p95LatencyMs: number | null;
};

export type WorkloadDetail = {
  workload: { id: string; kind: string; name: string; namespace: string; team: string | null; cluster: string | null; framework: string | null; modelName: string | null };
  window: { from: string; to: string };
  costBasis: string;
  idleThreshold: number;
  currency: string | null;
  totals: {
    gpuHours: number;
    knownGpuHours: number;
    usefulGpuHours: number;
    meanUtilization: number | null;
    idleGpuHours: number;
    gpuCost: string | null;
    knownGpuCost: string | null;
    cpuRamCost: string | null;
    energyKwh: number;
    inferences: number;
    tokens: number;
    p95LatencyMs: number | null;
  };
  /** GPU cost per pricing category and GPU model. */
  breakdown: Array<{ pricingCategory: string; gpuModel: string; gpuHours: number; cost: string | null; currency: string | null }>;
  /** Per-GPU hourly utilization (up to 16 GPUs by GPU-hours). */
  gpuSeries: Array<{ gpuId: string; label: string; points: Array<[string, number | null]> }>;
  hours: WorkloadHourPoint[];
  slos: Array<{ name: string; kind: string; percentile: number | null; thresholdMs: number | null; objective: number | null }>;
};
