// Efficiency actions: what to change in how GPUs are used, each with an estimated monthly saving and
// the evidence behind it. Pure: the runner loads the usage over the lookback and passes it in.
import { HOURS_PER_MONTH } from "./capacity-split";

export type EfficiencyThresholds = {
  /** Utilization below which a GPU-hour is idle (the org's idle threshold). */
  idleThreshold: number;
  /** A GPU is worth reclaiming when idle in more than this share of its known hours (N%). */
  idleHoursShare: number;
  /** Target mean utilization of training (DOMAIN.md: below 70% means an input-pipeline bottleneck). */
  targetUtilization: number;
  /** Utilization a consolidated service may run at (p95 of busy GPUs / GPUs). */
  serviceTargetUtilization: number;
  /** Memory a GPU may fill (weights, KV cache and headroom). */
  memoryHeadroom: number;
};

export const DEFAULT_THRESHOLDS: EfficiencyThresholds = {
  idleThreshold: 0.05,
  idleHoursShare: 0.5,
  targetUtilization: 0.7,
  serviceTargetUtilization: 0.7,
  memoryHeadroom: 0.9,
};

export type GpuUsage = {
  gpuId: string;
  uuid: string;
  host: string;
  gpuModel: string;
  cluster: string;
  hours: number;
  /** Hours with known utilization. */
  knownHours: number;
  idleHours: number;
  /** Σ rate over the idle hours, over the window. */
  idleCost: number;
  cost: number;
};

export type WorkloadUsage = {
  workloadId: string;
  kind: "TRAINING_RUN" | "INFERENCE_SERVICE" | "OTHER";
  name: string;
  namespace: string;
  team: string | null;
  gpuHours: number;
  /** GPU-hours with known utilization and Σ utilization × GPU-hours over them. */
  knownGpuHours: number;
  usefulGpuHours: number;
  cost: number;
};

export type ServiceHour = {
  /** GPUs serving it that hour. */
  gpus: number;
  /** Mean utilization of those GPUs (null unknown). */
  utilization: number | null;
  /** Memory used / memory total on those GPUs (null unknown). */
  memoryFraction: number | null;
  /** Prompt + generation tokens. */
  tokens: number;
  cost: number;
};

export type ServiceUsage = { workloadId: string; name: string; namespace: string; team: string | null; modelName: string | null; hours: ServiceHour[] };

export type EfficiencyKind = "reclaim-idle" | "starved-training" | "underutilized-team" | "consolidate-inference" | "quantize" | "autoscale-on-tokens";

export type EfficiencyAction = {
  kind: EfficiencyKind;
  /** Stable across recomputations: the status of an action survives a rerun. */
  fingerprint: string;
  title: string;
  summary: string;
  scope: Record<string, string | string[]>;
  evidence: Record<string, unknown>;
  monthlySavings: number;
  /** What the scope costs per month today: realised savings are measured against it later. */
  baselineMonthlyCost: number;
  risk: string | null;
};

const pct = (x: number) => `${Math.round(x * 100)}%`;
const r2 = (x: number) => Math.round(x * 100) / 100;

function p95(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!;
}

/** Idle GPUs to reclaim, one action per host: its GPUs idle in more than N% of their known hours. */
export function reclaimIdle(gpus: GpuUsage[], windowHours: number, t: EfficiencyThresholds): EfficiencyAction[] {
  const perMonth = HOURS_PER_MONTH / windowHours;
  const byHost = new Map<string, GpuUsage[]>();
  for (const g of gpus) {
    if (g.knownHours < 24 || g.idleHours / g.knownHours <= t.idleHoursShare || g.idleCost <= 0) continue;
    const key = `${g.cluster}/${g.host}`;
    byHost.set(key, [...(byHost.get(key) ?? []), g]);
  }
  return [...byHost.entries()].map(([key, list]) => {
    const idleCost = list.reduce((a, g) => a + g.idleCost, 0);
    const cost = list.reduce((a, g) => a + g.cost, 0);
    const idleHours = list.reduce((a, g) => a + g.idleHours, 0);
    const knownHours = list.reduce((a, g) => a + g.knownHours, 0);
    const first = list[0]!;
    return {
      kind: "reclaim-idle" as const,
      fingerprint: `reclaim-idle:${key}`,
      title: `Reclaim ${list.length} idle ${first.gpuModel} GPU(s) on ${first.host}`,
      summary: `Idle (utilization < ${pct(t.idleThreshold)}) in ${pct(idleHours / knownHours)} of their known hours; releasing them when idle saves their idle cost.`,
      scope: { cluster: first.cluster, host: first.host, gpuIds: list.map((g) => g.gpuId) },
      evidence: {
        gpus: list.map((g) => ({ uuid: g.uuid, idleHours: r2(g.idleHours), knownHours: r2(g.knownHours), idleShare: r2(g.idleHours / g.knownHours), idleCost: r2(g.idleCost) })),
        idleHoursShareThreshold: t.idleHoursShare,
        windowHours,
      },
      monthlySavings: idleCost * perMonth,
      baselineMonthlyCost: cost * perMonth,
      risk: "Check for reservations held on purpose (on-call capacity, warm pools) before releasing.",
    };
  });
}

/** Training runs and teams under the target mean utilization: cost at target utilization. */
export function underutilized(workloads: WorkloadUsage[], windowHours: number, t: EfficiencyThresholds): EfficiencyAction[] {
  const perMonth = HOURS_PER_MONTH / windowHours;
  const out: EfficiencyAction[] = [];
  const training = workloads.filter((w) => w.kind === "TRAINING_RUN" && w.knownGpuHours >= 8 && w.cost > 0);
  const action = (kind: "starved-training" | "underutilized-team", key: string, title: string, list: WorkloadUsage[], scope: EfficiencyAction["scope"]) => {
    const known = list.reduce((a, w) => a + w.knownGpuHours, 0);
    const useful = list.reduce((a, w) => a + w.usefulGpuHours, 0);
    const cost = list.reduce((a, w) => a + w.cost, 0);
    const util = known > 0 ? useful / known : 1;
    if (util >= t.targetUtilization) return;
    // The same work done at the target utilization needs util/target of the GPU-hours.
    const costAtTarget = (cost * util) / t.targetUtilization;
    out.push({
      kind,
      fingerprint: `${kind}:${key}`,
      title,
      summary: `Mean GPU utilization ${pct(util)} (< ${pct(t.targetUtilization)}: an input-pipeline bottleneck is likely). At ${pct(t.targetUtilization)} the same work would cost ${r2(costAtTarget * perMonth)} per month instead of ${r2(cost * perMonth)}.`,
      scope,
      evidence: { meanUtilization: r2(util), gpuHours: r2(list.reduce((a, w) => a + w.gpuHours, 0)), cost: r2(cost), costAtTarget: r2(costAtTarget), targetUtilization: t.targetUtilization, runs: list.length, windowHours },
      monthlySavings: (cost - costAtTarget) * perMonth,
      baselineMonthlyCost: cost * perMonth,
      risk: "Fixing the data loader (more workers, prefetch, faster storage) or the batch size is engineering time; the saving assumes the same work finishes sooner.",
    });
  };
  for (const w of training) action("starved-training", w.workloadId, `Training run ${w.name} is starved`, [w], { workloadId: w.workloadId, name: w.name, namespace: w.namespace });
  const teams = new Map<string, WorkloadUsage[]>();
  for (const w of training) if (w.team) teams.set(w.team, [...(teams.get(w.team) ?? []), w]);
  for (const [team, list] of teams) action("underutilized-team", team, `Team ${team}: training under ${pct(t.targetUtilization)} utilization`, list, { team });
  return out;
}

/** Inference services: consolidate onto fewer GPUs, quantize when memory binds, autoscale on tokens. */
export function inferenceActions(services: ServiceUsage[], windowHours: number, t: EfficiencyThresholds): EfficiencyAction[] {
  const perMonth = HOURS_PER_MONTH / windowHours;
  const out: EfficiencyAction[] = [];
  for (const s of services) {
    const hours = s.hours.filter((h) => h.gpus > 0);
    if (hours.length < 24) continue;
    const cost = hours.reduce((a, h) => a + h.cost, 0);
    const meanGpus = hours.reduce((a, h) => a + h.gpus, 0) / hours.length;
    const costPerGpuHour = cost / hours.reduce((a, h) => a + h.gpus, 0);
    const busy = hours.filter((h) => h.utilization !== null).map((h) => h.gpus * h.utilization!);
    const mem = hours.filter((h) => h.memoryFraction !== null).map((h) => h.gpus * h.memoryFraction!);
    if (!busy.length) continue;
    const busyP95 = p95(busy);
    const memP95 = mem.length ? p95(mem) : 0;
    const forCompute = Math.max(1, Math.ceil(busyP95 / t.serviceTargetUtilization - 1e-9));
    const forMemory = (shrink: number) => Math.max(1, Math.ceil((memP95 * shrink) / t.memoryHeadroom - 1e-9));
    const needed = Math.max(forCompute, forMemory(1));
    const scope = { workloadId: s.workloadId, name: s.name, namespace: s.namespace };
    const evidenceBase = { meanGpus: r2(meanGpus), p95BusyGpus: r2(busyP95), p95MemoryGpus: r2(memP95), costPerGpuHour: r2(costPerGpuHour), windowHours };
    if (meanGpus - needed >= 1) {
      out.push({
        kind: "consolidate-inference",
        fingerprint: `consolidate-inference:${s.workloadId}`,
        title: `Consolidate ${s.name} from ${r2(meanGpus)} to ${needed} GPU(s)`,
        summary: `p95 busy GPUs ${r2(busyP95)} fit ${forCompute} GPU(s) at ${pct(t.serviceTargetUtilization)}; p95 memory fits ${forMemory(1)}.`,
        scope,
        evidence: { ...evidenceBase, neededGpus: needed },
        monthlySavings: (meanGpus - needed) * costPerGpuHour * HOURS_PER_MONTH * (hours.length / windowHours),
        baselineMonthlyCost: cost * perMonth,
        risk: "Watch latency SLOs after consolidating: p95 utilization leaves less headroom for bursts.",
      });
    }
    // Quantization helps only when memory, not compute, sets the GPU count.
    const int8 = Math.max(forCompute, forMemory(1 / 4));
    const int4 = Math.max(forCompute, forMemory(1 / 8));
    if (forMemory(1) > forCompute && int8 < needed) {
      out.push({
        kind: "quantize",
        fingerprint: `quantize:${s.workloadId}`,
        title: `Quantize ${s.modelName ?? s.name}: ${needed} → ${int8} GPU(s) with INT8`,
        summary: `Memory sets the GPU count (${forMemory(1)} for memory vs ${forCompute} for compute). INT8 weights take about a quarter of the memory (${int8} GPU(s)), 4-bit about an eighth (${int4}).`,
        scope,
        evidence: { ...evidenceBase, neededGpus: needed, int8Gpus: int8, int4Gpus: int4, memoryBound: true },
        monthlySavings: (needed - int8) * costPerGpuHour * HOURS_PER_MONTH * (hours.length / windowHours),
        baselineMonthlyCost: cost * perMonth,
        risk: "Validate accuracy on your evaluation set; KV-cache memory does not shrink with weight quantization.",
      });
    }
    // Autoscaling on tokens: GPUs that do not follow the token throughput.
    const tokHours = hours.filter((h) => h.tokens > 0);
    if (tokHours.length >= 24) {
      // A GPU can serve what one GPU served in the busiest observed hour: a conservative capacity.
      const capacity = Math.max(...tokHours.map((h) => h.tokens / h.gpus));
      let excessCost = 0;
      for (const h of hours) {
        const need = Math.max(1, Math.ceil(h.tokens / Math.max(capacity, 1e-9) - 1e-9));
        if (h.gpus > need) excessCost += ((h.gpus - need) * h.cost) / h.gpus;
      }
      const corr = correlation(tokHours.map((h) => h.gpus), tokHours.map((h) => h.tokens));
      const tokCv = cv(tokHours.map((h) => h.tokens));
      if (tokCv >= 0.25 && (corr === null || corr < 0.6) && excessCost > 0) {
        out.push({
          kind: "autoscale-on-tokens",
          fingerprint: `autoscale-on-tokens:${s.workloadId}`,
          title: `Autoscale ${s.name} on token throughput`,
          summary: `Tokens per hour vary (CV ${r2(tokCv)}) while its GPU count does not follow them (correlation ${corr === null ? "n/a" : r2(corr)}); scaling on tokens/s instead of CPU would release GPUs in quiet hours.`,
          scope,
          evidence: { ...evidenceBase, tokensCv: r2(tokCv), gpuTokenCorrelation: corr === null ? null : r2(corr), tokensPerGpuHourCapacity: Math.round(capacity) },
          monthlySavings: excessCost * perMonth,
          baselineMonthlyCost: cost * perMonth,
          risk: "Scale-up takes model load time: keep a minimum replica count and scale on a leading signal (queue depth, tokens/s).",
        });
      }
    }
  }
  return out;
}

function cv(xs: number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (m === 0) return 0;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
  return Math.sqrt(v) / m;
}

function correlation(xs: number[], ys: number[]): number | null {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return sxx === 0 ? 0 : null;
  return sxy / Math.sqrt(sxx * syy);
}

export function efficiencyActions({
  gpus,
  workloads,
  services,
  windowHours,
  thresholds = DEFAULT_THRESHOLDS,
}: {
  gpus: GpuUsage[];
  workloads: WorkloadUsage[];
  services: ServiceUsage[];
  windowHours: number;
  thresholds?: EfficiencyThresholds;
}): EfficiencyAction[] {
  if (windowHours <= 0) return [];
  return [...reclaimIdle(gpus, windowHours, thresholds), ...underutilized(workloads, windowHours, thresholds), ...inferenceActions(services, windowHours, thresholds)]
    .filter((a) => a.monthlySavings > 0.005)
    .sort((a, b) => b.monthlySavings - a.monthlySavings);
}
