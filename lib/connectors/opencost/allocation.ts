// The OpenCost / Kubecost allocation API (GET /allocation, /model/allocation) and its answer:
// { code, data: [ { "<name>": Allocation, ... }, ... ] }, one map per step. Queried with
// aggregate=namespace,pod, step=1h, accumulate=false, so every entry is one pod in one UTC hour.
// Entries named __idle__, __unallocated__, __unmounted__ are not pods and are skipped.
//
// Fields used: properties {cluster, node, namespace, pod, controller, controllerKind, labels,
// providerID}, window {start, end}, minutes, gpuCount / gpuRequestAverage (GPUs requested),
// gpuUsageAverage, gpuHours (requested × hours, not utilization-weighted), gpuCost (+adjustment),
// cpuCost (+adjustment), ramCost (+adjustment). OpenCost rounds values to 5 decimals.
import type { Labels, WorkloadIdentity, WorkloadKindName } from "@/lib/telemetry/types";
import { controllerFromPodName, type IdentityConfig, identifyPodWorkload, runIdFromLabels } from "@/lib/telemetry/workload-identity";

export class OpenCostResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OpenCostResponseError";
  }
}

export type PodHour = {
  hour: number;
  cluster: string | null;
  node: string | null;
  namespace: string;
  pod: string;
  controller: string | null;
  controllerKind: string | null;
  labels: Labels;
  providerId: string | null;
  minutes: number;
  gpuRequest: number;
  /** Average GPUs in use (utilization × request) when OpenCost knows it, else null. */
  gpuUsage: number | null;
  gpuHours: number;
  gpuCost: number;
  cpuCost: number;
  ramCost: number;
};

const HOUR_MS = 3_600_000;

function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}

/** Validates the answer and flattens it to pod-hours. Throws OpenCostResponseError on anything unexpected. */
export function parseAllocationResponse(body: unknown, where = "OpenCost"): PodHour[] {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new OpenCostResponseError(`${where} answered something that is not an allocation response`);
  const b = body as { code?: unknown; data?: unknown; message?: unknown; status?: unknown };
  if (b.code !== undefined && b.code !== 200) {
    throw new OpenCostResponseError(`${where} answered code ${String(b.code)}: ${typeof b.message === "string" ? b.message : JSON.stringify(body).slice(0, 160)}`);
  }
  if (!Array.isArray(b.data)) throw new OpenCostResponseError(`${where} answered without a data array (one allocation set per step)`);
  const out: PodHour[] = [];
  for (const set of b.data as unknown[]) {
    if (set === null) continue; // an empty step
    if (typeof set !== "object" || Array.isArray(set)) throw new OpenCostResponseError(`${where} answered a step that is not a map of allocations`);
    for (const [name, raw] of Object.entries(set as Record<string, unknown>)) {
      if (name.startsWith("__")) continue;
      const a = raw as Record<string, unknown> | null;
      if (!a || typeof a !== "object") throw new OpenCostResponseError(`${where}: allocation "${name}" is not an object`);
      const props = (a.properties ?? {}) as Record<string, unknown>;
      const window = (a.window ?? {}) as { start?: unknown; end?: unknown };
      const start = Date.parse(String(window.start ?? a.start ?? ""));
      const end = Date.parse(String(window.end ?? a.end ?? ""));
      if (!Number.isFinite(start) || !Number.isFinite(end)) throw new OpenCostResponseError(`${where}: allocation "${name}" has no window`);
      if (end - start !== HOUR_MS || start % HOUR_MS !== 0) {
        throw new OpenCostResponseError(`${where}: allocation "${name}" covers ${new Date(start).toISOString()} → ${new Date(end).toISOString()}, not one whole UTC hour (was step=1h honored?)`);
      }
      const pod = str(props.pod) ?? (name.includes("/") ? name.split("/").pop()! : name);
      const gpuRequest = num(a.gpuRequestAverage) || num(a.gpuCount);
      const usage = a.gpuUsageAverage;
      out.push({
        hour: start,
        cluster: str(props.cluster),
        node: str(props.node),
        namespace: str(props.namespace) ?? "",
        pod,
        controller: str(props.controller),
        controllerKind: str(props.controllerKind)?.toLowerCase() ?? null,
        labels: (props.labels && typeof props.labels === "object" ? props.labels : {}) as Labels,
        providerId: str(props.providerID),
        minutes: num(a.minutes),
        gpuRequest,
        gpuUsage: typeof usage === "number" && Number.isFinite(usage) && usage > 0 ? usage : null,
        gpuHours: num(a.gpuHours),
        gpuCost: num(a.gpuCost) + num(a.gpuCostAdjustment),
        cpuCost: num(a.cpuCost) + num(a.cpuCostAdjustment),
        ramCost: num(a.ramCost) + num(a.ramCostAdjustment),
      });
    }
  }
  return out;
}

const KIND_BY_CONTROLLER: Record<string, WorkloadKindName> = {
  job: "TRAINING_RUN",
  cronjob: "TRAINING_RUN",
  deployment: "INFERENCE_SERVICE",
  replicaset: "INFERENCE_SERVICE",
};

/** Run labels first; then OpenCost's own controller name (authoritative); else the pod-name rules. */
export function identifyAllocation(p: PodHour, cfg: IdentityConfig): WorkloadIdentity {
  const run = runIdFromLabels(p.labels, cfg.runLabelKeys);
  if (run) return { kind: "TRAINING_RUN", namespace: p.namespace, name: run.value, labels: { runLabelKey: run.key, pod: p.pod } };
  if (p.controller) {
    const fromPod = controllerFromPodName(p.pod, cfg);
    const kind = KIND_BY_CONTROLLER[p.controllerKind ?? ""] ?? (fromPod.name === p.controller ? fromPod.kind : "OTHER");
    return { kind, namespace: p.namespace, name: p.controller, labels: { controllerKind: p.controllerKind ?? "controller" } };
  }
  return identifyPodWorkload({ pod: p.pod, namespace: p.namespace, labels: p.labels }, cfg);
}

/** Query parameters of one chunk. */
export function allocationQuery({ from, to }: { from: Date; to: Date }): URLSearchParams {
  return new URLSearchParams({
    window: `${from.toISOString().replace(/\.000Z$/, "Z")},${to.toISOString().replace(/\.000Z$/, "Z")}`,
    aggregate: "namespace,pod",
    step: "1h",
    accumulate: "false",
    includeIdle: "false",
    shareIdle: "false",
  });
}
