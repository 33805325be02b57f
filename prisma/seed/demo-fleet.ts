// The demo org's fleet: three clusters, 14 nodes, 112 GPUs, and what runs on them hour by hour.
// Everything here is generated from a seeded PRNG, so the same `start` gives the same fleet and schedule.
import { createRng, type Rng } from "./random";

export type PricingCategory = "Standard" | "Dynamic" | "Committed";

export type DemoCluster = {
  name: string;
  provider: "aws" | "gcp" | "onprem";
  region: string | null;
  onPrem?: { capexPerServer: number; lifeYears: number; powerKwPerServer: number; pue: number; pricePerKwh: number; colocationHourly: number; gpusPerServer: number };
};

export type DemoNode = {
  cluster: string;
  name: string;
  hostname: string;
  instanceType: string;
  gpuModel: string;
  gpuCount: number;
  memoryMib: number;
  idleW: number;
  maxW: number;
  /** Bill ResourceId (and the GPU's provider instance id); null on-prem. */
  resourceId: string | null;
  pricing: PricingCategory | null;
  subAccountId: string;
  team: string;
};

export type WorkloadSpec = {
  key: string;
  kind: "TRAINING_RUN" | "INFERENCE_SERVICE";
  name: string;
  namespace: string;
  team: string;
  cluster: string;
  framework: string;
  modelName?: string;
  /** Mean utilization while running (training) or at peak (inference). */
  efficiency: number;
  interruptible: boolean;
  checkpointIntervalMinutes?: number;
  /** Requests per hour at the daily peak, for inference services. */
  peakRequestsPerHour?: number;
  promptTokens?: number;
  generationTokens?: number;
  /** Median latency in seconds at low load. */
  baseLatency?: number;
};

export const CLUSTERS: DemoCluster[] = [
  { name: "aws-use1-training", provider: "aws", region: "us-east-1" },
  { name: "gcp-usc1-a3", provider: "gcp", region: "us-central1" },
  {
    name: "onprem-dc1-h100",
    provider: "onprem",
    region: null,
    // An 8×H100 server at about $325k, 4 years, 10.2 kW, PUE 1.4, $0.12/kWh, $2.50/h colocation (DOMAIN.md).
    onPrem: { capexPerServer: 325_000, lifeYears: 4, powerKwPerServer: 10.2, pue: 1.4, pricePerKwh: 0.12, colocationHourly: 2.5, gpusPerServer: 8 },
  },
];

const H100 = { gpuModel: "H100", memoryMib: 81559, idleW: 70, maxW: 700 };
const A100 = { gpuModel: "A100-40GB", memoryMib: 40960, idleW: 55, maxW: 400 };

export function buildNodes(rng: Rng): DemoNode[] {
  const awsId = () => `i-0${rng.hex(16)}`;
  const ip = () => `ip-10-0-${rng.int(0, 15)}-${rng.int(2, 250)}.ec2.internal`;
  const nodes: DemoNode[] = [];
  for (let i = 1; i <= 6; i++) {
    nodes.push({ cluster: "aws-use1-training", name: `p5-0${i}`, hostname: ip(), instanceType: "p5.48xlarge", gpuCount: 8, ...H100, resourceId: awsId(), pricing: i <= 2 ? "Committed" : "Standard", subAccountId: "444455556666", team: "llm-research" });
  }
  for (let i = 1; i <= 4; i++) {
    nodes.push({ cluster: "aws-use1-training", name: `p4d-0${i}`, hostname: ip(), instanceType: "p4d.24xlarge", gpuCount: 8, ...A100, resourceId: awsId(), pricing: i === 1 ? "Dynamic" : "Standard", subAccountId: "444455556666", team: i === 3 ? "inference-platform" : "vision" });
  }
  for (let i = 1; i <= 2; i++) {
    const name = `gke-a3-pool-${rng.hex(8)}-${rng.hex(4)}`;
    nodes.push({ cluster: "gcp-usc1-a3", name: `a3-0${i}`, hostname: name, instanceType: "a3-highgpu-8g", gpuCount: 8, ...H100, resourceId: `//compute.googleapis.com/projects/demo-ml-prod/zones/us-central1-a/instances/${name}`, pricing: "Standard", subAccountId: "demo-ml-prod", team: "inference-platform" });
  }
  for (let i = 1; i <= 2; i++) {
    nodes.push({ cluster: "onprem-dc1-h100", name: `dgx-0${i}`, hostname: `dgx-0${i}.dc1.internal`, instanceType: "dgx-h100", gpuCount: 8, ...H100, resourceId: null, pricing: null, subAccountId: "onprem", team: i === 1 ? "inference-platform" : "llm-research" });
  }
  return nodes;
}

export const SERVICES: WorkloadSpec[] = [
  { key: "svc:mistral", kind: "INFERENCE_SERVICE", name: "mistral-7b-api", namespace: "serving", team: "inference-platform", cluster: "gcp-usc1-a3", framework: "vllm", modelName: "mistralai/Mistral-7B-Instruct-v0.3", efficiency: 0.78, interruptible: false, peakRequestsPerHour: 90_000, promptTokens: 450, generationTokens: 220, baseLatency: 0.9 },
  { key: "svc:llama", kind: "INFERENCE_SERVICE", name: "llama3-8b-chat", namespace: "serving", team: "inference-platform", cluster: "gcp-usc1-a3", framework: "vllm", modelName: "meta-llama/Meta-Llama-3-8B-Instruct", efficiency: 0.6, interruptible: false, peakRequestsPerHour: 60_000, promptTokens: 380, generationTokens: 260, baseLatency: 1.1 },
  { key: "svc:resnet", kind: "INFERENCE_SERVICE", name: "resnet50-classify", namespace: "vision-serving", team: "vision", cluster: "onprem-dc1-h100", framework: "triton", modelName: "resnet50", efficiency: 0.55, interruptible: false, peakRequestsPerHour: 200_000, baseLatency: 0.012 },
  { key: "svc:bert", kind: "INFERENCE_SERVICE", name: "bert-rerank", namespace: "search", team: "search", cluster: "onprem-dc1-h100", framework: "triton", modelName: "bert-rerank", efficiency: 0.35, interruptible: false, peakRequestsPerHour: 120_000, baseLatency: 0.02 },
];

/** Which node GPUs serve which service all the time. */
export const SERVICE_PLACEMENT: Array<{ node: string; gpus: number[]; service: string }> = [
  { node: "a3-01", gpus: [0, 1, 2, 3, 4, 5, 6, 7], service: "svc:mistral" },
  { node: "a3-02", gpus: [0, 1, 2, 3], service: "svc:llama" },
  { node: "p4d-03", gpus: [0, 1, 2, 3, 4, 5, 6, 7], service: "svc:llama" },
  { node: "dgx-01", gpus: [0, 1, 2, 3], service: "svc:resnet" },
  { node: "dgx-01", gpus: [4, 5, 6, 7], service: "svc:bert" },
];

/** Nodes that are provisioned and billed but never scheduled: the waste the product exists to find. */
export const IDLE_NODES = ["p5-06", "p4d-04"];

/** Telemetry outages: hours (offset from the window start) where the exporter sent nothing. */
export const OUTAGES: Array<{ node: string; fromHour: number; toHour: number }> = [
  { node: "dgx-01", fromHour: 9 * 24 + 3, toHour: 9 * 24 + 10 },
  { node: "p4d-03", fromHour: 17 * 24 + 13, toHour: 17 * 24 + 19 },
];

const RUN_FAMILIES = [
  { prefix: "llama3-8b-sft", team: "llm-research", framework: "pytorch" },
  { prefix: "mistral-7b-dpo", team: "llm-research", framework: "pytorch" },
  { prefix: "vit-l-pretrain", team: "vision", framework: "pytorch" },
  { prefix: "resnet-sweep", team: "vision", framework: "pytorch" },
  { prefix: "whisper-ft", team: "speech", framework: "pytorch" },
] as const;

export type Placement = { workloadKey: string; nodes: string[]; gpus: number[] | "all"; fromHour: number; toHour: number };

export type Schedule = { runs: WorkloadSpec[]; placements: Placement[] };

/**
 * Training runs on the training nodes: a big multi-node pretraining run, then per-node runs of 8-60 h
 * with gaps, none starting on a weekend (so weekends go idle). About a third are starved near 40%.
 */
export function buildTrainingSchedule({ start, hours, seed }: { start: Date; hours: number; seed: number }): Schedule {
  const rng = createRng(seed ^ 0x5eed);
  const runs: WorkloadSpec[] = [];
  const placements: Placement[] = [];
  const counters = new Map<string, number>();
  const isWeekend = (h: number) => {
    const d = new Date(start.getTime() + h * 3_600_000).getUTCDay();
    return d === 0 || d === 6;
  };
  const newRun = (family: (typeof RUN_FAMILIES)[number], cluster: string, starved: boolean, interruptible: boolean): WorkloadSpec => {
    const n = (counters.get(family.prefix) ?? rng.int(3, 9)) + 1;
    counters.set(family.prefix, n);
    const spec: WorkloadSpec = {
      key: `run:${family.prefix}-${String(n).padStart(2, "0")}`,
      kind: "TRAINING_RUN",
      name: `${family.prefix}-${String(n).padStart(2, "0")}`,
      namespace: "training",
      team: family.team,
      cluster,
      framework: family.framework,
      efficiency: starved ? rng.between(0.36, 0.45) : rng.between(0.84, 0.93),
      interruptible,
      checkpointIntervalMinutes: interruptible ? 30 : 120,
    };
    runs.push(spec);
    return spec;
  };

  // A 4-node pretraining run on the committed + first on-demand p5 nodes, days 2-7.
  const big = newRun(RUN_FAMILIES[0], "aws-use1-training", false, false);
  big.name = "llama3-70b-pretrain-01";
  big.key = "run:llama3-70b-pretrain-01";
  big.efficiency = 0.91;
  const bigFrom = Math.min(24 + 6, Math.max(0, hours - 48));
  const bigTo = Math.min(hours, bigFrom + 5 * 24);
  placements.push({ workloadKey: big.key, nodes: ["p5-01", "p5-02", "p5-03", "p5-04"], gpus: "all", fromHour: bigFrom, toHour: bigTo });

  const trainingNodes: Array<{ node: string; cluster: string; gpus: number[] | "all"; families: number[]; interruptible: boolean }> = [
    { node: "p5-01", cluster: "aws-use1-training", gpus: "all", families: [0, 1], interruptible: false },
    { node: "p5-02", cluster: "aws-use1-training", gpus: "all", families: [0, 1], interruptible: false },
    { node: "p5-03", cluster: "aws-use1-training", gpus: "all", families: [0, 1, 4], interruptible: false },
    { node: "p5-04", cluster: "aws-use1-training", gpus: "all", families: [1, 4], interruptible: false },
    { node: "p5-05", cluster: "aws-use1-training", gpus: "all", families: [0, 4], interruptible: false },
    { node: "p4d-01", cluster: "aws-use1-training", gpus: "all", families: [2, 3], interruptible: true },
    { node: "p4d-02", cluster: "aws-use1-training", gpus: "all", families: [2, 3], interruptible: false },
    { node: "a3-02", cluster: "gcp-usc1-a3", gpus: [4, 5, 6, 7], families: [3], interruptible: false },
    { node: "dgx-02", cluster: "onprem-dc1-h100", gpus: "all", families: [0, 2, 4], interruptible: false },
  ];

  for (const tn of trainingNodes) {
    const busy = (h: number) => tn.node !== "dgx-02" && big && ["p5-01", "p5-02", "p5-03", "p5-04"].includes(tn.node) && h >= bigFrom && h < bigTo;
    let h = rng.int(0, 6);
    while (h < hours) {
      if (busy(h)) {
        h = bigTo + rng.int(1, 4);
        continue;
      }
      if (isWeekend(h)) {
        h++;
        continue;
      }
      let len = rng.int(8, 60);
      let end = Math.min(hours, h + len);
      for (let k = h; k < end; k++) {
        if (busy(k)) {
          end = k;
          break;
        }
      }
      len = end - h;
      if (len >= 4) {
        const family = RUN_FAMILIES[rng.pick(tn.families)]!;
        const run = newRun(family, tn.cluster, rng.chance(0.33), tn.interruptible);
        placements.push({ workloadKey: run.key, nodes: [tn.node], gpus: tn.gpus, fromHour: h, toHour: end });
      }
      h = end + rng.int(1, 10);
    }
  }
  return { runs, placements };
}
