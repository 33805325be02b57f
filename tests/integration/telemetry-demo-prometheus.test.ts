// The demo seed's in-process Prometheus must answer the connector exactly as a real Prometheus would
// for the same samples: the demo's series (GPUs with an exporter outage and pods changing, Triton and
// vLLM counters with histogram buckets) are backfilled into a real Prometheus, and the connector's
// chunk fetch (every query_range it makes, through its real client) must return the same data from both.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrometheusClient, PrometheusError, type PrometheusClient } from "@/lib/connectors/prometheus/client";
import { prometheusConfigSchema } from "@/lib/connectors/prometheus/config";
import { fetchPrometheusChunk, type PrometheusChunk } from "@/lib/connectors/prometheus/fetch-chunk";
import type { Series } from "@/lib/telemetry/types";
import { createInProcessPrometheus, type SyntheticSeries } from "@/prisma/seed/demo-prometheus";
import { demoFleetData } from "@/prisma/seed/demo";
import { OUTAGES } from "@/prisma/seed/demo-fleet";
import { type OmSeries, type RunningPrometheus, startPrometheus, toOpenMetrics } from "../support/prometheus";

const HOUR = 3_600_000;
const NOW = new Date("2026-11-20T09:30:00Z");
const fleet = demoFleetData({ now: NOW });
const outage = OUTAGES.find((o) => o.node === "dgx-01")!;
// Two UTC days around dgx-01's exporter outage.
const from = Math.floor((fleet.start.getTime() + outage.fromHour * HOUR) / (24 * HOUR)) * 24 * HOUR;
const to = from + 48 * HOUR;

const dgx = fleet.nodes.find((n) => n.name === "dgx-01")!;
const p5 = fleet.nodes.find((n) => n.name === "p5-01")!;
const all = [...fleet.series.values()].flat();
const mistralPods = [...new Set(all.filter((s) => s.labels.__name__!.startsWith("vllm:")).map((s) => s.labels.pod!))].sort().slice(0, 2);
const picked = all.filter(
  (s) =>
    (s.labels.Hostname !== undefined && [dgx.hostname, p5.hostname].includes(s.labels.Hostname)) ||
    s.labels.__name__!.startsWith("nv_inference_") ||
    mistralPods.includes(s.labels.pod ?? ""),
);

/** The series cut to [from, to], on its own scrape grid. */
function clip(s: SyntheticSeries): SyntheticSeries | null {
  const first = s.first + Math.max(0, Math.ceil((from - s.first) / s.intervalMs)) * s.intervalMs;
  const last = Math.min(s.last, to);
  return first > last ? null : { ...s, first, last };
}
const series = picked.map(clip).filter((s): s is SyntheticSeries => s !== null);

function toOm(list: SyntheticSeries[]): OmSeries[] {
  const bySeries = new Map<string, OmSeries>();
  for (const s of list) {
    const { __name__: name, ...labels } = s.labels;
    const key = JSON.stringify(Object.entries(s.labels).sort());
    const om = bySeries.get(key) ?? { name: name!, labels, samples: [] };
    for (let t = s.first; t <= s.last; t += s.intervalMs) {
      const v = s.value(t);
      if (v !== null) om.samples.push({ t, v });
    }
    bySeries.set(key, om);
  }
  for (const om of bySeries.values()) om.samples.sort((a, b) => a.t - b.t);
  return [...bySeries.values()].filter((s) => s.samples.length);
}

let prom: RunningPrometheus;
let real: PrometheusClient;
let inProcess: PrometheusClient;

beforeAll(async () => {
  prom = await startPrometheus({ openMetrics: toOpenMetrics(toOm(series)) });
  real = createPrometheusClient({ url: prom.url });
  inProcess = createPrometheusClient({ url: "http://prometheus.demo.invalid:9090", transport: createInProcessPrometheus(series) });
}, 120_000);

afterAll(async () => {
  real?.close();
  await prom?.stop();
});

const byLabels = (a: Series, b: Series) => (JSON.stringify(Object.entries(a.metric).sort()) < JSON.stringify(Object.entries(b.metric).sort()) ? -1 : 1);
function normalize(chunk: PrometheusChunk) {
  const dcgm = Object.fromEntries(Object.entries(chunk.dcgm).map(([f, agg]) => [f, { sum: [...agg.sum].sort(byLabels), count: [...agg.count].sort(byLabels) }]));
  return { dcgm, counters: [...chunk.counters].sort(byLabels) };
}

describe("the demo's in-process Prometheus", () => {
  it("reports the same major version as the real one (so the connector picks the same range semantics)", async () => {
    expect(await inProcess.majorVersion()).toBe(await real.majorVersion());
  });

  it("answers every query of the connector's chunk fetch like a real Prometheus holding the same samples", async () => {
    const config = prometheusConfigSchema.parse({ url: prom.url, counterStepSeconds: 300 });
    const majorVersion = await real.majorVersion();
    for (let day = from; day < to; day += 24 * HOUR) {
      const window = { from: new Date(day), to: new Date(day + 24 * HOUR) };
      const a = await fetchPrometheusChunk({ client: real, config, window, majorVersion });
      const b = await fetchPrometheusChunk({ client: inProcess, config, window, majorVersion });
      const na = normalize(a);
      expect(normalize(b)).toEqual(na);
      // Not vacuous: GPUs, the outage's missing hours, pods, and counters are in there.
      expect(na.dcgm.grEngineActive!.count.length).toBeGreaterThanOrEqual(16);
      expect(na.counters.some((s) => s.metric.__name__ === "vllm:e2e_request_latency_seconds_bucket" && s.metric.le === "+Inf")).toBe(true);
      expect(na.counters.some((s) => s.metric.__name__ === "nv_inference_request_success")).toBe(true);
    }
    // The outage: dgx-01's GPUs have no utilization points for the missing hours.
    const window = { from: new Date(from), to: new Date(to) };
    const chunk = await fetchPrometheusChunk({ client: inProcess, config: { ...config, chunkHours: 24 }, window: { from: window.from, to: new Date(from + 24 * HOUR) }, majorVersion });
    const outageHour = fleet.start.getTime() + outage.fromHour * HOUR;
    const dgxCounts = chunk.dcgm.grEngineActive!.count.filter((s) => s.metric.Hostname === dgx.hostname);
    expect(dgxCounts.length).toBeGreaterThan(0);
    for (const s of dgxCounts) expect(s.t).not.toContain(outageHour + HOUR - 1);
  });

  it("answers instant-vector counts like the real one", async () => {
    const q = { query: 'count(DCGM_FI_PROF_GR_ENGINE_ACTIVE{namespace!=""})', start: from, end: to, stepSeconds: 1800 };
    const a = await real.queryRange(q);
    expect(a[0]!.v.length).toBeGreaterThan(0);
    expect(await inProcess.queryRange(q)).toEqual(a);
  });

  it("refuses what it does not implement with Prometheus' bad_data error", async () => {
    const err = await inProcess.queryRange({ query: "rate(DCGM_FI_DEV_POWER_USAGE[5m])", start: from, end: to, stepSeconds: 3600 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusError);
    expect((err as PrometheusError).code).toBe("query");
    expect((err as PrometheusError).message).toMatch(/bad_data/);
  });
});
