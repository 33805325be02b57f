// The query_range calls of one chunk. Network only: nothing here touches the database, so a chunk
// whose fetch fails stores nothing.
//
// DCGM gauges: per field, sum_over_time and count_over_time over exactly one UTC hour, evaluated at
// each hour's last millisecond with a 1 h step. Prometheus does the averaging close to the data, the
// answer is one point per series and hour, and scrape gaps stay gaps (range functions see only real
// samples; a raw query at a fine step would repeat the last value for the 5-minute lookback).
// Inference counters: the raw counters at counterStepSeconds, all families in one query per piece of
// COUNTER_PIECE_HOURS (the biggest answers; split so they spread over the query lanes and Prometheus'
// cores), from the chunk start (the baseline) to its end. Pieces share their boundary step, which is
// kept once when they are joined back into one series per label set.
import { type DcgmField, DCGM_FIELD_NAMES, DCGM_FIELDS, type DcgmInput } from "@/lib/telemetry/dcgm-hourly";
import { INFERENCE_METRIC_NAMES } from "@/lib/telemetry/inference-hourly";
import { type ChunkWindow, inLanes, type Lanes, withConcurrency } from "@/lib/telemetry/connector-driver";
import { HOUR_MS, type Series } from "@/lib/telemetry/types";
import type { PrometheusClient } from "./client";
import type { PrometheusConfig } from "./config";
import { hourRange, multiMetricSelector, selector } from "./promql";

export type PrometheusChunk = { dcgm: DcgmInput; counters: Series[]; window: ChunkWindow };

export const COUNTER_PIECE_HOURS = 6;

function labelKey(metric: Record<string, string>): string {
  return Object.keys(metric)
    .sort()
    .map((k) => `${k}\u0001${metric[k]}`)
    .join("\u0002");
}

/**
 * Joins the answers of consecutive time pieces into one series per label set (boundary points once).
 * Takes over the pieces' arrays (the first piece of a label set is extended in place, not copied).
 */
export function joinPieces(pieces: Series[][]): Series[] {
  const out = new Map<string, Series>();
  for (const piece of pieces) {
    for (const s of piece) {
      const k = labelKey(s.metric);
      const acc = out.get(k);
      if (!acc) {
        out.set(k, { metric: s.metric, t: s.t, v: s.v });
        continue;
      }
      const last = acc.t.length ? acc.t[acc.t.length - 1]! : -Infinity;
      for (let i = 0; i < s.t.length; i++) {
        if (s.t[i]! <= last) continue;
        acc.t.push(s.t[i]!);
        acc.v.push(s.v[i]!);
      }
    }
  }
  return [...out.values()];
}

export async function fetchPrometheusChunk({
  client,
  config,
  window,
  majorVersion,
  lanes,
}: {
  client: PrometheusClient;
  config: PrometheusConfig;
  window: ChunkWindow;
  majorVersion: number | null;
  /** Query lanes shared with the run's other chunks (prefetch); default: queryConcurrency lanes of its own. */
  lanes?: Lanes;
}): Promise<PrometheusChunk> {
  const firstHour = Math.floor(window.from.getTime() / HOUR_MS) * HOUR_MS;
  const lastHour = Math.ceil(window.to.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS;
  const range = hourRange(majorVersion);
  const gauge = (fn: "sum_over_time" | "count_over_time", field: DcgmField) => () =>
    client.queryRange({
      query: `${fn}(${selector(DCGM_FIELDS[field], config.labelFilters)}[${range}])`,
      start: firstHour + HOUR_MS - 1,
      end: lastHour + HOUR_MS - 1,
      stepSeconds: 3600,
    });

  const step = config.counterStepSeconds * 1000;
  const counterStart = window.from.getTime();
  const counterEnd = Math.floor(window.to.getTime() / step) * step;
  const withCounters = config.inference && counterEnd > counterStart;
  const tasks: Array<() => Promise<Series[]>> = [];
  // Biggest answers first, so no lane is left with a long query at the end of the chunk.
  if (withCounters) {
    const selectorText = multiMetricSelector(INFERENCE_METRIC_NAMES, config.labelFilters);
    const pieceMs = Math.max(step, Math.floor((COUNTER_PIECE_HOURS * HOUR_MS) / step) * step);
    for (let start = counterStart; start < counterEnd; start += pieceMs) {
      const end = Math.min(counterEnd, start + pieceMs);
      tasks.push(() => client.queryRange({ query: selectorText, start, end, stepSeconds: config.counterStepSeconds }));
    }
  }
  const pieces = tasks.length;
  for (const field of DCGM_FIELD_NAMES) tasks.push(gauge("sum_over_time", field), gauge("count_over_time", field));

  const answers = lanes ? await inLanes(lanes, tasks) : await withConcurrency(config.queryConcurrency, tasks);
  const dcgm: DcgmInput = {};
  DCGM_FIELD_NAMES.forEach((field, i) => {
    const sum = answers[pieces + 2 * i]!;
    const count = answers[pieces + 2 * i + 1]!;
    if (sum.length || count.length) dcgm[field] = { sum, count };
  });
  return { dcgm, counters: pieces ? joinPieces(answers.slice(0, pieces)) : [], window };
}
