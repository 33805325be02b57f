// Shapes shared by the telemetry connectors (Prometheus, OpenCost) and the code that turns their
// answers into hourly rows. Pure types: no Prisma, no Node APIs.

export type Labels = Record<string, string>;

/** One series of a Prometheus matrix, timestamps in epoch milliseconds. Non-finite samples are dropped. */
export type Series = { metric: Labels; t: number[]; v: number[] };

export type WorkloadKindName = "TRAINING_RUN" | "INFERENCE_SERVICE" | "OTHER";

/** What a pod, a run label or an inference series resolves to; unique per (org, kind, namespace, name). */
export type WorkloadIdentity = {
  kind: WorkloadKindName;
  namespace: string;
  name: string;
  modelName?: string | null;
  framework?: string | null;
  /** A few identifying labels kept on the workload row (run id key, controller kind). */
  labels?: Labels;
};

/** A GPU device as telemetry names it: the physical GPU (migInstanceId "") or one MIG slice of it. */
export type GpuDevice = {
  key: string;
  uuid: string;
  migInstanceId: string;
  migProfile: string | null;
  /** Share of the physical GPU: 1 for a whole GPU, 3/7 for 3g.40gb on an H100. */
  fraction: number;
  gpuIndex: number | null;
  /** Normalized model (H100, A100-80GB...), as the GPU catalog names it. */
  model: string;
  hostname: string | null;
  /** Provider instance id from a label, when the exporter or a relabeling carries one. */
  instanceId: string | null;
  /** Cloud instance type from a node label (node.kubernetes.io/instance-type), when a relabeling carries one. */
  instanceType: string | null;
  memoryMib: number | null;
};

/** One device in one UTC hour, as stored in gpu_hourly (minus what the rollup refresh owns). */
export type GpuHourRow = {
  deviceKey: string;
  /** Start of the hour, epoch ms. */
  hour: number;
  /** Mean 0..1; null = no sample in the hour (a gap, never a zero). */
  utilization: number | null;
  smActive: number | null;
  tensorActive: number | null;
  memUsedMib: number | null;
  memTotalMib: number | null;
  powerW: number | null;
  samples: number;
  /** Provisioned GPU-hours: the device's fraction (MIG), or the unpartitioned remainder of a MIG GPU. */
  gpuHours: number;
  workload: WorkloadIdentity | null;
  namespace: string | null;
  pod: string | null;
  /** True for hours without samples between hours with samples: stored only where no row exists yet. */
  gap: boolean;
};

/** One inference service in one hour: increases of its counters, and of its latency histogram buckets. */
export type TrafficHourRow = {
  workload: WorkloadIdentity;
  hour: number;
  inferences: number;
  failures: number;
  promptTokens: number;
  generationTokens: number;
  /** { le: finite bounds in seconds, ascending; counts: cumulative increases per bound, then +Inf }. */
  latencyHistogram: { le: number[]; counts: number[] } | null;
};

export const HOUR_MS = 3_600_000;

export function floorHourMs(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}
