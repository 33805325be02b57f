import { describe, expect, it } from "vitest";
import { aggregateInferenceHours, toHistogram } from "./inference-hourly";
import type { Series } from "./types";
import { compileIdentityConfig } from "./workload-identity";

const identity = compileIdentityConfig();
const H = (h: number, m = 0) => Date.UTC(2026, 0, 15, h, m);
const steps = (from: number, n: number, stepMin = 30) => Array.from({ length: n }, (_, i) => from + i * stepMin * 60_000);
const series = (metric: Record<string, string>, v: number[], from = H(10)): Series => ({ metric, t: steps(from, v.length), v });

describe("aggregateInferenceHours", () => {
  it("sums vLLM success by reason, tokens and histogram buckets per service and hour", () => {
    const base = { model_name: "meta-llama/Llama-3.1-8B-Instruct", namespace: "serving", pod: "llama-api-5c9d8f7b6-x7k2p" };
    const rows = aggregateInferenceHours(
      [
        series({ __name__: "vllm:request_success_total", finished_reason: "stop", engine: "0", ...base }, [100, 150, 210]),
        series({ __name__: "vllm:request_success_total", finished_reason: "length", engine: "0", ...base }, [10, 12, 12]),
        series({ __name__: "vllm:request_success_total", finished_reason: "abort", engine: "0", ...base }, [1, 1, 3]),
        // a second pod of the same deployment, restarted in between (counter reset)
        series({ __name__: "vllm:request_success_total", finished_reason: "stop", engine: "0", ...base, pod: "llama-api-5c9d8f7b6-b2k9s" }, [500, 20, 30]),
        series({ __name__: "vllm:prompt_tokens_total", ...base }, [1000, 2000, 2500]),
        series({ __name__: "vllm:generation_tokens_total", ...base }, [10, 20, 40]),
        series({ __name__: "vllm:e2e_request_latency_seconds_bucket", le: "1.0", ...base }, [50, 80, 100]),
        series({ __name__: "vllm:e2e_request_latency_seconds_bucket", le: "+Inf", ...base }, [111, 163, 225]),
        series({ __name__: "vllm:e2e_request_latency_seconds_bucket", le: "0.5", ...base }, [40, 60, 70]),
      ],
      { from: H(10), to: H(11), identity },
    );
    expect(rows).toEqual([
      {
        workload: { kind: "INFERENCE_SERVICE", namespace: "serving", name: "llama-api", modelName: "meta-llama/Llama-3.1-8B-Instruct", framework: "vllm" },
        hour: H(10),
        inferences: 50 + 60 + 2 + 0 + 20 + 10,
        failures: 2,
        promptTokens: 1500,
        generationTokens: 30,
        latencyHistogram: { le: [0.5, 1], counts: [30, 50, 114] },
      },
    ]);
  });

  it("maps Triton and KServe, and names services by model when no pod label exists", () => {
    const rows = aggregateInferenceHours(
      [
        series({ __name__: "nv_inference_request_success", model: "resnet50", version: "1", namespace: "vision" }, [0, 100, 300]),
        series({ __name__: "nv_inference_request_success", model: "resnet50", version: "2", namespace: "vision" }, [0, 5, 5]),
        series({ __name__: "nv_inference_request_failure", model: "resnet50", version: "1", namespace: "vision" }, [0, 1, 4]),
        series({ __name__: "request_predict_seconds_bucket", model_name: "sklearn-iris", le: "0.1" }, [0, 7, 9]),
        series({ __name__: "request_predict_seconds_bucket", model_name: "sklearn-iris", le: "+Inf" }, [0, 8, 12]),
        series({ __name__: "up", job: "x" }, [1, 1, 1]),
      ],
      { from: H(10), to: H(11), identity },
    );
    expect(rows.map((r) => [r.workload.framework, r.workload.namespace, r.workload.name, r.inferences, r.failures, r.latencyHistogram])).toEqual([
      ["triton", "vision", "resnet50", 305, 4, null],
      ["kserve", "", "sklearn-iris", 12, 0, { le: [0.1], counts: [9, 12] }],
    ]);
  });

  it("keeps only hours of the window", () => {
    const rows = aggregateInferenceHours([series({ __name__: "nv_inference_request_success", model: "m" }, [0, 1, 2, 3, 4])], { from: H(10), to: H(11), identity });
    expect(rows.map((r) => [r.hour, r.inferences])).toEqual([[H(10), 2]]);
  });

  it("builds cumulative histograms with +Inf last", () => {
    expect(toHistogram(new Map([[Infinity, 10], [2.5, 9], [1, 4]]))).toEqual({ le: [1, 2.5], counts: [4, 9, 10] });
    expect(toHistogram(new Map([[1, 4]]))).toEqual({ le: [1], counts: [4, 4] });
  });
});
