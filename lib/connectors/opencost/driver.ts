// The OpenCost / Kubecost connector: one allocation query per chunk (hourly steps, by pod), then in
// the chunk's transaction:
//   1. workloads of the pods that hold GPUs (or carry a run label): their CPU and RAM cost per hour
//      on workload_hourly (cpu_cost, ram_cost: the allocation API's, adjustments included);
//   2. GPU attribution where DCGM has no pod labels: the node's unattributed GPU-hours go to the pods
//      that requested GPUs on that node in that hour (pods by name, each taking as many GPUs as it
//      requested, GPUs by index);
//   3. nodes without any DCGM data: the requested GPUs become GPU-hours of "opencost:<node>:<slot>"
//      devices (DOMAIN.md: a GPU is its UUID or host + index), so GPU-hours and cost per workload
//      exist there too; a later DCGM sighting of the node replaces them (write-telemetry.ts);
//   4. the node's providerID (aws:///zone/i-..., gce://...) on GPUs of that host that have no instance
//      id yet, so the bill link can price them.
// GPU cost itself comes from the bills through the rollup refresh (EffectiveCost basis); OpenCost's
// list-price gpuCost is parsed but not stored (see docs/telemetry.md).
import type { ConnectorDriver } from "@/lib/telemetry/connector-driver";
import { authFromSecret, type ConnectorSecret } from "@/lib/telemetry/connector-secrets";
import { instanceIdFromProviderId } from "@/lib/telemetry/dcgm-hourly";
import { normalizeGpuModel } from "@/lib/telemetry/gpu-models";
import { createTransport, snippet, TransportError } from "@/lib/telemetry/http-transport";
import { linkGpusToBilledResources } from "@/lib/telemetry/link-gpus";
import type { GpuDevice, GpuHourRow, WorkloadIdentity } from "@/lib/telemetry/types";
import type { IdentityConfig } from "@/lib/telemetry/workload-identity";
import { runIdFromLabels } from "@/lib/telemetry/workload-identity";
import { SYNTHETIC_GPU_PREFIX, upsertWorkloads, writeTelemetryChunk } from "@/lib/telemetry/write-telemetry";
import { allocationQuery, identifyAllocation, OpenCostResponseError, parseAllocationResponse, type PodHour } from "./allocation";
import type { OpenCostConfig } from "./config";

export class OpenCostError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "OpenCostError";
  }
}

const nsName = (w: Pick<WorkloadIdentity, "namespace" | "name">) => `${w.namespace}\u0000${w.name}`;


export type OpenCostChunk = { pods: PodHour[] };

export function createOpenCostDriver({
  orgId,
  flavor,
  config,
  secret,
  identity,
  currency,
}: {
  orgId: string;
  flavor: "opencost" | "kubecost";
  config: OpenCostConfig;
  secret: ConnectorSecret;
  identity: IdentityConfig;
  currency: string;
}): ConnectorDriver<OpenCostChunk> {
  const transport = createTransport({ caPem: config.caPem, auth: authFromSecret(secret), timeoutMs: config.timeoutMs, maxResponseBytes: 512 * 1024 * 1024 });
  const base = new URL(config.url);
  const path = config.path ?? (flavor === "kubecost" ? "/model/allocation" : "/allocation");
  const where = `${flavor === "kubecost" ? "Kubecost" : "OpenCost"} at ${base.origin}`;

  async function fetchAllocations(window: { from: Date; to: Date }): Promise<PodHour[]> {
    const url = new URL(base.toString());
    url.pathname = `${url.pathname.replace(/\/+$/, "")}${path}`;
    url.search = allocationQuery(window).toString();
    let res;
    try {
      res = await transport.request({ url, method: "GET" });
    } catch (err) {
      if (err instanceof TransportError) throw new OpenCostError(err.code, `${where}: ${err.message}`);
      throw err;
    }
    if (res.status === 401 || res.status === 403) throw new OpenCostError("auth", `${where} refused the credentials (HTTP ${res.status})`);
    let body: unknown;
    try {
      body = JSON.parse(res.body.toString("utf8"));
    } catch {
      throw new OpenCostError(res.status >= 200 && res.status < 300 ? "bad_response" : "http", `${where} answered HTTP ${res.status} with something that is not JSON (${res.contentType || "no content type"}): ${snippet(res.body) || "empty body"}`);
    }
    if (res.status < 200 || res.status >= 300) {
      const msg = (body as { message?: unknown })?.message;
      throw new OpenCostError("http", `${where} answered HTTP ${res.status}: ${typeof msg === "string" ? msg : snippet(res.body)}`);
    }
    try {
      return parseAllocationResponse(body, where);
    } catch (err) {
      if (err instanceof OpenCostResponseError) throw new OpenCostError("bad_response", err.message);
      throw err;
    }
  }

  return {
    ingestionKind: flavor === "kubecost" ? "kubecost-allocation" : "opencost-allocation",
    chunkHours: config.chunkHours,
    backfillDays: config.backfillDays,
    settleSeconds: config.settleSeconds,

    async prepare() {},

    async test(now) {
      const to = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
      const pods = await fetchAllocations({ from: new Date(to.getTime() - 3_600_000), to });
      return { pods: pods.length, gpuPods: pods.filter((p) => p.gpuRequest > 0).length };
    },

    async fetchChunk(window) {
      // OpenCost answers whole steps only: ask for the whole hours the chunk touches.
      const from = new Date(Math.floor(window.from.getTime() / 3_600_000) * 3_600_000);
      const to = new Date(Math.ceil(window.to.getTime() / 3_600_000) * 3_600_000);
      const pods = await fetchAllocations({ from, to });
      return { pods: pods.filter((p) => p.hour >= from.getTime() && p.hour < to.getTime()) };
    },

    async writeChunk(client, { pods }) {
      const kept = pods.filter((p) => config.allPods || p.gpuRequest > 0 || p.gpuHours > 0 || runIdFromLabels(p.labels, identity.runLabelKeys));
      const withIdentity = kept.map((p) => ({ p, identity: identifyAllocation(p, identity) }));
      const ids = await upsertWorkloads(client, {
        orgId,
        clusterId: config.clusterId,
        identities: withIdentity.map(({ p, identity: id }) => ({ identity: id, first: p.hour, last: p.hour })),
      });

      // 1. CPU and RAM cost per workload-hour.
      const costs = new Map<string, { workloadId: string; hour: number; cpu: number; ram: number }>();
      for (const { p, identity: id } of withIdentity) {
        const workloadId = ids.get(nsName(id))!;
        const k = `${workloadId}\u0000${p.hour}`;
        const c = costs.get(k) ?? { workloadId, hour: p.hour, cpu: 0, ram: 0 };
        c.cpu += p.cpuCost;
        c.ram += p.ramCost;
        costs.set(k, c);
      }
      let trafficRows = 0;
      if (costs.size) {
        const list = [...costs.values()];
        const res = await client.query(
          `INSERT INTO workload_hourly AS w (org_id, workload_id, hour, cpu_cost, ram_cost, currency)
           SELECT $1, u.workload_id, u.hour, u.cpu, u.ram, $2
           FROM unnest($3::text[], $4::timestamptz[], $5::numeric[], $6::numeric[]) AS u(workload_id, hour, cpu, ram)
           ON CONFLICT (workload_id, hour) DO UPDATE SET cpu_cost = EXCLUDED.cpu_cost, ram_cost = EXCLUDED.ram_cost
           WHERE w.org_id = EXCLUDED.org_id`,
          [orgId, currency, list.map((c) => c.workloadId), list.map((c) => new Date(c.hour)), list.map((c) => c.cpu.toFixed(8)), list.map((c) => c.ram.toFixed(8))],
        );
        trafficRows = res.rowCount ?? 0;
      }

      const gpuPods = withIdentity.filter(({ p }) => p.node && p.gpuRequest > 0);
      const nodes = [...new Set(gpuPods.map(({ p }) => p.node!.toLowerCase()))];
      let attributed = 0;
      const synthetic = { devices: [] as GpuDevice[], rows: [] as GpuHourRow[] };
      if (nodes.length) {
        // 4. instance ids from the nodes' providerID.
        const providerIds = new Map<string, string>();
        for (const { p } of gpuPods) {
          const id = instanceIdFromProviderId(p.providerId);
          if (id) providerIds.set(p.node!.toLowerCase(), id);
        }
        if (providerIds.size) {
          await client.query(
            `UPDATE gpus g SET provider_instance_id = u.instance_id
             FROM unnest($2::text[], $3::text[]) AS u(node, instance_id)
             WHERE g.org_id = $1 AND lower(g.hostname) = u.node AND g.provider_instance_id IS NULL`,
            [orgId, [...providerIds.keys()], [...providerIds.values()]],
          );
        }

        // What DCGM already has on those nodes in those hours.
        const hours = [...new Set(gpuPods.map(({ p }) => p.hour))];
        const existing = await client.query<{ gpu_id: string; hour: Date; node: string; workload_id: string | null; synthetic: boolean }>(
          `SELECT h.gpu_id, h.hour, lower(g.hostname) AS node, h.workload_id, g.uuid LIKE '${SYNTHETIC_GPU_PREFIX}%' AS synthetic
           FROM gpu_hourly h JOIN gpus g ON g.id = h.gpu_id AND g.org_id = h.org_id
           WHERE h.org_id = $1 AND h.hour = ANY($2::timestamptz[]) AND lower(g.hostname) = ANY($3::text[])
           ORDER BY g.mig_instance_id, g.gpu_index NULLS LAST, g.uuid`,
          [orgId, hours.map((h) => new Date(h)), nodes],
        );
        const byNodeHour = new Map<string, Array<{ gpuId: string; workloadId: string | null }>>();
        const measured = new Set<string>();
        for (const r of existing.rows) {
          if (r.synthetic) continue;
          const k = `${r.node}\u0000${r.hour.getTime()}`;
          measured.add(k);
          const list = byNodeHour.get(k) ?? [];
          list.push({ gpuId: r.gpu_id, workloadId: r.workload_id });
          byNodeHour.set(k, list);
        }

        const podsByNodeHour = new Map<string, typeof gpuPods>();
        for (const item of gpuPods) {
          const k = `${item.p.node!.toLowerCase()}\u0000${item.p.hour}`;
          const list = podsByNodeHour.get(k) ?? [];
          list.push(item);
          podsByNodeHour.set(k, list);
        }

        const updates: Array<{ gpuId: string; hour: number; workloadId: string; namespace: string; pod: string }> = [];
        for (const [k, list] of podsByNodeHour) {
          list.sort((a, b) => (a.p.namespace + "/" + a.p.pod < b.p.namespace + "/" + b.p.pod ? -1 : 1));
          if (measured.has(k)) {
            // 2. attribution of DCGM GPU-hours that have no workload yet.
            if (!config.attributeGpus) continue;
            const free = byNodeHour.get(k)!.filter((g) => g.workloadId === null);
            let i = 0;
            for (const { p, identity: id } of list) {
              for (let n = 0; n < Math.max(1, Math.round(p.gpuRequest)) && i < free.length; n++, i++) {
                updates.push({ gpuId: free[i]!.gpuId, hour: p.hour, workloadId: ids.get(nsName(id))!, namespace: p.namespace, pod: p.pod });
              }
            }
          } else if (config.synthesizeGpus) {
            // 3. no DCGM on this node in this hour: requested GPUs as host + slot devices.
            let slot = 0;
            for (const { p, identity: id } of list) {
              const slots = Math.max(1, Math.ceil(p.gpuRequest - 1e-9));
              const perSlot = Math.round(((p.gpuHours || (p.gpuRequest * p.minutes) / 60) / slots) * 1e6) / 1e6;
              const utilization = p.gpuUsage !== null && p.gpuRequest > 0 ? Math.min(1, p.gpuUsage / p.gpuRequest) : null;
              for (let n = 0; n < slots; n++, slot++) {
                const uuid = `${SYNTHETIC_GPU_PREFIX}${p.node}:${slot}`;
                const key = `${uuid}\u0000`;
                if (!synthetic.devices.some((d) => d.key === key)) {
                  synthetic.devices.push({
                    key,
                    uuid,
                    migInstanceId: "",
                    migProfile: null,
                    fraction: 1,
                    gpuIndex: slot,
                    model: normalizeGpuModel(p.labels.nvidia_com_gpu_product ?? p.labels.label_nvidia_com_gpu_product),
                    hostname: p.node,
                    instanceId: instanceIdFromProviderId(p.providerId),
                    instanceType: null,
                    memoryMib: null,
                  });
                }
                synthetic.rows.push({
                  deviceKey: key,
                  hour: p.hour,
                  utilization,
                  smActive: null,
                  tensorActive: null,
                  memUsedMib: null,
                  memTotalMib: null,
                  powerW: null,
                  samples: 0,
                  gpuHours: perSlot,
                  workload: id,
                  namespace: p.namespace,
                  pod: p.pod,
                  gap: false,
                });
              }
            }
          }
        }
        if (updates.length) {
          const res = await client.query(
            `UPDATE gpu_hourly h SET workload_id = u.workload_id, namespace = u.namespace, pod = u.pod
             FROM unnest($2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[]) AS u(gpu_id, hour, workload_id, namespace, pod)
             WHERE h.org_id = $1 AND h.gpu_id = u.gpu_id AND h.hour = u.hour AND h.workload_id IS NULL`,
            [orgId, updates.map((u) => u.gpuId), updates.map((u) => new Date(u.hour)), updates.map((u) => u.workloadId), updates.map((u) => u.namespace), updates.map((u) => u.pod)],
          );
          attributed = res.rowCount ?? 0;
        }
      }

      const stats = synthetic.rows.length
        ? await writeTelemetryChunk(client, { orgId, clusterId: config.clusterId, devices: synthetic.devices, gpuRows: synthetic.rows, traffic: [], gapFillMaxHours: 0, currency, syntheticFromOpenCost: true })
        : { gpus: 0, workloads: 0, gpuHourRows: 0, gapRows: 0, trafficRows: 0, minHour: null, maxHour: null };
      let minHour: number | null = null;
      let maxHour: number | null = null;
      for (const p of pods) {
        minHour = minHour === null ? p.hour : Math.min(minHour, p.hour);
        maxHour = maxHour === null ? p.hour : Math.max(maxHour, p.hour);
      }
      return { ...stats, workloads: ids.size, gpuHourRows: stats.gpuHourRows + attributed, trafficRows, minHour, maxHour, samples: pods.length };
    },

    async afterRun({ pool, from, to }) {
      await linkGpusToBilledResources(pool, { orgId, from, to });
    },

    close() {
      transport.close();
    },
  };
}
