// Stores one chunk of telemetry inside the caller's transaction (one pg client, BEGIN already issued):
// workloads, GPUs, gpu_hourly rows and inference traffic on workload_hourly. Idempotent: natural-key
// upserts, so storing the same chunk twice leaves the same rows.
//
// Ownership (see lib/costs/refresh-rollups.ts): this writes gpu_hourly's measured columns
// (utilization, sm/tensor, memory, power, samples, gpu_hours, workload_id, namespace, pod) and
// workload_hourly's traffic columns. Rates, energy and workload GPU-hours/cost are the rollup
// refresh's, which the connector runs (or queues) for the stored window afterwards. energy_wh is
// also written here, with the refresh's own formula (power × GPU-hours, kept when there is no power):
// the refresh then finds nothing to change on hours without a bill rate, instead of rewriting every
// row just written (an UPDATE of each new row, its indexes included, was most of a backfill's refresh).
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { csvField } from "@/lib/db/copy";
import { HOUR_MS, type GpuDevice, type GpuHourRow, type TrafficHourRow, type WorkloadIdentity, type WorkloadKindName } from "./types";

export type TelemetryChunk = {
  orgId: string;
  clusterId?: string | null;
  devices: GpuDevice[];
  gpuRows: GpuHourRow[];
  traffic: TrafficHourRow[];
  /** Silent stretches of at most this many hours since a device's last stored hour become gap rows. */
  gapFillMaxHours: number;
  /** Currency written on new workload_hourly rows (the refresh replaces it when GPU cost speaks). */
  currency: string;
  /** Rows are the OpenCost connector's stand-ins for GPUs DCGM does not see (see its driver). */
  syntheticFromOpenCost?: boolean;
};

/** Device uuids of GPU-hours the OpenCost connector records for nodes without DCGM data. */
export const SYNTHETIC_GPU_PREFIX = "opencost:";

export type WriteStats = {
  gpus: number;
  workloads: number;
  gpuHourRows: number;
  gapRows: number;
  trafficRows: number;
  /** Earliest hour written (gap rows reach back before the chunk), for the rollup refresh window. */
  minHour: number | null;
  maxHour: number | null;
};

const KIND_PREFERENCE: WorkloadKindName[] = ["INFERENCE_SERVICE", "TRAINING_RUN", "OTHER"];
const nsName = (w: Pick<WorkloadIdentity, "namespace" | "name">) => `${w.namespace}\u0000${w.name}`;

/**
 * Resolves identities to workload ids, creating what is new. A (namespace, name) that already exists
 * keeps its kind (a deployment first seen by its GPU is the same workload once its traffic shows up);
 * among new ones, an inference series' word beats a pod-name guess.
 */
export async function upsertWorkloads(
  client: pg.PoolClient,
  { orgId, clusterId, identities }: { orgId: string; clusterId?: string | null; identities: Array<{ identity: WorkloadIdentity; first: number; last: number }> },
): Promise<Map<string, string>> {
  const merged = new Map<string, { identity: WorkloadIdentity; first: number; last: number }>();
  for (const item of identities) {
    const k = nsName(item.identity);
    const m = merged.get(k);
    if (!m) {
      merged.set(k, { ...item, identity: { ...item.identity } });
      continue;
    }
    m.first = Math.min(m.first, item.first);
    m.last = Math.max(m.last, item.last);
    const a = m.identity;
    const b = item.identity;
    if (KIND_PREFERENCE.indexOf(b.kind) < KIND_PREFERENCE.indexOf(a.kind)) m.identity = { ...b, modelName: b.modelName ?? a.modelName, framework: b.framework ?? a.framework, labels: { ...a.labels, ...b.labels } };
    else m.identity = { ...a, modelName: a.modelName ?? b.modelName, framework: a.framework ?? b.framework };
  }
  const out = new Map<string, string>();
  if (merged.size === 0) return out;
  const items = [...merged.values()];

  const existing = await client.query<{ kind: WorkloadKindName; namespace: string; name: string }>(
    `SELECT kind::text AS kind, namespace, name FROM workloads
     WHERE org_id = $1 AND (namespace, name) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
    [orgId, items.map((i) => i.identity.namespace), items.map((i) => i.identity.name)],
  );
  const existingKind = new Map<string, WorkloadKindName>();
  for (const r of existing.rows) {
    const k = nsName(r);
    const prev = existingKind.get(k);
    if (!prev || KIND_PREFERENCE.indexOf(r.kind) < KIND_PREFERENCE.indexOf(prev)) existingKind.set(k, r.kind);
  }

  const res = await client.query<{ id: string; namespace: string; name: string }>(
    `INSERT INTO workloads AS w (id, org_id, cluster_id, kind, name, namespace, model_name, framework, labels, first_seen_at, last_seen_at)
     SELECT u.id, $1, $2, u.kind::"WorkloadKind", u.name, u.namespace, u.model_name, u.framework, u.labels::jsonb, u.first_seen, u.last_seen
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[])
       AS u(id, kind, name, namespace, model_name, framework, labels, first_seen, last_seen)
     ON CONFLICT (org_id, kind, namespace, name) DO UPDATE
     SET model_name = COALESCE(w.model_name, EXCLUDED.model_name),
         framework = COALESCE(w.framework, EXCLUDED.framework),
         cluster_id = COALESCE(w.cluster_id, EXCLUDED.cluster_id),
         first_seen_at = LEAST(w.first_seen_at, EXCLUDED.first_seen_at),
         last_seen_at = GREATEST(w.last_seen_at, EXCLUDED.last_seen_at)
     RETURNING id, namespace, name`,
    [
      orgId,
      clusterId ?? null,
      items.map(() => randomUUID()),
      items.map((i) => existingKind.get(nsName(i.identity)) ?? i.identity.kind),
      items.map((i) => i.identity.name),
      items.map((i) => i.identity.namespace),
      items.map((i) => i.identity.modelName ?? null),
      items.map((i) => i.identity.framework ?? null),
      items.map((i) => JSON.stringify(i.identity.labels ?? {})),
      items.map((i) => new Date(i.first)),
      items.map((i) => new Date(i.last)),
    ],
  );
  for (const r of res.rows) out.set(nsName(r), r.id);
  return out;
}

/** A CSV field of a number column: empty (NULL) for null, else the number's shortest exact text. */
const num = (v: number | null) => (v === null ? "" : String(v));

async function copyCsvLines(client: pg.PoolClient, sql: string, text: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(text), client.query(copyFrom(sql)));
}

const GPU_HOURLY_STAGE_COLUMNS = [
  "gpu_id", "hour", "utilization", "sm_active", "tensor_active", "mem_used_mib", "mem_total_mib", "power_w", "samples", "gpu_hours", "workload_id", "namespace", "pod", "gap",
];

export async function writeTelemetryChunk(client: pg.PoolClient, chunk: TelemetryChunk): Promise<WriteStats> {
  const { orgId } = chunk;
  const stats: WriteStats = { gpus: 0, workloads: 0, gpuHourRows: 0, gapRows: 0, trafficRows: 0, minHour: null, maxHour: null };
  const seeHour = (h: number) => {
    stats.minHour = stats.minHour === null ? h : Math.min(stats.minHour, h);
    stats.maxHour = stats.maxHour === null ? h : Math.max(stats.maxHour, h);
  };

  // ── workloads ──
  const identities: Array<{ identity: WorkloadIdentity; first: number; last: number }> = [];
  for (const r of chunk.gpuRows) if (r.workload) identities.push({ identity: r.workload, first: r.hour, last: r.hour });
  for (const r of chunk.traffic) identities.push({ identity: r.workload, first: r.hour, last: r.hour });
  const workloadIds = await upsertWorkloads(client, { orgId, clusterId: chunk.clusterId, identities });
  stats.workloads = workloadIds.size;

  // ── GPUs: first/last hour with data, and the last hour stored before this chunk (for gap rows) ──
  const seen = new Map<string, { first: number; last: number }>();
  for (const r of chunk.gpuRows) {
    if (r.gap) continue;
    const s = seen.get(r.deviceKey);
    if (!s) seen.set(r.deviceKey, { first: r.hour, last: r.hour });
    else {
      s.first = Math.min(s.first, r.hour);
      s.last = Math.max(s.last, r.hour);
    }
  }
  const devices = chunk.devices.filter((d) => seen.has(d.key));
  const gpuIds = new Map<string, string>();
  const previousLast = new Map<string, number>();
  if (devices.length) {
    const before = await client.query<{ uuid: string; mig_instance_id: string; last_seen_at: Date }>(
      `SELECT uuid, mig_instance_id, last_seen_at FROM gpus
       WHERE org_id = $1 AND (uuid, mig_instance_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [orgId, devices.map((d) => d.uuid), devices.map((d) => d.migInstanceId)],
    );
    for (const r of before.rows) previousLast.set(`${r.uuid}\u0000${r.mig_instance_id}`, r.last_seen_at.getTime());

    const res = await client.query<{ id: string; uuid: string; mig_instance_id: string }>(
      `INSERT INTO gpus AS g (id, org_id, cluster_id, uuid, mig_instance_id, mig_profile, fraction, gpu_index, model, hostname,
                              provider_instance_id, memory_mib, first_seen_at, last_seen_at, instance_type)
       SELECT u.id, $1, $2, u.uuid, u.mig, u.profile, u.fraction, u.gpu_index, u.model, u.hostname, u.instance_id, u.memory_mib, u.first_seen, u.last_seen,
              u.instance_type
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::int[], $9::text[], $10::text[], $11::text[], $12::int[],
                   $13::timestamptz[], $14::timestamptz[], $15::text[])
         AS u(id, uuid, mig, profile, fraction, gpu_index, model, hostname, instance_id, memory_mib, first_seen, last_seen, instance_type)
       ON CONFLICT (org_id, uuid, mig_instance_id) DO UPDATE
       SET mig_profile = EXCLUDED.mig_profile,
           fraction = EXCLUDED.fraction,
           gpu_index = COALESCE(EXCLUDED.gpu_index, g.gpu_index),
           model = CASE WHEN EXCLUDED.model <> 'unknown' THEN EXCLUDED.model ELSE g.model END,
           hostname = COALESCE(EXCLUDED.hostname, g.hostname),
           provider_instance_id = COALESCE(g.provider_instance_id, EXCLUDED.provider_instance_id),
           memory_mib = COALESCE(EXCLUDED.memory_mib, g.memory_mib),
           instance_type = COALESCE(EXCLUDED.instance_type, g.instance_type),
           cluster_id = COALESCE(g.cluster_id, EXCLUDED.cluster_id),
           first_seen_at = LEAST(g.first_seen_at, EXCLUDED.first_seen_at),
           last_seen_at = GREATEST(g.last_seen_at, EXCLUDED.last_seen_at)
       RETURNING id, uuid, mig_instance_id`,
      [
        orgId,
        chunk.clusterId ?? null,
        devices.map(() => randomUUID()),
        devices.map((d) => d.uuid),
        devices.map((d) => d.migInstanceId),
        devices.map((d) => d.migProfile),
        devices.map((d) => d.fraction.toFixed(5)),
        devices.map((d) => d.gpuIndex),
        devices.map((d) => d.model),
        devices.map((d) => d.hostname),
        devices.map((d) => d.instanceId),
        devices.map((d) => (d.memoryMib === null ? null : Math.round(d.memoryMib))),
        devices.map((d) => new Date(seen.get(d.key)!.first)),
        devices.map((d) => new Date(seen.get(d.key)!.last)),
        devices.map((d) => d.instanceType),
      ],
    );
    for (const r of res.rows) gpuIds.set(`${r.uuid}\u0000${r.mig_instance_id}`, r.id);
    stats.gpus = res.rows.length;
  }

  // ── gpu_hourly, through a staging table: data rows replace, gap rows only fill holes ──
  const gpuHoursOf = new Map<string, number>();
  for (const r of chunk.gpuRows) if (!gpuHoursOf.has(r.deviceKey)) gpuHoursOf.set(r.deviceKey, r.gpuHours);
  const lookback: GpuHourRow[] = [];
  for (const [key, s] of seen) {
    const prev = previousLast.get(key);
    if (prev === undefined || prev >= s.first) continue;
    const missing = (s.first - prev) / HOUR_MS - 1;
    if (missing < 1 || missing > chunk.gapFillMaxHours) continue;
    for (let h = prev + HOUR_MS; h < s.first; h += HOUR_MS) {
      lookback.push({ deviceKey: key, hour: h, utilization: null, smActive: null, tensorActive: null, memUsedMib: null, memTotalMib: null, powerW: null, samples: 0, gpuHours: gpuHoursOf.get(key) ?? 1, workload: null, namespace: null, pod: null, gap: true });
    }
  }

  const rows = [...chunk.gpuRows, ...lookback].filter((r) => gpuIds.has(r.deviceKey));
  if (rows.length) {
    await client.query(
      `CREATE TEMP TABLE telemetry_gpu_hourly_stage (
         gpu_id text, hour timestamptz, utilization float8, sm_active float8, tensor_active float8, mem_used_mib float8,
         mem_total_mib float8, power_w float8, samples int, gpu_hours numeric, workload_id text, namespace text, pod text, gap boolean
       ) ON COMMIT DROP`,
    );
    // COPY text lines written directly (the generic CSV writer's per-field work was a tenth of the
    // connector's CPU): ids, timestamps and numbers never need quoting; namespace and pod go through
    // csvField like any free text.
    const hourText = new Map<number, string>();
    const workloadIdOf = new Map<WorkloadIdentity, string>();
    await copyCsvLines(client, `COPY telemetry_gpu_hourly_stage (${GPU_HOURLY_STAGE_COLUMNS.join(", ")}) FROM STDIN WITH (FORMAT csv)`, (function* () {
      let batch = "";
      let n = 0;
      for (const r of rows) {
        seeHour(r.hour);
        let hour = hourText.get(r.hour);
        if (hour === undefined) {
          hour = new Date(r.hour).toISOString();
          hourText.set(r.hour, hour);
        }
        let workloadId = "";
        if (r.workload) {
          let id = workloadIdOf.get(r.workload);
          if (id === undefined) {
            id = workloadIds.get(nsName(r.workload)) ?? "";
            workloadIdOf.set(r.workload, id);
          }
          workloadId = id;
        }
        batch += `${gpuIds.get(r.deviceKey)!},${hour},${num(r.utilization)},${num(r.smActive)},${num(r.tensorActive)},${num(r.memUsedMib)},${num(r.memTotalMib)},${num(r.powerW)},${r.samples},${r.gpuHours.toFixed(6)},${workloadId},${csvField(r.namespace)},${csvField(r.pod)},${r.gap ? "t" : "f"}\n`;
        if (++n === 1000) {
          yield batch;
          batch = "";
          n = 0;
        }
      }
      if (batch) yield batch;
    })());
    // Workload, namespace and pod are kept when the new row has none: another source (the OpenCost
    // connector, for GPUs whose exporter has no pod mapping) may have attributed the hour.
    const data = await client.query(
      `INSERT INTO gpu_hourly AS h (org_id, gpu_id, hour, utilization, sm_active, tensor_active, mem_used_mib, mem_total_mib, power_w,
                                    samples, gpu_hours, workload_id, namespace, pod, energy_wh)
       SELECT $1, gpu_id, hour, utilization, sm_active, tensor_active, mem_used_mib, mem_total_mib, power_w, samples, gpu_hours,
              workload_id, namespace, pod, power_w * gpu_hours::numeric(10, 6)::float8
       FROM telemetry_gpu_hourly_stage WHERE NOT gap
       ON CONFLICT (gpu_id, hour) DO UPDATE
       SET utilization = EXCLUDED.utilization, sm_active = EXCLUDED.sm_active, tensor_active = EXCLUDED.tensor_active,
           mem_used_mib = EXCLUDED.mem_used_mib, mem_total_mib = EXCLUDED.mem_total_mib, power_w = EXCLUDED.power_w,
           samples = EXCLUDED.samples, gpu_hours = EXCLUDED.gpu_hours,
           energy_wh = CASE WHEN EXCLUDED.power_w IS NOT NULL THEN EXCLUDED.energy_wh ELSE h.energy_wh END,
           workload_id = COALESCE(EXCLUDED.workload_id, h.workload_id),
           namespace = CASE WHEN EXCLUDED.workload_id IS NOT NULL THEN EXCLUDED.namespace ELSE h.namespace END,
           pod = CASE WHEN EXCLUDED.workload_id IS NOT NULL THEN EXCLUDED.pod ELSE h.pod END
       WHERE h.org_id = EXCLUDED.org_id`,
      [orgId],
    );
    const gaps = rows.some((r) => r.gap)
      ? await client.query(
          `INSERT INTO gpu_hourly (org_id, gpu_id, hour, utilization, samples, gpu_hours)
           SELECT $1, gpu_id, hour, NULL, 0, gpu_hours FROM telemetry_gpu_hourly_stage WHERE gap
           ON CONFLICT (gpu_id, hour) DO NOTHING`,
          [orgId],
        )
      : null;
    stats.gpuHourRows = data.rowCount ?? 0;
    stats.gapRows = gaps?.rowCount ?? 0;
    if (!chunk.syntheticFromOpenCost) {
      // Measured GPUs replace the OpenCost stand-ins of the same host and hour (never counted twice).
      // Driven from the stand-in GPUs (usually none) through gpu_hourly's (gpu_id, hour) key: a scan of
      // the org's gpu_hourly per chunk made a month's backfill quadratic.
      const standIns = await client.query<{ id: string; host: string }>(
        `SELECT id, lower(hostname) AS host FROM gpus WHERE org_id = $1 AND uuid LIKE '${SYNTHETIC_GPU_PREFIX}%' AND hostname IS NOT NULL`,
        [orgId],
      );
      if (standIns.rows.length) {
        await client.query(
          `DELETE FROM gpu_hourly h
           USING unnest($2::text[], $3::text[]) AS g(id, host),
                 (SELECT DISTINCT lower(sg.hostname) AS host, s.hour FROM telemetry_gpu_hourly_stage s JOIN gpus sg ON sg.id = s.gpu_id
                  WHERE NOT s.gap AND sg.hostname IS NOT NULL) m
           WHERE h.org_id = $1 AND h.gpu_id = g.id AND g.host = m.host AND h.hour = m.hour`,
          [orgId, standIns.rows.map((r) => r.id), standIns.rows.map((r) => r.host)],
        );
      }
    }
  }

  // ── inference traffic on workload_hourly (traffic columns only) ──
  const traffic = chunk.traffic.filter((t) => workloadIds.has(nsName(t.workload)));
  if (traffic.length) {
    for (const t of traffic) seeHour(t.hour);
    const res = await client.query(
      `INSERT INTO workload_hourly AS w (org_id, workload_id, hour, inferences, failures, prompt_tokens, generation_tokens, latency_histogram, currency)
       SELECT $1, u.workload_id, u.hour, u.inferences, u.failures, u.prompt_tokens, u.generation_tokens, u.histogram::jsonb, $2
       FROM unnest($3::text[], $4::timestamptz[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::text[])
         AS u(workload_id, hour, inferences, failures, prompt_tokens, generation_tokens, histogram)
       ON CONFLICT (workload_id, hour) DO UPDATE
       SET inferences = EXCLUDED.inferences, failures = EXCLUDED.failures, prompt_tokens = EXCLUDED.prompt_tokens,
           generation_tokens = EXCLUDED.generation_tokens, latency_histogram = EXCLUDED.latency_histogram
       WHERE w.org_id = EXCLUDED.org_id`,
      [
        orgId,
        chunk.currency,
        traffic.map((t) => workloadIds.get(nsName(t.workload))!),
        traffic.map((t) => new Date(t.hour)),
        traffic.map((t) => t.inferences),
        traffic.map((t) => t.failures),
        traffic.map((t) => t.promptTokens),
        traffic.map((t) => t.generationTokens),
        traffic.map((t) => (t.latencyHistogram ? JSON.stringify(t.latencyHistogram) : null)),
      ],
    );
    stats.trafficRows = res.rowCount ?? 0;
  }
  return stats;
}
