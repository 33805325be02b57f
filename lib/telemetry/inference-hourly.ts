// Inference-server counters → per service and hour: requests served and failed, tokens, and the
// increases of the latency histogram's buckets (DOMAIN.md "Inference service").
//
// Families (metric name → what it counts):
//   vLLM    vllm:request_success_total{model_name, finished_reason}  stop/length → inferences,
//           abort/error → failures (the request did not complete); vllm:prompt_tokens_total,
//           vllm:generation_tokens_total; vllm:e2e_request_latency_seconds_bucket (seconds).
//   Triton  nv_inference_request_success / nv_inference_request_failure {model, version}.
//           (Triton's latency is a µs counter, not a histogram: no buckets.)
//   KServe  request_predict_seconds_bucket{model_name}: the +Inf bucket counts requests, the
//           buckets are the latency histogram.
// A service is its namespace plus the controller of the pod serving it when the series carries a pod
// label (the same name the GPU's pod maps to, so GPU cost and traffic meet on one workload), else the
// model name. Series of one service (engines, pods, versions, finished reasons) are summed.
import { forEachHourlyIncrease } from "./counter-increase";
import type { Series, TrafficHourRow, WorkloadIdentity } from "./types";
import { controllerFromPodName, type IdentityConfig, workloadKey } from "./workload-identity";

export const INFERENCE_METRICS = {
  vllmSuccess: "vllm:request_success_total",
  vllmPromptTokens: "vllm:prompt_tokens_total",
  vllmGenerationTokens: "vllm:generation_tokens_total",
  vllmLatencyBucket: "vllm:e2e_request_latency_seconds_bucket",
  tritonSuccess: "nv_inference_request_success",
  tritonFailure: "nv_inference_request_failure",
  kservePredictBucket: "request_predict_seconds_bucket",
} as const;

export const INFERENCE_METRIC_NAMES: string[] = Object.values(INFERENCE_METRICS);

const FAILED_VLLM_REASONS = new Set(["abort", "error"]);

type HourAcc = { inferences: number; failures: number; promptTokens: number; generationTokens: number; buckets: Map<number, number> | null };

export function inferenceServiceOf(series: Series, cfg: IdentityConfig): WorkloadIdentity | null {
  const name = series.metric.__name__ ?? "";
  const framework = name.startsWith("vllm:") ? "vllm" : name.startsWith("nv_inference_") ? "triton" : name.startsWith("request_predict_seconds") ? "kserve" : null;
  if (!framework) return null;
  const model = series.metric.model_name || series.metric.model || null;
  const namespace = series.metric.namespace ?? "";
  const pod = series.metric.pod;
  const serviceName = pod ? controllerFromPodName(pod, cfg).name : model;
  if (!serviceName) return null;
  return { kind: "INFERENCE_SERVICE", namespace, name: serviceName, modelName: model, framework };
}

function parseLe(le: string | undefined): number | null {
  if (le === undefined) return null;
  if (le === "+Inf" || le === "Inf" || le === "inf") return Infinity;
  const n = Number(le);
  return Number.isFinite(n) ? n : null;
}

/**
 * Hours in [from, to) only; hours where a service reported (even zero increases) get a row.
 * Counters are expected at a regular step starting at `from` (the baseline) and ending at or before `to`.
 */
export function aggregateInferenceHours(series: Series[], { from, to, identity }: { from: number; to: number; identity: IdentityConfig }): TrafficHourRow[] {
  const services = new Map<string, { workload: WorkloadIdentity; hours: Map<number, HourAcc> }>();
  for (const s of series) {
    const workload = inferenceServiceOf(s, identity);
    if (!workload) continue;
    const name = s.metric.__name__!;
    const key = workloadKey(workload);
    let svc = services.get(key);
    if (!svc) {
      svc = { workload, hours: new Map() };
      services.set(key, svc);
    } else if (!svc.workload.modelName && workload.modelName) {
      svc.workload = { ...svc.workload, modelName: workload.modelName };
    }
    const le = name.endsWith("_bucket") ? parseLe(s.metric.le) : null;
    if (name.endsWith("_bucket") && le === null) continue;

    const failed = name === INFERENCE_METRICS.vllmSuccess && FAILED_VLLM_REASONS.has(s.metric.finished_reason ?? "");
    const hours = svc.hours;
    forEachHourlyIncrease(s.t, s.v, (hour, inc) => {
      if (hour < from || hour >= to) return;
      let h = hours.get(hour);
      if (!h) {
        h = { inferences: 0, failures: 0, promptTokens: 0, generationTokens: 0, buckets: null };
        hours.set(hour, h);
      }
      switch (name) {
        case INFERENCE_METRICS.vllmSuccess:
          if (failed) h.failures += inc;
          else h.inferences += inc;
          break;
        case INFERENCE_METRICS.tritonSuccess:
          h.inferences += inc;
          break;
        case INFERENCE_METRICS.tritonFailure:
          h.failures += inc;
          break;
        case INFERENCE_METRICS.vllmPromptTokens:
          h.promptTokens += inc;
          break;
        case INFERENCE_METRICS.vllmGenerationTokens:
          h.generationTokens += inc;
          break;
        case INFERENCE_METRICS.vllmLatencyBucket:
        case INFERENCE_METRICS.kservePredictBucket:
          h.buckets ??= new Map();
          h.buckets.set(le!, (h.buckets.get(le!) ?? 0) + inc);
          if (name === INFERENCE_METRICS.kservePredictBucket && le === Infinity) h.inferences += inc;
          break;
      }
    });
  }

  const rows: TrafficHourRow[] = [];
  for (const { workload, hours } of services.values()) {
    for (const hour of [...hours.keys()].sort((a, b) => a - b)) {
      const h = hours.get(hour)!;
      rows.push({
        workload,
        hour,
        inferences: h.inferences,
        failures: h.failures,
        promptTokens: h.promptTokens,
        generationTokens: h.generationTokens,
        latencyHistogram: h.buckets ? toHistogram(h.buckets) : null,
      });
    }
  }
  return rows;
}

/** Cumulative bucket increases → { le: finite bounds ascending, counts: per bound then +Inf }. */
export function toHistogram(buckets: Map<number, number>): { le: number[]; counts: number[] } {
  const bounds = [...buckets.keys()].filter(Number.isFinite).sort((a, b) => a - b);
  const counts = bounds.map((b) => buckets.get(b)!);
  const inf = buckets.get(Infinity) ?? (counts.length ? Math.max(...counts) : 0);
  return { le: bounds, counts: [...counts, inf] };
}
