// DCGM exporter series → one row per GPU device and UTC hour (DOMAIN.md "Utilization", "A GPU").
//
// Input: for each DCGM field, two matrices evaluated once per hour at the hour's last millisecond
// over exactly that hour's samples: sum_over_time and count_over_time (see connectors/prometheus).
// Every series is kept apart in those answers (a GPU's series split whenever its pod labels change),
// so the mean over all of a device's samples in the hour is Σ sums / Σ counts over its series.
//
// Rules:
// - A device is UUID + MIG GPU-instance id (or host + gpu index when there is no UUID).
// - utilization = mean GR_ENGINE_ACTIVE when the hour has any such sample, else mean GPU_UTIL / 100.
//   samples = the number of samples that mean is over. No sample → null (a gap), never 0.
// - The pod of the hour is the pod with most utilization samples, "no pod" included; a tie goes to a
//   pod, then to the name that sorts first.
// - MIG: a slice counts as its fraction (GPU_I_PROFILE). When a GPU has slices, the whole-GPU device
//   stands for the capacity no slice holds: 1 − Σ slice fractions, with utilization 0 (no instance
//   exists there to run anything) and no other metrics. No remainder → no whole-GPU rows.
// - Hours without samples between two hours with samples of the same device are gap rows
//   (utilization null, samples 0, still provisioned).
import { migFraction, normalizeGpuModel, roundGpuHours } from "./gpu-models";
import { HOUR_MS, type GpuDevice, type GpuHourRow, type Labels, type Series, type WorkloadIdentity } from "./types";
import { type IdentityConfig, identifyPodWorkload } from "./workload-identity";

export const DCGM_FIELDS = {
  grEngineActive: "DCGM_FI_PROF_GR_ENGINE_ACTIVE",
  gpuUtil: "DCGM_FI_DEV_GPU_UTIL",
  smActive: "DCGM_FI_PROF_SM_ACTIVE",
  tensorActive: "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE",
  fbUsed: "DCGM_FI_DEV_FB_USED",
  fbFree: "DCGM_FI_DEV_FB_FREE",
  power: "DCGM_FI_DEV_POWER_USAGE",
} as const;

export type DcgmField = keyof typeof DCGM_FIELDS;
export const DCGM_FIELD_NAMES = Object.keys(DCGM_FIELDS) as DcgmField[];

/** sum_over_time and count_over_time answers of one field; each point's time is an hour's last millisecond. */
export type HourlyAggregates = { sum: Series[]; count: Series[] };

export type DcgmInput = Partial<Record<DcgmField, HourlyAggregates>>;

export type DcgmOptions = {
  /** Label names that carry the host, in order of preference. */
  hostnameLabels: string[];
  /** Label names that may carry the provider instance id. */
  instanceIdLabels: string[];
  /** Label names that may carry the node's instance type; default DEFAULT_INSTANCE_TYPE_LABELS. */
  instanceTypeLabels?: string[];
  identity: IdentityConfig;
};

/** A node label added by relabeling names the Kubernetes node; dcgm-exporter's own Hostname/hostname may be its pod's name. */
export const DEFAULT_HOSTNAME_LABELS = ["kubernetes_node", "node", "Hostname", "hostname"];
export const DEFAULT_INSTANCE_ID_LABELS = ["instance_id", "provider_id", "providerID"];
/** node.kubernetes.io/instance-type as a relabeling (or kube-state-metrics) spells it. */
export const DEFAULT_INSTANCE_TYPE_LABELS = ["node_kubernetes_io_instance_type", "label_node_kubernetes_io_instance_type", "beta_kubernetes_io_instance_type", "instance_type"];

type MetricAcc = { sum: number; count: number };
type PodAcc = { key: string; namespace: string | null; pod: string | null; labels: Labels; samples: number };
type HourAcc = Partial<Record<DcgmField, MetricAcc>> & { pods?: Partial<Record<"grEngineActive" | "gpuUtil", Map<string, PodAcc>>> };
type DeviceAcc = { device: GpuDevice; lastLabelHour: number; hours: Map<number, HourAcc> };

/** Label sets are compared without the metric name (the *_over_time functions drop it anyway). */
function seriesKey(metric: Labels): string {
  return Object.keys(metric)
    .filter((k) => k !== "__name__")
    .sort()
    .map((k) => `${k}\u0001${metric[k]}`)
    .join("\u0002");
}

function firstLabel(labels: Labels, names: string[]): string | null {
  for (const n of names) {
    const v = labels[n];
    if (v) return v;
  }
  return null;
}

/** Normalizes a Kubernetes providerID (aws:///us-east-1a/i-0abc, gce://p/z/name) to the instance's own id. */
export function instanceIdFromProviderId(value: string | null | undefined): string | null {
  const v = (value ?? "").trim();
  if (!v) return null;
  const m = v.match(/^[a-z]+:\/\/\/?(.*)$/i);
  const path = m ? m[1]! : v;
  const parts = path.split("/").filter(Boolean);
  return parts.length ? parts[parts.length - 1]! : null;
}

function deviceFromLabels(labels: Labels, opts: DcgmOptions): GpuDevice | null {
  const hostname = firstLabel(labels, opts.hostnameLabels);
  const gpuIndexRaw = labels.gpu;
  const gpuIndex = gpuIndexRaw !== undefined && /^\d+$/.test(gpuIndexRaw) ? Number(gpuIndexRaw) : null;
  const uuid = labels.UUID || labels.uuid || (hostname && gpuIndex !== null ? `host:${hostname}:${gpuIndex}` : null);
  if (!uuid) return null;
  const migInstanceId = labels.GPU_I_ID ?? "";
  const migProfile = migInstanceId ? (labels.GPU_I_PROFILE ?? null) : null;
  const model = normalizeGpuModel(labels.modelName);
  const fraction = migInstanceId ? (migProfile ? migFraction(migProfile, model) : null) ?? 1 : 1;
  return {
    key: `${uuid}\u0000${migInstanceId}`,
    uuid,
    migInstanceId,
    migProfile,
    fraction,
    gpuIndex,
    model,
    hostname,
    instanceId: instanceIdFromProviderId(firstLabel(labels, opts.instanceIdLabels)),
    instanceType: firstLabel(labels, opts.instanceTypeLabels ?? DEFAULT_INSTANCE_TYPE_LABELS),
    memoryMib: null,
  };
}

export type DcgmResult = { devices: GpuDevice[]; rows: GpuHourRow[]; samples: number };

export function aggregateDcgmHours(input: DcgmInput, opts: DcgmOptions): DcgmResult {
  const devices = new Map<string, DeviceAcc>();
  let totalSamples = 0;

  // The *_over_time answers of every field carry the same label sets (the metric name is dropped):
  // a label set's device is worked out once.
  const deviceOf = new Map<string, GpuDevice | null>();
  for (const field of DCGM_FIELD_NAMES) {
    const agg = input[field];
    if (!agg) continue;
    const counts = new Map<string, Series>();
    for (const s of agg.count) counts.set(seriesKey(s.metric), s);
    for (const s of agg.sum) {
      const key = seriesKey(s.metric);
      const c = counts.get(key);
      if (!c) continue;
      let device = deviceOf.get(key);
      if (device === undefined) {
        device = deviceFromLabels(s.metric, opts);
        deviceOf.set(key, device);
      }
      if (!device) continue;
      let acc = devices.get(device.key);
      if (!acc) {
        acc = { device, lastLabelHour: -Infinity, hours: new Map() };
        devices.set(device.key, acc);
      }
      // Sum and count answers have the same points (same query range, same samples); when their
      // times line up one by one the count is read by index, else looked up by time.
      let aligned = c.t.length === s.t.length;
      for (let i = 0; aligned && i < c.t.length; i++) aligned = c.t[i] === s.t[i];
      const countAt = aligned ? null : new Map<number, number>();
      if (countAt) for (let i = 0; i < c.t.length; i++) countAt.set(c.t[i]!, c.v[i]!);
      const isUtilField = field === "grEngineActive" || field === "gpuUtil";
      const pod = s.metric.pod || null;
      const namespace = s.metric.namespace || null;
      const podKey = pod ? `${namespace ?? ""}\u0000${pod}` : "";
      let lastHour = -Infinity;
      for (let i = 0; i < s.t.length; i++) {
        const n = countAt ? countAt.get(s.t[i]!) : c.v[i]!;
        if (!n || n <= 0) continue;
        // The point is the hour's last millisecond: the hour starts 1 h − 1 ms before it.
        const hour = s.t[i]! + 1 - HOUR_MS;
        lastHour = Math.max(lastHour, hour);
        let h = acc.hours.get(hour);
        if (!h) {
          h = {};
          acc.hours.set(hour, h);
        }
        const m = (h[field] ??= { sum: 0, count: 0 });
        m.sum += s.v[i]!;
        m.count += n;
        totalSamples += n;
        if (isUtilField) {
          const pods = ((h.pods ??= {})[field as "grEngineActive" | "gpuUtil"] ??= new Map<string, PodAcc>());
          const p = pods.get(podKey);
          if (p) p.samples += n;
          else pods.set(podKey, { key: podKey, pod, namespace, labels: s.metric, samples: n });
        }
      }
      // Device attributes (hostname, model, instance id) follow the most recent series.
      if (lastHour >= acc.lastLabelHour) {
        acc.device = {
          ...device,
          memoryMib: acc.device.memoryMib,
          hostname: device.hostname ?? acc.device.hostname,
          instanceId: device.instanceId ?? acc.device.instanceId,
          instanceType: device.instanceType ?? acc.device.instanceType,
        };
        acc.lastLabelHour = lastHour;
      }
    }
  }

  // MIG: which physical GPUs have slices, and how much of them the slices hold.
  const sliceShare = new Map<string, number>();
  for (const { device } of devices.values()) {
    if (device.migInstanceId) sliceShare.set(device.uuid, (sliceShare.get(device.uuid) ?? 0) + device.fraction);
  }
  // A MIG GPU whose whole-GPU device sent nothing still has its unpartitioned remainder.
  for (const [uuid, share] of sliceShare) {
    const parentKey = `${uuid}\u0000`;
    if (devices.has(parentKey) || roundGpuHours(1 - share) <= 0) continue;
    const slice = [...devices.values()].find((d) => d.device.uuid === uuid)!;
    devices.set(parentKey, {
      device: { ...slice.device, key: parentKey, migInstanceId: "", migProfile: null, fraction: 1 },
      lastLabelHour: -Infinity,
      hours: new Map(),
    });
  }

  const rows: GpuHourRow[] = [];
  const identityCache = new Map<string, WorkloadIdentity>();
  for (const acc of devices.values()) {
    const { device } = acc;
    const share = device.migInstanceId ? undefined : sliceShare.get(device.uuid);
    if (share !== undefined) {
      // Whole-GPU device of a MIG GPU: the unpartitioned remainder, in every hour any slice reported.
      const remainder = roundGpuHours(Math.max(0, 1 - share));
      if (remainder <= 0) continue;
      const hours = new Set<number>();
      for (const d of devices.values()) if (d.device.uuid === device.uuid) for (const h of d.hours.keys()) hours.add(h);
      for (const hour of [...hours].sort((a, b) => a - b)) {
        rows.push({ deviceKey: device.key, hour, utilization: 0, smActive: null, tensorActive: null, memUsedMib: null, memTotalMib: null, powerW: null, samples: 0, gpuHours: remainder, workload: null, namespace: null, pod: null, gap: false });
      }
      continue;
    }

    const gpuHours = roundGpuHours(device.fraction);
    const hours = [...acc.hours.keys()].sort((a, b) => a - b);
    let memTotalLatest: number | null = null;
    let previous: number | null = null;
    for (const hour of hours) {
      if (previous !== null) {
        for (let gapHour = previous + HOUR_MS; gapHour < hour; gapHour += HOUR_MS) rows.push(gapRow(device.key, gapHour, gpuHours));
      }
      previous = hour;
      const h = acc.hours.get(hour)!;
      const gr = meanOf(h, "grEngineActive");
      const util = meanOf(h, "gpuUtil");
      const basis = gr !== null ? "grEngineActive" : util !== null ? "gpuUtil" : null;
      const utilization = gr !== null ? gr : util !== null ? util / 100 : null;
      const memUsed = meanOf(h, "fbUsed");
      const memFree = meanOf(h, "fbFree");
      const memTotal = memUsed !== null && memFree !== null ? memUsed + memFree : null;
      if (memTotal !== null) memTotalLatest = memTotal;

      let workload: WorkloadIdentity | null = null;
      const pods = basis ? h.pods?.[basis] : undefined;
      const pod = pods ? [...pods.values()].sort(byMostSamples)[0] : undefined;
      if (pod?.pod) {
        const cacheKey = `${pod.namespace ?? ""}\u0000${pod.pod}\u0000${seriesKey(pod.labels)}`;
        workload = identityCache.get(cacheKey) ?? identifyPodWorkload({ pod: pod.pod, namespace: pod.namespace, labels: pod.labels }, opts.identity);
        identityCache.set(cacheKey, workload);
      }
      rows.push({
        deviceKey: device.key,
        hour,
        utilization: utilization === null ? null : clamp01(utilization),
        smActive: meanOf(h, "smActive"),
        tensorActive: meanOf(h, "tensorActive"),
        memUsedMib: memUsed,
        memTotalMib: memTotal,
        powerW: meanOf(h, "power"),
        samples: basis ? h[basis]!.count : 0,
        gpuHours,
        workload,
        namespace: pod?.pod ? pod.namespace : null,
        pod: pod?.pod ?? null,
        gap: false,
      });
    }
    if (memTotalLatest !== null) acc.device = { ...acc.device, memoryMib: Math.round(memTotalLatest) };
  }

  return { devices: [...devices.values()].map((d) => d.device), rows, samples: totalSamples };
}

function meanOf(h: HourAcc, f: DcgmField): number | null {
  const m = h[f];
  return m && m.count > 0 ? m.sum / m.count : null;
}

function gapRow(deviceKey: string, hour: number, gpuHours: number): GpuHourRow {
  return { deviceKey, hour, utilization: null, smActive: null, tensorActive: null, memUsedMib: null, memTotalMib: null, powerW: null, samples: 0, gpuHours, workload: null, namespace: null, pod: null, gap: true };
}

/** Most samples first; on a tie a pod before "no pod", then the key that sorts first. */
function byMostSamples(a: PodAcc, b: PodAcc): number {
  if (a.samples !== b.samples) return b.samples - a.samples;
  if ((a.pod === null) !== (b.pod === null)) return a.pod === null ? 1 : -1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
