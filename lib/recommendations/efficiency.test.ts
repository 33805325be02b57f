import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS, efficiencyActions, type ServiceHour } from "./efficiency";

const H = 730; // one month of hours: monthly figures equal window figures

describe("efficiency actions", () => {
  it("reclaims GPUs idle in more than N% of their hours, grouped per host, saving their idle cost", () => {
    const actions = efficiencyActions({
      windowHours: H,
      gpus: [
        { gpuId: "g1", uuid: "GPU-1", host: "node-a", gpuModel: "H100", cluster: "c", hours: 730, knownHours: 700, idleHours: 600, idleCost: 600 * 6.88, cost: 730 * 6.88 },
        { gpuId: "g2", uuid: "GPU-2", host: "node-a", gpuModel: "H100", cluster: "c", hours: 730, knownHours: 700, idleHours: 300, idleCost: 300 * 6.88, cost: 730 * 6.88 },
        { gpuId: "g3", uuid: "GPU-3", host: "node-b", gpuModel: "H100", cluster: "c", hours: 730, knownHours: 700, idleHours: 351, idleCost: 351 * 6.88, cost: 730 * 6.88 },
      ],
      workloads: [],
      services: [],
    });
    expect(actions.map((a) => a.fingerprint)).toEqual(["reclaim-idle:c/node-a", "reclaim-idle:c/node-b"]);
    expect(actions[0]!.monthlySavings).toBeCloseTo(600 * 6.88, 6);
    expect(actions[0]!.scope.gpuIds).toEqual(["g1"]);
    expect(actions[1]!.monthlySavings).toBeCloseTo(351 * 6.88, 6);
  });

  it("prices a starved training run and its team at the target utilization", () => {
    const actions = efficiencyActions({
      windowHours: H,
      gpus: [],
      workloads: [
        { workloadId: "w1", kind: "TRAINING_RUN", name: "run-1", namespace: "ml", team: "vision", gpuHours: 100, knownGpuHours: 100, usefulGpuHours: 35, cost: 1000 },
        { workloadId: "w2", kind: "TRAINING_RUN", name: "run-2", namespace: "ml", team: "vision", gpuHours: 100, knownGpuHours: 100, usefulGpuHours: 90, cost: 1000 },
      ],
      services: [],
    });
    const run = actions.find((a) => a.fingerprint === "starved-training:w1")!;
    expect(run.monthlySavings).toBeCloseTo(1000 - (1000 * 0.35) / 0.7, 6);
    expect(actions.find((a) => a.fingerprint === "starved-training:w2")).toBeUndefined();
    // Team: mean utilization 125/200 = 62.5% over 2000 of cost.
    const team = actions.find((a) => a.fingerprint === "underutilized-team:vision")!;
    expect(team.monthlySavings).toBeCloseTo(2000 - (2000 * 0.625) / 0.7, 6);
  });

  it("consolidates a lightly used service, quantizes a memory-bound one, and flags flat autoscaling", () => {
    const flat: ServiceHour[] = Array.from({ length: H }, (_, h) => ({ gpus: 8, utilization: 0.2, memoryFraction: 0.3, tokens: h % 24 < 12 ? 1_000_000 : 100_000, cost: 8 * 5 }));
    const memBound: ServiceHour[] = Array.from({ length: H }, () => ({ gpus: 4, utilization: 0.3, memoryFraction: 0.85, tokens: 0, cost: 4 * 5 }));
    const actions = efficiencyActions({
      windowHours: H,
      gpus: [],
      workloads: [],
      services: [
        { workloadId: "s1", name: "chat", namespace: "serving", team: null, modelName: "m", hours: flat },
        { workloadId: "s2", name: "big", namespace: "serving", team: null, modelName: "big-model", hours: memBound },
      ],
    });
    // s1: p95 busy = 1.6 GPUs → 3 GPUs at 70%; memory 2.4 GPUs → 3 at 90%: 8 → 3.
    const consolidate = actions.find((a) => a.fingerprint === "consolidate-inference:s1")!;
    expect(consolidate.evidence.neededGpus).toBe(3);
    expect(consolidate.monthlySavings).toBeCloseTo(5 * 5 * 730, 6);
    // s1's GPUs are flat while tokens swing 10×: at 125k tokens per GPU-hour, quiet hours need 1 GPU.
    const autoscale = actions.find((a) => a.fingerprint === "autoscale-on-tokens:s1")!;
    // 730 hours = 30 days + 10 busy hours: 360 quiet hours, 7 GPUs released in each.
    expect(autoscale.monthlySavings).toBeCloseTo(360 * 7 * 5, 6);
    // s2: busy 1.2 → 2 GPUs; memory 3.4 → 4 GPUs: memory-bound; INT8 needs 0.85 → 1, so compute's 2.
    const quantize = actions.find((a) => a.fingerprint === "quantize:s2")!;
    expect(quantize.evidence.int8Gpus).toBe(2);
    expect(quantize.monthlySavings).toBeCloseTo(2 * 5 * 730, 6);
    expect(actions.find((a) => a.fingerprint === "consolidate-inference:s2")).toBeUndefined();
  });

  it("uses the default 70% target", () => {
    expect(DEFAULT_THRESHOLDS.targetUtilization).toBe(0.7);
  });
});
