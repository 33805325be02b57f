// A Prometheus connector's settings (connectors.config, validated here) and secret (connectors.secret_ciphertext).
import { z } from "zod";
import { DEFAULT_HOSTNAME_LABELS, DEFAULT_INSTANCE_ID_LABELS, DEFAULT_INSTANCE_TYPE_LABELS } from "@/lib/telemetry/dcgm-hourly";
import { podNameRuleSchema } from "@/lib/telemetry/workload-identity";
import { labelFilterSchema } from "./promql";

/** Prometheus refuses query_range answers of more than 11,000 points per series. */
export const MAX_POINTS_PER_SERIES = 11_000;

export const prometheusConfigSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    /** Added to every selector, e.g. cluster="gpu-prod" when one Prometheus serves several clusters. */
    labelFilters: z.array(labelFilterSchema).default([]),
    /** PEM of the CA that signs the server's certificate (private PKI). */
    caPem: z.string().optional(),
    timeoutMs: z.number().int().min(1_000).max(600_000).default(60_000),
    /** Hours per query_range chunk and per database transaction; divides 24 so chunks align to days. */
    chunkHours: z.number().int().min(1).max(24).refine((h) => 24 % h === 0, "must divide 24").default(24),
    /** History fetched on the first run. */
    backfillDays: z.number().int().min(0).max(400).default(30),
    /** Step of the raw counter queries (inference servers): at most the scrape interval for exact resets. */
    counterStepSeconds: z.number().int().min(5).max(3_600).default(60),
    /** Data younger than this is not fetched yet (scrape and remote-write delay). */
    settleSeconds: z.number().int().min(0).max(3_600).default(120),
    /** A device silent for at most this many hours between two runs gets gap rows for them (never zeros). */
    gapFillMaxHours: z.number().int().min(0).max(168).default(24),
    hostnameLabels: z.array(z.string().min(1)).default(DEFAULT_HOSTNAME_LABELS),
    instanceIdLabels: z.array(z.string().min(1)).default(DEFAULT_INSTANCE_ID_LABELS),
    /** Node labels that carry the cloud instance type (gpus.instance_type, for catalog prices). */
    instanceTypeLabels: z.array(z.string().min(1)).default(DEFAULT_INSTANCE_TYPE_LABELS),
    /** Cluster the GPUs seen by this connector belong to (first sighting only). */
    clusterId: z.string().min(1).optional(),
    /** query_range calls in flight at once, per run. */
    queryConcurrency: z.number().int().min(1).max(16).default(4),
    /** Overrides the org's pod-name rules for this connector. */
    podNameRules: z.array(podNameRuleSchema).optional(),
    /** Fetch vLLM / Triton / KServe counters. */
    inference: z.boolean().default(true),
  })
  .refine((c) => (c.chunkHours * 3600) / c.counterStepSeconds + 1 <= MAX_POINTS_PER_SERIES, {
    message: `chunkHours × 3600 / counterStepSeconds must stay under ${MAX_POINTS_PER_SERIES} points (Prometheus' limit)`,
    path: ["counterStepSeconds"],
  });

export type PrometheusConfig = z.infer<typeof prometheusConfigSchema>;
export type PrometheusConfigInput = z.input<typeof prometheusConfigSchema>;
