// The Prometheus connector as the runner sees it: fetch a chunk (query_range), turn it into hourly
// rows (DCGM devices and inference services), store them, and link GPUs to bills after the run.
import { type ConnectorDriver, createLanes } from "@/lib/telemetry/connector-driver";
import { authFromSecret, type ConnectorSecret } from "@/lib/telemetry/connector-secrets";
import { aggregateDcgmHours, DCGM_FIELDS, type DcgmResult } from "@/lib/telemetry/dcgm-hourly";
import { aggregateInferenceHours, INFERENCE_METRIC_NAMES } from "@/lib/telemetry/inference-hourly";
import { linkGpusToBilledResources } from "@/lib/telemetry/link-gpus";
import { HOUR_MS, type TrafficHourRow } from "@/lib/telemetry/types";
import type { IdentityConfig } from "@/lib/telemetry/workload-identity";
import { writeTelemetryChunk } from "@/lib/telemetry/write-telemetry";
import type { Transport } from "@/lib/telemetry/http-transport";
import { createPrometheusClient, type PrometheusClientOptions } from "./client";
import type { PrometheusConfig } from "./config";
import { fetchPrometheusChunk } from "./fetch-chunk";
import { multiMetricSelector, selector } from "./promql";

/** A chunk as fetched and aggregated: hourly rows ready to store, and the raw samples they came from. */
type AggregatedChunk = { dcgm: DcgmResult; traffic: TrafficHourRow[]; samples: number };

export function createPrometheusDriver({
  orgId,
  config,
  secret,
  identity,
  currency,
  onQuery,
  transport,
}: {
  orgId: string;
  config: PrometheusConfig;
  secret: ConnectorSecret;
  identity: IdentityConfig;
  currency: string;
  onQuery?: PrometheusClientOptions["onQuery"];
  /** In-process answers instead of HTTP (see PrometheusClientOptions.transport). */
  transport?: Transport;
}): ConnectorDriver<AggregatedChunk> {
  const client = createPrometheusClient({ url: config.url, auth: authFromSecret(secret), caPem: config.caPem, timeoutMs: config.timeoutMs, onQuery, transport });
  let majorVersion: number | null = null;
  // One set of query lanes for the whole run: the runner fetches two chunks ahead, and their queries
  // queue behind each other, so Prometheus always has queryConcurrency requests to work on (no lull
  // at chunk boundaries or while a chunk is stored) and never more.
  const lanes = createLanes(config.queryConcurrency);

  return {
    ingestionKind: "prometheus-telemetry",
    chunkHours: config.chunkHours,
    prefetchChunks: 2,
    backfillDays: config.backfillDays,
    settleSeconds: config.settleSeconds,

    async prepare() {
      majorVersion = await client.majorVersion();
    },

    async test(now) {
      const version = await client.majorVersion();
      const end = Math.floor(now.getTime() / 60_000) * 60_000;
      const count = async (sel: string) => {
        const series = await client.queryRange({ query: `count(${sel})`, start: end - 10 * 60_000, end, stepSeconds: 300 });
        return series[0]?.v.at(-1) ?? 0;
      };
      const gpuSeries = Math.max(
        await count(selector(DCGM_FIELDS.gpuUtil, config.labelFilters)),
        await count(selector(DCGM_FIELDS.grEngineActive, config.labelFilters)),
      );
      const inferenceSeries = await count(multiMetricSelector(INFERENCE_METRIC_NAMES, config.labelFilters));
      return { prometheusMajorVersion: version, gpuSeries, inferenceSeries };
    },

    // The hourly aggregation is pure (answers → rows), so it is done as part of the fetch: it runs
    // while the chunk before is being written (the write itself is then only database work), and
    // the raw series are dropped before the chunk waits for its turn.
    async fetchChunk(window) {
      const fetched = await fetchPrometheusChunk({ client, config, window, majorVersion, lanes });
      const dcgm = aggregateDcgmHours(fetched.dcgm, { hostnameLabels: config.hostnameLabels, instanceIdLabels: config.instanceIdLabels, instanceTypeLabels: config.instanceTypeLabels, identity });
      const from = Math.floor(window.from.getTime() / HOUR_MS) * HOUR_MS;
      const to = Math.ceil(window.to.getTime() / HOUR_MS) * HOUR_MS;
      const traffic = aggregateInferenceHours(fetched.counters, { from, to, identity });
      const counterSamples = fetched.counters.reduce((n, s) => n + s.t.length, 0);
      return { dcgm, traffic, samples: dcgm.samples + counterSamples };
    },

    async writeChunk(pg, { dcgm, traffic, samples }) {
      const stats = await writeTelemetryChunk(pg, {
        orgId,
        clusterId: config.clusterId,
        devices: dcgm.devices,
        gpuRows: dcgm.rows,
        traffic,
        gapFillMaxHours: config.gapFillMaxHours,
        currency,
      });
      return { ...stats, samples };
    },

    async afterRun({ pool, from, to }) {
      await linkGpusToBilledResources(pool, { orgId, from, to });
    },

    close() {
      lanes.close();
      client.close();
    },
  };
}
