// What the demo fleet's exporters would have scraped over the demo window, as synthetic Prometheus
// series per cluster (one in-process Prometheus per cluster, see demo-prometheus.ts):
//
// - dcgm-exporter on every GPU, every DCGM_SCRAPE_MS: GR_ENGINE_ACTIVE, SM_ACTIVE, PIPE_TENSOR_ACTIVE,
//   FB_USED, FB_FREE, POWER_USAGE, with the pod/namespace/container of the workload holding the GPU
//   (the series changes when the pod does), Hostname, the node's providerID and instance type (as a
//   relabeling adds them), and nothing during the exporter outages (scrape gaps);
// - vLLM (mistral, llama) and Triton (resnet, bert) counters per serving pod, every COUNTER_SCRAPE_MS:
//   requests by finished reason, tokens, and the e2e latency histogram's buckets (vLLM). A service's
//   traffic is scraped in its home cluster (llama3-8b-chat's replicas on the AWS p4d node carry GPU
//   time but export no metrics there).
//
// Everything derives from seeded PRNGs and a hash of (series, time): the same window gives the same
// samples. expectedTraffic is what those counters add up to per service and hour, for the tests.
import type { SyntheticSeries } from "./demo-prometheus";
import { buildNodes, buildTrainingSchedule, IDLE_NODES, OUTAGES, SERVICE_PLACEMENT, SERVICES, type DemoNode, type Schedule, type WorkloadSpec } from "./demo-fleet";
import { clamp, createRng, type Rng } from "./random";

const HOUR = 3_600_000;
export const DCGM_SCRAPE_MS = 300_000;
export const COUNTER_SCRAPE_MS = 300_000;
/** Latency histogram bounds in seconds (vLLM's e2e latency buckets, trimmed). */
export const LATENCY_BOUNDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40];

export type DemoGpu = { node: DemoNode; index: number; uuid: string };
export type TrafficHour = { inferences: number; failures: number; promptTokens: number; generationTokens: number };

export type DemoFleetData = {
  start: Date;
  end: Date;
  hours: number;
  nodes: DemoNode[];
  gpus: DemoGpu[];
  schedule: Schedule;
  specs: WorkloadSpec[];
  /** Synthetic series per cluster name. */
  series: Map<string, SyntheticSeries[]>;
  /** Per service key, per hour of the window: what its counters increase by. */
  expectedTraffic: Map<string, TrafficHour[]>;
};

/** Daily demand shape for inference (0..1), peaking mid-afternoon US time, lower on weekends. */
function diurnal(t: Date): number {
  const localHour = (t.getUTCHours() + 24 - 6) % 24; // US Central
  const day = Math.max(0, Math.sin((Math.PI * (localHour - 6)) / 16));
  const weekend = [0, 6].includes(t.getUTCDay()) ? 0.55 : 1;
  return (0.12 + 0.88 * day) * weekend;
}

/** Cumulative histogram counts for `n` requests with median `median` seconds (log-normal spread). */
function latencyHistogram(n: number, median: number, sigma: number): number[] {
  const cdf = (x: number) => 0.5 * (1 + erf(Math.log(x / median) / (sigma * Math.SQRT2)));
  return [...LATENCY_BOUNDS.map((b) => Math.round(n * cdf(b))), n];
}

function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

/** A deterministic value in [-1, 1) for (series, scrape): sample-to-sample jitter within an hour. */
function jitter(a: number, b: number): number {
  let x = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return (x >>> 0) / 2_147_483_648 - 1;
}

// Kubernetes' random pod-name suffix alphabet (no vowels, no 0/1/3).
const K8S_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
const k8sSuffix = (rng: Rng, n: number) => Array.from({ length: n }, () => K8S_ALPHABET[Math.floor(rng.next() * K8S_ALPHABET.length)]).join("");
/** A ReplicaSet pod-template hash: 9-10 characters of the same alphabet with a digit in it. */
const templateHash = (rng: Rng) => `${k8sSuffix(rng, 5)}${rng.int(5, 9)}${k8sSuffix(rng, 3)}`;

const MODEL_NAMES: Record<string, string> = { H100: "NVIDIA H100 80GB HBM3", "A100-40GB": "NVIDIA A100-SXM4-40GB" };

function providerId(node: DemoNode): string | null {
  if (!node.resourceId) return null;
  if (node.resourceId.startsWith("//compute.googleapis.com/")) {
    const m = node.resourceId.match(/projects\/([^/]+)\/zones\/([^/]+)\/instances\/(.+)$/)!;
    return `gce://${m[1]}/${m[2]}/${m[3]}`;
  }
  return `aws:///us-east-1a/${node.resourceId}`;
}

/** n split over k parts as evenly as possible, the remainder rotating with the hour. */
function split(n: number, k: number, h: number): number[] {
  const base = Math.floor(n / k);
  const rem = n - base * k;
  return Array.from({ length: k }, (_, i) => base + ((i - (h % k) + k) % k < rem ? 1 : 0));
}

/** A counter scraped every COUNTER_SCRAPE_MS over [start, end], increasing by inc[h] during hour h. */
function counterSeries(labels: Record<string, string>, inc: Float64Array, start: number, hours: number): SyntheticSeries {
  const cum = new Float64Array(hours + 1);
  for (let h = 0; h < hours; h++) cum[h + 1] = cum[h]! + inc[h]!;
  return {
    labels,
    first: start,
    last: start + hours * HOUR,
    intervalMs: COUNTER_SCRAPE_MS,
    value(t) {
      const h = Math.floor((t - start) / HOUR);
      if (h >= hours) return cum[hours]!;
      return cum[h]! + Math.floor((inc[h]! * (t - start - h * HOUR)) / HOUR);
    },
  };
}

export function buildDemoFleetData({ now, days, seed }: { now: Date; days: number; seed: number }): DemoFleetData {
  const end = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
  const hours = days * 24;
  const start = new Date(end.getTime() - hours * HOUR);
  const t0 = start.getTime();
  const rng = createRng(seed);
  const nodes = buildNodes(rng);
  const gpus: DemoGpu[] = nodes.flatMap((n) =>
    Array.from({ length: n.gpuCount }, (_, i) => ({ node: n, index: i, uuid: `GPU-${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}` })),
  );
  const schedule = buildTrainingSchedule({ start, hours, seed });
  const specs: WorkloadSpec[] = [...SERVICES, ...schedule.runs];
  const specByKey = new Map(specs.map((s) => [s.key, s]));

  // Hour-by-hour occupant of each GPU: (node, gpu index, hour) → workload key.
  const occupant = new Map<string, Array<string | undefined>>();
  const slot = (node: string, gpu: number) => {
    const k = `${node}/${gpu}`;
    if (!occupant.has(k)) occupant.set(k, new Array<string | undefined>(hours));
    return occupant.get(k)!;
  };
  for (const p of SERVICE_PLACEMENT) for (const g of p.gpus) slot(p.node, g).fill(p.service);
  for (const p of schedule.placements) {
    for (const node of p.nodes) {
      const n = nodes.find((x) => x.name === node)!;
      const list = p.gpus === "all" ? Array.from({ length: n.gpuCount }, (_, i) => i) : p.gpus;
      for (const g of list) slot(node, g).fill(p.workloadKey, p.fromHour, p.toHour);
    }
  }

  const series = new Map<string, SyntheticSeries[]>();
  const add = (cluster: string, s: SyntheticSeries) => {
    const list = series.get(cluster) ?? [];
    list.push(s);
    series.set(cluster, list);
  };

  // ── DCGM ──
  const trng = createRng(seed ^ 0x7e1e);
  const hashes = new Map<string, string>();
  const servingPods: Array<{ service: WorkloadSpec; node: DemoNode; pod: string }> = [];
  gpus.forEach((g, gi) => {
    const n = g.node;
    const occ = slot(n.name, g.index);
    const outages = OUTAGES.filter((o) => o.node === n.name);
    const podSuffix = k8sSuffix(trng, 5);
    const util = new Float64Array(hours);
    const power = new Float64Array(hours);
    const memUsed = new Float64Array(hours);
    const missing = new Uint8Array(hours);
    const pods: Array<{ pod: string; spec: WorkloadSpec } | null> = new Array(hours);
    for (let h = 0; h < hours; h++) {
      const t = new Date(t0 + h * HOUR);
      const key = occ[h];
      const spec = key ? specByKey.get(key) : undefined;
      missing[h] = outages.some((o) => h >= o.fromHour && h < o.toHour) ? 1 : 0;
      let u: number;
      if (!spec || IDLE_NODES.includes(n.name)) u = clamp(trng.normal(0.004, 0.004), 0, 0.03);
      else if (spec.kind === "INFERENCE_SERVICE") u = clamp(spec.efficiency * (0.15 + 0.85 * diurnal(t)) + trng.normal(0, 0.03), 0.02, 0.99);
      else u = clamp(trng.normal(spec.efficiency, 0.05), 0.05, 0.99);
      util[h] = u;
      memUsed[h] = Math.round(spec ? 18000 + u * (n.memoryMib - 24000) : 480);
      power[h] = n.idleW + (n.maxW - n.idleW) * Math.pow(u, 0.9) + trng.normal(0, 5);
      if (!spec) pods[h] = null;
      else if (spec.kind === "TRAINING_RUN") pods[h] = { pod: `${spec.name}-${n.name.slice(-1)}`, spec };
      else {
        if (!hashes.has(`${spec.key}/${n.cluster}`)) hashes.set(`${spec.key}/${n.cluster}`, templateHash(trng));
        pods[h] = { pod: `${spec.name}-${hashes.get(`${spec.key}/${n.cluster}`)}-${podSuffix}`, spec };
      }
    }
    const firstPod = pods.find((p) => p?.spec.kind === "INFERENCE_SERVICE");
    if (firstPod && firstPod.spec.cluster === n.cluster) servingPods.push({ service: firstPod.spec, node: n, pod: firstPod.pod });

    const base: Record<string, string> = {
      gpu: String(g.index),
      UUID: g.uuid,
      device: `nvidia${g.index}`,
      modelName: MODEL_NAMES[n.gpuModel] ?? n.gpuModel,
      Hostname: n.hostname,
      DCGM_FI_DRIVER_VERSION: "550.90.07",
      job: "dcgm-exporter",
      instance: `${n.hostname}:9400`,
      node_kubernetes_io_instance_type: n.instanceType,
      ...(providerId(n) ? { providerID: providerId(n)! } : {}),
    };
    const fields: Array<[string, (h: number, j: number) => number]> = [
      ["DCGM_FI_PROF_GR_ENGINE_ACTIVE", (h, j) => round6(clamp(util[h]! * (1 + 0.06 * j), 0, 1))],
      ["DCGM_FI_PROF_SM_ACTIVE", (h, j) => round6(clamp(util[h]! * (1 + 0.06 * j), 0, 1) * 0.92)],
      ["DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", (h, j) => (pods[h] ? round6(clamp(util[h]! * (1 + 0.06 * j), 0, 1) * 0.55) : 0)],
      ["DCGM_FI_DEV_FB_USED", (h) => memUsed[h]!],
      ["DCGM_FI_DEV_FB_FREE", (h) => n.memoryMib - memUsed[h]!],
      ["DCGM_FI_DEV_POWER_USAGE", (h, j) => Math.round(10 * (power[h]! + 3 * j)) / 10],
    ];
    // One series per field and stretch of hours with the same pod (labels change with the pod).
    let h0 = 0;
    for (let h = 1; h <= hours; h++) {
      if (h < hours && pods[h]?.pod === pods[h0]?.pod) continue;
      const p = pods[h0];
      const labels = p ? { ...base, pod: p.pod, namespace: p.spec.namespace, container: p.spec.kind === "TRAINING_RUN" ? "trainer" : p.spec.framework } : base;
      const from = h0;
      for (const [name, f] of fields) {
        add(n.cluster, {
          labels: { __name__: name, ...labels },
          first: t0 + from * HOUR,
          last: t0 + h * HOUR - DCGM_SCRAPE_MS,
          intervalMs: DCGM_SCRAPE_MS,
          value(t) {
            const hour = Math.floor((t - t0) / HOUR);
            if (missing[hour]) return null;
            return f(hour, jitter(gi, Math.floor(t / DCGM_SCRAPE_MS)));
          },
        });
      }
      h0 = h;
    }
  });

  // ── inference traffic: per service and hour, then split over the pods that export it ──
  const wrng = createRng(seed ^ 0x1f3);
  const incidentDay = Math.min(days - 2, 21);
  const expectedTraffic = new Map<string, TrafficHour[]>();
  for (const s of SERVICES) {
    const pods = servingPods.filter((p) => p.service.key === s.key);
    const k = pods.length;
    const perPod = pods.map(() => ({
      stop: new Float64Array(hours),
      length: new Float64Array(hours),
      abort: new Float64Array(hours),
      prompt: new Float64Array(hours),
      generation: new Float64Array(hours),
      buckets: LATENCY_BOUNDS.map(() => new Float64Array(hours)).concat([new Float64Array(hours)]),
    }));
    const expected: TrafficHour[] = [];
    for (let h = 0; h < hours; h++) {
      const t = new Date(t0 + h * HOUR);
      const load = diurnal(t);
      const requests = Math.round(s.peakRequestsPerHour! * load * wrng.between(0.93, 1.07));
      const incident = s.key === "svc:llama" && Math.floor(h / 24) === incidentDay && t.getUTCHours() >= 14 && t.getUTCHours() < 18;
      const failures = Math.round(requests * (incident ? 0.06 : wrng.between(0.0005, 0.003)));
      const ok = requests - failures;
      const prompt = s.promptTokens ? Math.round(ok * s.promptTokens * wrng.between(0.9, 1.1)) : 0;
      const generation = s.generationTokens ? Math.round(ok * s.generationTokens * wrng.between(0.9, 1.1)) : 0;
      const median = s.baseLatency! * (1 + 0.6 * load) * (incident ? 3.2 : 1);
      expected.push({ inferences: ok, failures, promptTokens: prompt, generationTokens: generation });
      if (!k) continue;
      const okShare = split(ok, k, h);
      const failShare = split(failures, k, h);
      const promptShare = split(prompt, k, h);
      const genShare = split(generation, k, h);
      perPod.forEach((p, i) => {
        p.length[h] = Math.round(okShare[i]! * 0.11);
        p.stop[h] = okShare[i]! - p.length[h]!;
        p.abort[h] = failShare[i]!;
        p.prompt[h] = promptShare[i]!;
        p.generation[h] = genShare[i]!;
        const hist = latencyHistogram(okShare[i]! + failShare[i]!, median, 0.55);
        hist.forEach((c, b) => (p.buckets[b]![h] = c));
      });
    }
    expectedTraffic.set(s.key, expected);
    pods.forEach((pod, i) => {
      const p = perPod[i]!;
      const cluster = pod.node.cluster;
      const common = { namespace: s.namespace, pod: pod.pod, instance: `${pod.pod}:8000` };
      if (s.framework === "vllm") {
        const labels = { ...common, job: "vllm", model_name: s.modelName! };
        add(cluster, counterSeries({ __name__: "vllm:request_success_total", ...labels, finished_reason: "stop" }, p.stop, t0, hours));
        add(cluster, counterSeries({ __name__: "vllm:request_success_total", ...labels, finished_reason: "length" }, p.length, t0, hours));
        add(cluster, counterSeries({ __name__: "vllm:request_success_total", ...labels, finished_reason: "abort" }, p.abort, t0, hours));
        add(cluster, counterSeries({ __name__: "vllm:prompt_tokens_total", ...labels }, p.prompt, t0, hours));
        add(cluster, counterSeries({ __name__: "vllm:generation_tokens_total", ...labels }, p.generation, t0, hours));
        [...LATENCY_BOUNDS.map(leLabel), "+Inf"].forEach((le, b) => add(cluster, counterSeries({ __name__: "vllm:e2e_request_latency_seconds_bucket", ...labels, le }, p.buckets[b]!, t0, hours)));
      } else {
        const labels = { ...common, job: "triton", model: s.modelName!, version: "1" };
        const success = new Float64Array(hours);
        for (let h = 0; h < hours; h++) success[h] = p.stop[h]! + p.length[h]!;
        add(cluster, counterSeries({ __name__: "nv_inference_request_success", ...labels }, success, t0, hours));
        add(cluster, counterSeries({ __name__: "nv_inference_request_failure", ...labels }, p.abort, t0, hours));
      }
    });
  }

  return { start, end, hours, nodes, gpus, schedule, specs, series, expectedTraffic };
}

/** How Prometheus client libraries print a bucket bound: always with a decimal point. */
const leLabel = (b: number) => (Number.isInteger(b) ? `${b}.0` : String(b));
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
