import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileIdentityConfig } from "@/lib/telemetry/workload-identity";
import { allocationQuery, identifyAllocation, parseAllocationResponse, type PodHour } from "./allocation";

const fixture = (name: string) => JSON.parse(readFileSync(path.join(__dirname, "fixtures", name), "utf8"));
const identity = compileIdentityConfig();

/** The synthetic GPU fixture as one hourly step of the answer (what step=1h returns). */
function hourly() {
  const body = fixture("allocation-gpu-synthetic.json");
  const alloc = body.data[0]["ml-training/llama-ft-7b-0"];
  alloc.window = { start: "2025-06-01T03:00:00Z", end: "2025-06-01T04:00:00Z" };
  alloc.start = "2025-06-01T03:00:00Z";
  alloc.end = "2025-06-01T04:00:00Z";
  alloc.minutes = 60;
  alloc.gpuHours = 8;
  alloc.gpuCostAdjustment = -1.5;
  body.data[0].__idle__ = { name: "__idle__", properties: {}, window: alloc.window, cpuCost: 1 };
  body.data.push(null);
  return body;
}

describe("parseAllocationResponse", () => {
  it("flattens hourly steps to pod-hours with GPU, CPU and RAM cost", () => {
    const [p, ...rest] = parseAllocationResponse(hourly());
    expect(rest).toEqual([]);
    expect(p).toEqual({
      hour: Date.UTC(2025, 5, 1, 3),
      cluster: "gpu-prod-use1",
      node: "ip-10-0-12-34.ec2.internal",
      namespace: "ml-training",
      pod: "llama-ft-7b-0",
      controller: "llama-ft-7b",
      controllerKind: "job",
      labels: { team: "research", run_id: "exp-0412", node_kubernetes_io_instance_type: "p5.48xlarge" },
      providerId: "i-0abc123def4567890",
      minutes: 60,
      gpuRequest: 8,
      gpuUsage: 0.71,
      gpuHours: 8,
      gpuCost: 294.12 - 1.5,
      cpuCost: 18.14,
      ramCost: 18,
    });
  });

  it("refuses answers that are not hourly, not successful, or not allocation sets", () => {
    expect(() => parseAllocationResponse(fixture("allocation-gpu-synthetic.json"), "OpenCost at http://x")).toThrow(
      'OpenCost at http://x: allocation "ml-training/llama-ft-7b-0" covers 2025-06-01T00:00:00.000Z → 2025-06-02T00:00:00.000Z, not one whole UTC hour (was step=1h honored?)',
    );
    expect(() => parseAllocationResponse({ code: 400, message: "invalid window" })).toThrow("OpenCost answered code 400: invalid window");
    expect(() => parseAllocationResponse({ code: 200, data: { a: 1 } })).toThrow(/without a data array/);
    expect(() => parseAllocationResponse("<html>")).toThrow(/not an allocation response/);
    expect(() => parseAllocationResponse({ code: 200, data: [[1]] })).toThrow(/not a map of allocations/);
  });

  it("reads the real (GPU-less) OpenCost answer's shape once it is hourly", () => {
    const body = fixture("allocation-real-no-gpu.json");
    for (const a of Object.values(body.data[0]) as Array<{ window: unknown }>) a.window = { start: "2023-07-12T11:00:00Z", end: "2023-07-12T12:00:00Z" };
    const pods = parseAllocationResponse(body);
    expect(pods.map((p) => [p.namespace, p.pod, p.gpuRequest, p.cpuCost])).toEqual([
      ["kube-system", "kube-system", 0, 1.43086],
      ["opencost", "opencost", 0, 0.06359],
      ["prometheus", "prometheus", 0, 0.0218],
    ]);
  });
});

describe("identifyAllocation", () => {
  const pod = (p: Partial<PodHour>): PodHour => ({ hour: 0, cluster: null, node: null, namespace: "ns", pod: "x", controller: null, controllerKind: null, labels: {}, providerId: null, minutes: 60, gpuRequest: 1, gpuUsage: null, gpuHours: 1, gpuCost: 0, cpuCost: 0, ramCost: 0, ...p });

  it("prefers run labels, then OpenCost's controller, then the pod-name rules", () => {
    expect(identifyAllocation(pod({ labels: { run_id: "exp-0412" }, controller: "llama-ft-7b", controllerKind: "job" }), identity)).toMatchObject({ kind: "TRAINING_RUN", name: "exp-0412" });
    expect(identifyAllocation(pod({ controller: "llama-ft-7b", controllerKind: "job", pod: "llama-ft-7b-x7k2p" }), identity)).toMatchObject({ kind: "TRAINING_RUN", name: "llama-ft-7b" });
    expect(identifyAllocation(pod({ controller: "mistral-api", controllerKind: "deployment", pod: "mistral-api-5c9d8f7b6-x7k2p" }), identity)).toMatchObject({ kind: "INFERENCE_SERVICE", name: "mistral-api" });
    expect(identifyAllocation(pod({ controller: "vllm", controllerKind: "statefulset", pod: "vllm-0" }), identity)).toMatchObject({ kind: "TRAINING_RUN", name: "vllm" });
    expect(identifyAllocation(pod({ controller: "ds", controllerKind: "daemonset", pod: "ds-abcd" }), identity)).toMatchObject({ kind: "OTHER", name: "ds" });
    expect(identifyAllocation(pod({ pod: "resnet-sweep-12-3" }), identity)).toMatchObject({ kind: "TRAINING_RUN", name: "resnet-sweep-12" });
  });

  it("asks for hourly, per-pod, unaccumulated sets without idle", () => {
    expect(Object.fromEntries(allocationQuery({ from: new Date("2025-06-01T00:00:00Z"), to: new Date("2025-06-02T00:00:00Z") }))).toEqual({
      window: "2025-06-01T00:00:00Z,2025-06-02T00:00:00Z",
      aggregate: "namespace,pod",
      step: "1h",
      accumulate: "false",
      includeIdle: "false",
      shareIdle: "false",
    });
  });
});
