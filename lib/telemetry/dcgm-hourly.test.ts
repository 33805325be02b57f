import { describe, expect, it } from "vitest";
import { aggregateDcgmHours, DEFAULT_HOSTNAME_LABELS, DEFAULT_INSTANCE_ID_LABELS, type DcgmInput, instanceIdFromProviderId } from "./dcgm-hourly";
import { HOUR_MS, type Series } from "./types";
import { compileIdentityConfig } from "./workload-identity";

const opts = { hostnameLabels: DEFAULT_HOSTNAME_LABELS, instanceIdLabels: DEFAULT_INSTANCE_ID_LABELS, identity: compileIdentityConfig() };
const H = (h: number) => Date.UTC(2026, 0, 15, h);
/** A point of an hourly *_over_time answer sits on the hour's last millisecond. */
const at = (h: number) => H(h) + HOUR_MS - 1;

const gpuA = { gpu: "0", UUID: "GPU-aaaa", device: "nvidia0", modelName: "NVIDIA H100 80GB HBM3", Hostname: "node-1" };
const gpuB = { gpu: "1", UUID: "GPU-bbbb", device: "nvidia1", modelName: "NVIDIA H100 80GB HBM3", hostname: "node-2", instance_id: "aws:///us-east-1a/i-0b" };

function agg(points: Array<{ labels: Record<string, string>; hour: number; sum: number; count: number }>) {
  // One series per label set, as Prometheus answers.
  const byLabels = new Map<string, { sum: Series; count: Series }>();
  for (const p of points) {
    const k = JSON.stringify(p.labels);
    let s = byLabels.get(k);
    if (!s) {
      s = { sum: { metric: p.labels, t: [], v: [] }, count: { metric: p.labels, t: [], v: [] } };
      byLabels.set(k, s);
    }
    s.sum.t.push(at(p.hour));
    s.sum.v.push(p.sum);
    s.count.t.push(at(p.hour));
    s.count.v.push(p.count);
  }
  return { sum: [...byLabels.values()].map((s) => s.sum), count: [...byLabels.values()].map((s) => s.count) };
}

describe("aggregateDcgmHours", () => {
  it("takes the node's instance type from a relabeled node label, the latest series winning", () => {
    const typed = { ...gpuB, label_node_kubernetes_io_instance_type: "p4d.24xlarge" };
    const input: DcgmInput = {
      grEngineActive: agg([
        { labels: gpuA, hour: 10, sum: 0.5, count: 1 },
        { labels: gpuB, hour: 10, sum: 0.5, count: 1 },
        { labels: typed, hour: 11, sum: 0.5, count: 1 },
      ]),
    };
    const { devices } = aggregateDcgmHours(input, opts);
    expect(devices.find((d) => d.uuid === "GPU-aaaa")!.instanceType).toBeNull();
    expect(devices.find((d) => d.uuid === "GPU-bbbb")!.instanceType).toBe("p4d.24xlarge");
    const custom = aggregateDcgmHours({ grEngineActive: agg([{ labels: { ...gpuA, machine_type: "a3-highgpu-8g" }, hour: 10, sum: 1, count: 1 }]) }, { ...opts, instanceTypeLabels: ["machine_type"] });
    expect(custom.devices[0]!.instanceType).toBe("a3-highgpu-8g");
  });

  it("averages over every sample of the hour across series split by pod changes", () => {
    const withPod = { ...gpuA, pod: "trainer-run-4-x7k2p", namespace: "ml", container: "main" };
    const input: DcgmInput = {
      grEngineActive: agg([
        { labels: withPod, hour: 10, sum: 20 * 0.9, count: 20 },
        { labels: gpuA, hour: 10, sum: 40 * 0.1, count: 40 },
        { labels: withPod, hour: 11, sum: 60 * 0.8, count: 60 },
      ]),
      // GPU_UTIL is ignored where GR_ENGINE_ACTIVE exists
      gpuUtil: agg([{ labels: gpuA, hour: 10, sum: 60 * 50, count: 60 }]),
      fbUsed: agg([{ labels: gpuA, hour: 10, sum: 60 * 1000, count: 60 }]),
      fbFree: agg([{ labels: gpuA, hour: 10, sum: 60 * 80000, count: 60 }]),
      power: agg([
        { labels: withPod, hour: 10, sum: 20 * 600, count: 20 },
        { labels: gpuA, hour: 10, sum: 40 * 100, count: 40 },
      ]),
    };
    const { devices, rows, samples } = aggregateDcgmHours(input, opts);
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ uuid: "GPU-aaaa", migInstanceId: "", fraction: 1, gpuIndex: 0, model: "H100", hostname: "node-1", memoryMib: 81000 });
    expect(rows).toHaveLength(2);
    const [h10, h11] = rows;
    expect(h10!.utilization).toBeCloseTo((18 + 4) / 60, 12);
    expect(h10).toMatchObject({ hour: H(10), samples: 60, pod: null, workload: null, memUsedMib: 1000, memTotalMib: 81000, gpuHours: 1, gap: false });
    expect(h10!.powerW).toBeCloseTo((12000 + 4000) / 60, 12);
    expect(h11).toMatchObject({ hour: H(11), samples: 60, pod: "trainer-run-4-x7k2p", namespace: "ml", workload: { kind: "TRAINING_RUN", name: "trainer-run", namespace: "ml" } });
    expect(h11!.utilization).toBeCloseTo(0.8, 12);
    expect(samples).toBe(20 + 40 + 60 + 60 + 60 + 60 + 60);
  });

  it("falls back to GPU_UTIL / 100, accepts lowercase hostname and leaves gaps missing", () => {
    const input: DcgmInput = {
      gpuUtil: agg([
        { labels: gpuB, hour: 10, sum: 30 * 40, count: 30 },
        { labels: gpuB, hour: 13, sum: 60 * 90, count: 60 },
      ]),
    };
    const { devices, rows } = aggregateDcgmHours(input, opts);
    expect(devices[0]).toMatchObject({ hostname: "node-2", instanceId: "i-0b" });
    expect(rows.map((r) => [r.hour, r.utilization, r.samples, r.gap])).toEqual([
      [H(10), 0.4, 30, false],
      [H(11), null, 0, true],
      [H(12), null, 0, true],
      [H(13), 0.9, 60, false],
    ]);
  });

  it("counts MIG slices as their fraction and the unpartitioned rest of the GPU as idle capacity", () => {
    const parent = { gpu: "2", UUID: "GPU-mig", modelName: "NVIDIA H100 80GB HBM3", Hostname: "node-3" };
    const s1 = { ...parent, GPU_I_PROFILE: "3g.40gb", GPU_I_ID: "1", pod: "vllm-a-5c9d8f7b6-x7k2p", namespace: "serving" };
    const s2 = { ...parent, GPU_I_PROFILE: "3g.40gb", GPU_I_ID: "2" };
    const { devices, rows } = aggregateDcgmHours(
      {
        grEngineActive: agg([
          { labels: s1, hour: 10, sum: 60 * 0.5, count: 60 },
          { labels: s2, hour: 10, sum: 60 * 0.2, count: 60 },
        ]),
        power: agg([{ labels: parent, hour: 10, sum: 60 * 300, count: 60 }]),
      },
      opts,
    );
    expect(devices.map((d) => [d.migInstanceId, d.migProfile, d.fraction]).sort()).toEqual([
      ["", null, 1],
      ["1", "3g.40gb", 3 / 7],
      ["2", "3g.40gb", 3 / 7],
    ]);
    const byKey = Object.fromEntries(rows.map((r) => [r.deviceKey.split("\u0000")[1] || "whole", r]));
    expect(byKey["1"]).toMatchObject({ utilization: 0.5, gpuHours: 0.428571, workload: { kind: "INFERENCE_SERVICE", name: "vllm-a" } });
    expect(byKey["2"]).toMatchObject({ utilization: 0.2, gpuHours: 0.428571, workload: null });
    expect(byKey.whole).toMatchObject({ utilization: 0, samples: 0, gpuHours: 0.142857, powerW: null });
  });

  it("names GPUs without a UUID by host and index, and skips series it cannot place", () => {
    const { devices } = aggregateDcgmHours(
      { gpuUtil: agg([{ labels: { gpu: "3", Hostname: "dgx-01" }, hour: 10, sum: 10, count: 1 }, { labels: { foo: "bar" }, hour: 10, sum: 1, count: 1 }]) },
      opts,
    );
    expect(devices.map((d) => d.uuid)).toEqual(["host:dgx-01:3"]);
  });
});

describe("instanceIdFromProviderId", () => {
  it("keeps the instance's own id", () => {
    expect(instanceIdFromProviderId("aws:///us-east-1a/i-0abc123def4567890")).toBe("i-0abc123def4567890");
    expect(instanceIdFromProviderId("gce://demo-ml-prod/us-central1-a/gke-a3-pool-1")).toBe("gke-a3-pool-1");
    expect(instanceIdFromProviderId("i-0abc")).toBe("i-0abc");
    expect(instanceIdFromProviderId("")).toBeNull();
  });
});
