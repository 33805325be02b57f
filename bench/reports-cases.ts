// The report variants `npm run bench:reports` measures, with the simplest direct SQL for the same
// aggregate over the raw hourly table (the baseline), and the timing helper.
import { performance } from "node:perf_hooks";
import type { ReportKind, ReportQuery } from "../lib/domain/reports";

export function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

export async function timeIt(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn(); // warm-up: plan cache, connection, page cache
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

export type Case = { label: string; kind: ReportKind; groupBy?: ReportQuery["groupBy"]; baseline: string };

/** The report variants measured, each with the simplest direct SQL for the same aggregate ($1 org, $2 from, $3 to). */
export const CASES: Case[] = [
  {
    label: "gpu-hours by cluster,gpuModel",
    kind: "gpu-hours",
    groupBy: ["cluster", "gpuModel"],
    baseline: `SELECT c.name, g.model, h.currency, SUM(h.gpu_hours), SUM(h.rate * h.gpu_hours),
                 SUM(h.utilization * h.gpu_hours::float8) / SUM(h.gpu_hours::float8) FILTER (WHERE h.utilization IS NOT NULL),
                 SUM(h.gpu_hours) FILTER (WHERE h.utilization < 0.05), SUM(h.rate * h.gpu_hours) FILTER (WHERE h.utilization < 0.05),
                 SUM(h.rate * h.gpu_hours * (1 - h.utilization::numeric))
               FROM gpu_hourly h JOIN gpus g ON g.id = h.gpu_id LEFT JOIN clusters c ON c.id = g.cluster_id
               WHERE h.org_id = $1 AND h.hour >= $2 AND h.hour < $3 GROUP BY 1, 2, 3`,
  },
  {
    label: "gpu-hours by team",
    kind: "gpu-hours",
    groupBy: ["team"],
    baseline: `SELECT COALESCE(w.team, 'unattributed'), h.currency, SUM(h.gpu_hours), SUM(h.rate * h.gpu_hours),
                 SUM(h.utilization * h.gpu_hours::float8) / SUM(h.gpu_hours::float8) FILTER (WHERE h.utilization IS NOT NULL),
                 SUM(h.gpu_hours) FILTER (WHERE h.utilization < 0.05), SUM(h.rate * h.gpu_hours) FILTER (WHERE h.utilization < 0.05)
               FROM gpu_hourly h LEFT JOIN workloads w ON w.id = h.workload_id
               WHERE h.org_id = $1 AND h.hour >= $2 AND h.hour < $3 GROUP BY 1, 2`,
  },
  {
    label: "idle by team",
    kind: "idle",
    groupBy: ["team"],
    baseline: `SELECT COALESCE(w.team, 'unattributed'), h.currency, SUM(h.gpu_hours) FILTER (WHERE h.utilization < 0.05),
                 SUM(h.rate * h.gpu_hours) FILTER (WHERE h.utilization < 0.05)
               FROM gpu_hourly h LEFT JOIN workloads w ON w.id = h.workload_id
               WHERE h.org_id = $1 AND h.hour >= $2 AND h.hour < $3 GROUP BY 1, 2`,
  },
  {
    label: "training-runs",
    kind: "training-runs",
    baseline: `SELECT h.workload_id, SUM(h.gpu_hours), SUM(h.rate * h.gpu_hours), MIN(h.hour), MAX(h.hour),
                 SUM(h.utilization * h.gpu_hours::float8) / SUM(h.gpu_hours::float8) FILTER (WHERE h.utilization IS NOT NULL)
               FROM gpu_hourly h JOIN workloads w ON w.id = h.workload_id AND w.kind = 'TRAINING_RUN'
               WHERE h.org_id = $1 AND h.hour >= $2 AND h.hour < $3 GROUP BY 1`,
  },
  {
    label: "inference",
    kind: "inference",
    baseline: `SELECT h.workload_id, SUM(h.gpu_hours), SUM(h.rate * h.gpu_hours),
                 (SELECT SUM(inferences) FROM workload_hourly x WHERE x.workload_id = h.workload_id AND x.hour >= $2 AND x.hour < $3)
               FROM gpu_hourly h JOIN workloads w ON w.id = h.workload_id AND w.kind = 'INFERENCE_SERVICE'
               WHERE h.org_id = $1 AND h.hour >= $2 AND h.hour < $3 GROUP BY 1`,
  },
];

