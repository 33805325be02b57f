// THE queue contract: queue names, job names, payload schemas, default job options and deterministic
// job ids. Producers (web, CLI, ingesters) and consumers (workers/) import from here; no queue name is
// a string literal anywhere else.
//
// Rules for payloads: they carry ids and the org, never data. A field added later starts optional, so
// jobs already sitting in Redis when a new version deploys still parse.
//
// Planned queues, declared here once they get a producer or a processor:
//   recommendations
import type { DefaultJobOptions } from "bullmq";
import { z } from "zod";
import { compactUtc, isWholeHour } from "./hour-windows";

export const QUEUES = {
  /** Recomputes gpu_hourly rates and workload_hourly for windows of whole UTC hours. */
  rollups: "rollups",
  /** Runs telemetry connectors (Prometheus, OpenCost, Kubecost): one job = one connector run. */
  telemetry: "ingest-telemetry",
  /** Bill ingestion runs (uploads, API, re-runs) and the pull connectors' polls (S3, HTTPS). */
  ingestBills: "ingest-bills",
  /** Budget and SLO evaluation: a fan-out on schedule, then one evaluation per org. */
  alerts: "alerts",
  /** One job per alert delivery (one message to one channel); retried alone. */
  deliveries: "deliveries",
  /** Weekly email digests: an hourly fan-out, then one job per due subscription. */
  digests: "digests",
  /** Recomputes an org's recommendations (capacity split, efficiency actions, realised savings). */
  recommendations: "recommendations",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const QUEUE_NAMES: readonly QueueName[] = Object.values(QUEUES);

export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}

/** Job names, per queue. The processor dispatches on the payload's schema, the name is for humans. */
export const JOB_NAMES = {
  rollups: {
    refresh: "refresh",
    fanOut: "fan-out",
  },
  "ingest-telemetry": {
    run: "run",
    syncSchedules: "sync-schedules",
  },
  "ingest-bills": {
    run: "run",
    poll: "poll-connectors",
    pull: "pull",
  },
  alerts: {
    fanOut: "fan-out",
    evaluate: "evaluate",
  },
  deliveries: {
    deliver: "deliver",
  },
  digests: {
    fanOut: "fan-out",
    send: "send",
  },
  recommendations: {
    recompute: "recompute",
    fanOut: "fan-out",
  },
} as const satisfies Record<QueueName, Record<string, string>>;

// ───────────────────────────── rollups ─────────────────────────────

/** A single refresh job never covers more than this; longer ranges are split by the producer. */
export const MAX_REFRESH_JOB_HOURS = 7 * 24;
/** How far back the hourly fan-out looks by default: late telemetry and hourly bills land within it. */
export const DEFAULT_FAN_OUT_LOOKBACK_HOURS = 6;

const wholeHourIso = z.iso
  .datetime({ offset: true })
  .refine((s) => isWholeHour(new Date(s)), { message: "must be a whole UTC hour" });

export const rollupRefreshPayloadSchema = z
  .object({
    kind: z.literal("refresh"),
    orgId: z.string().min(1),
    /** Inclusive start, ISO 8601, a whole UTC hour. */
    from: wholeHourIso,
    /** Exclusive end, ISO 8601, a whole UTC hour. */
    to: wholeHourIso,
    /** Why it was queued (an ingestion run id, "schedule", "manual"); part of the job id when given. */
    cause: z.string().min(1).max(120).optional(),
  })
  .refine((p) => new Date(p.from) < new Date(p.to), { message: "from must be before to", path: ["to"] })
  .refine((p) => new Date(p.to).getTime() - new Date(p.from).getTime() <= MAX_REFRESH_JOB_HOURS * 3_600_000, {
    message: `a refresh job covers at most ${MAX_REFRESH_JOB_HOURS} hours`,
    path: ["to"],
  });

/** Produced by the hourly job scheduler: one refresh per org with data in the last hours. */
export const rollupFanOutPayloadSchema = z.object({
  kind: z.literal("fan-out"),
  lookbackHours: z.number().int().min(1).max(MAX_REFRESH_JOB_HOURS).optional(),
});

export const rollupsPayloadSchema = z.discriminatedUnion("kind", [rollupRefreshPayloadSchema, rollupFanOutPayloadSchema]);

export type RollupRefreshPayload = z.infer<typeof rollupRefreshPayloadSchema>;
export type RollupFanOutPayload = z.infer<typeof rollupFanOutPayloadSchema>;
export type RollupsPayload = z.infer<typeof rollupsPayloadSchema>;

// ───────────────────────────── ingest-telemetry ─────────────────────────────

/** Default repeat interval of a connector's job scheduler (connectors.every_seconds overrides it). */
export const DEFAULT_TELEMETRY_EVERY_SECONDS = 300;
/** Jobs of the telemetry queue started per window, across every worker (BullMQ's queue-wide limiter). */
export const TELEMETRY_RATE_LIMIT = { max: 30, duration: 60_000 } as const;
/** Per-connector job schedulers are named with this prefix; the sync job owns everything under it. */
export const TELEMETRY_SCHEDULER_PREFIX = "telemetry-connector-";

const isoDateTime = z.iso.datetime({ offset: true });

export const telemetryRunPayloadSchema = z
  .object({
    kind: z.literal("run"),
    orgId: z.string().min(1),
    connectorId: z.string().min(1),
    /** Explicit window (a manual backfill); absent = from the connector's watermark to now. */
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    /** "schedule" for the connector's job scheduler, "manual" for "run now", ... */
    cause: z.string().min(1).max(120).optional(),
  })
  .refine((p) => (p.from === undefined) === (p.to === undefined), { message: "give both from and to, or neither", path: ["to"] })
  .refine((p) => p.from === undefined || new Date(p.from) < new Date(p.to!), { message: "from must be before to", path: ["to"] });

/** Reconciles the per-connector job schedulers with the connectors table. */
export const telemetrySyncPayloadSchema = z.object({ kind: z.literal("sync-schedules") });

export const telemetryPayloadSchema = z.discriminatedUnion("kind", [telemetryRunPayloadSchema, telemetrySyncPayloadSchema]);

export type TelemetryRunPayload = z.infer<typeof telemetryRunPayloadSchema>;
export type TelemetrySyncPayload = z.infer<typeof telemetrySyncPayloadSchema>;
export type TelemetryPayload = z.infer<typeof telemetryPayloadSchema>;

// ───────────────────────────── ingest-bills ─────────────────────────────

/** How often the worker looks for bill pull connectors that are due (each has its own every_seconds). */
export const BILL_POLL_EVERY_MS = 60_000;
/** Job schedulers of the ingest-bills queue that the processor manages itself start with this. */
export const INGEST_BILLS_SCHEDULER_PREFIX = "ingest-bills-";

/** Ingest one ingestion run (its source and options are on the run row). */
export const ingestRunPayloadSchema = z.object({
  kind: z.literal("run"),
  orgId: z.string().min(1),
  runId: z.string().min(1),
});

/** Finds the BILL_S3 / BILL_HTTPS connectors that are due and queues one pull each. */
export const billPollPayloadSchema = z.object({ kind: z.literal("poll-connectors") });

/** Lists a pull connector's source and ingests what is new or changed. */
export const billPullPayloadSchema = z.object({
  kind: z.literal("pull"),
  orgId: z.string().min(1),
  connectorId: z.string().min(1),
  cause: z.string().min(1).max(120).optional(),
});

export const ingestBillsPayloadSchema = z.discriminatedUnion("kind", [ingestRunPayloadSchema, billPollPayloadSchema, billPullPayloadSchema]);

export type IngestRunPayload = z.infer<typeof ingestRunPayloadSchema>;
export type BillPollPayload = z.infer<typeof billPollPayloadSchema>;
export type BillPullPayload = z.infer<typeof billPullPayloadSchema>;
export type IngestBillsPayload = z.infer<typeof ingestBillsPayloadSchema>;

// ───────────────────────────── alerts, deliveries, digests ─────────────────────────────

/** Evaluates every org's budgets and SLOs (the scheduler's job), queueing one evaluation per org. */
export const alertsFanOutPayloadSchema = z.object({ kind: z.literal("fan-out") });

/** Evaluates one org's budgets and SLOs now; raises alert events and queues their deliveries. */
export const alertsEvaluatePayloadSchema = z.object({
  kind: z.literal("evaluate"),
  orgId: z.string().min(1),
  cause: z.string().min(1).max(120).optional(),
});

export const alertsPayloadSchema = z.discriminatedUnion("kind", [alertsFanOutPayloadSchema, alertsEvaluatePayloadSchema]);
export type AlertsFanOutPayload = z.infer<typeof alertsFanOutPayloadSchema>;
export type AlertsEvaluatePayload = z.infer<typeof alertsEvaluatePayloadSchema>;

/** Sends one delivery row (an alert to one channel). */
export const deliveryPayloadSchema = z.object({
  kind: z.literal("deliver"),
  orgId: z.string().min(1),
  deliveryId: z.string().min(1),
});
export type DeliveryPayload = z.infer<typeof deliveryPayloadSchema>;

/** Finds the digest subscriptions due this hour (in each user's time zone) and queues one send each. */
export const digestFanOutPayloadSchema = z.object({ kind: z.literal("fan-out") });

/** Sends one user's weekly digest for one org and ISO week (claimed in the database before sending). */
export const digestSendPayloadSchema = z.object({
  kind: z.literal("send"),
  orgId: z.string().min(1),
  subscriptionId: z.string().min(1),
  /** ISO week of the digest, e.g. 2026-W48 (in the user's time zone). */
  week: z.string().regex(/^\d{4}-W\d{2}$/),
});

export const digestsPayloadSchema = z.discriminatedUnion("kind", [digestFanOutPayloadSchema, digestSendPayloadSchema]);
export type DigestFanOutPayload = z.infer<typeof digestFanOutPayloadSchema>;
export type DigestSendPayload = z.infer<typeof digestSendPayloadSchema>;

/** alerts-eval-<orgId>-<slot>: one evaluation per org per slot (minute) however often it is asked for. */
export function alertsEvaluateJobId({ orgId, slot }: { orgId: string; slot: Date }): string {
  return `alerts-eval-${idPart(orgId)}-${compactUtc(slot)}`;
}

/** delivery-<deliveryId>: one job per delivery row. */
export function deliveryJobId(deliveryId: string): string {
  return `delivery-${idPart(deliveryId)}`;
}

/** digest-<subscriptionId>-<week>. */
export function digestSendJobId({ subscriptionId, week }: { subscriptionId: string; week: string }): string {
  return `digest-${idPart(subscriptionId)}-${idPart(week)}`;
}

// ───────────────────────────── recommendations ─────────────────────────────

export const RECOMMENDATION_LOOKBACK_DAYS = [7, 30, 60] as const;

/** Recompute one org's recommendations over a lookback (default 30 days). */
export const recommendationsRecomputePayloadSchema = z.object({
  kind: z.literal("recompute"),
  orgId: z.string().min(1),
  lookbackDays: z.union(RECOMMENDATION_LOOKBACK_DAYS.map((d) => z.literal(d))).optional(),
  /** "daily", "new-data", "manual": part of the job id. */
  cause: z.string().min(1).max(120).optional(),
});

/**
 * Finds the orgs to recompute: "new-data" = orgs whose rollups were refreshed since their last
 * recompute (runs after the hourly rollup fan-out); "daily" = every org with GPU data in the lookback.
 */
export const recommendationsFanOutPayloadSchema = z.object({
  kind: z.literal("fan-out"),
  mode: z.enum(["new-data", "daily"]),
});

export const recommendationsPayloadSchema = z.discriminatedUnion("kind", [recommendationsRecomputePayloadSchema, recommendationsFanOutPayloadSchema]);

export type RecommendationsRecomputePayload = z.infer<typeof recommendationsRecomputePayloadSchema>;
export type RecommendationsFanOutPayload = z.infer<typeof recommendationsFanOutPayloadSchema>;

// ───────────────────────────── job options ─────────────────────────────

export type QueueJobOptions = Pick<DefaultJobOptions, "attempts" | "backoff" | "removeOnComplete" | "removeOnFail">;

const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;

export const DEFAULT_JOB_OPTIONS: Record<QueueName, QueueJobOptions> = {
  rollups: {
    // 5 attempts, 15 s → 30 s → 60 s → 120 s: rides out a Postgres failover or a deploy.
    attempts: 5,
    backoff: { type: "exponential", delay: 15_000 },
    // Completed jobs are kept one hour: long enough to dedupe a double click or an overlapping fan-out
    // by job id, short enough that a later recompute of the same window is not swallowed.
    removeOnComplete: { age: HOUR_S, count: 1000 },
    // Failed jobs stay a week with their error, for someone to look at.
    removeOnFail: { age: 7 * DAY_S, count: 5000 },
  },
  "ingest-telemetry": {
    // 3 attempts, 30 s → 60 s: a Prometheus restart or a network blip. Longer outages are caught up by
    // the next scheduled run, which starts from the watermark anyway.
    attempts: 3,
    backoff: { type: "exponential", delay: 30_000 },
    removeOnComplete: { age: HOUR_S, count: 1000 },
    removeOnFail: { age: 7 * DAY_S, count: 5000 },
  },
  "ingest-bills": {
    // 3 attempts, 20 s → 40 s: a database failover or a killed worker. Bad input fails at once
    // (UnrecoverableError): the same file gives the same error.
    attempts: 3,
    backoff: { type: "exponential", delay: 20_000 },
    // A day: a double submit of the same run (same job id) within it is a no-op.
    removeOnComplete: { age: DAY_S, count: 5000 },
    removeOnFail: { age: 7 * DAY_S, count: 5000 },
  },
  alerts: {
    // Evaluation is idempotent (alert events have unique dedup keys): a retry or a rerun is harmless.
    attempts: 3,
    backoff: { type: "exponential", delay: 15_000 },
    removeOnComplete: { age: HOUR_S, count: 1000 },
    removeOnFail: { age: 7 * DAY_S, count: 5000 },
  },
  deliveries: {
    // Retries of 429/5xx are scheduled by the processor itself (honouring Retry-After) and counted on
    // the delivery row; these attempts only cover crashes of the processor (a lost database).
    attempts: 5,
    backoff: { type: "exponential", delay: 10_000 },
    removeOnComplete: { age: DAY_S, count: 5000 },
    removeOnFail: { age: 7 * DAY_S, count: 5000 },
  },
  digests: {
    // The send is claimed in the database before the mail goes out: a retry never sends twice.
    attempts: 4,
    backoff: { type: "exponential", delay: 30_000 },
    removeOnComplete: { age: 8 * DAY_S, count: 10000 },
    removeOnFail: { age: 8 * DAY_S, count: 10000 },
  },
  recommendations: {
    // 3 attempts, 30 s → 60 s; the next fan-out recomputes anyway.
    attempts: 3,
    backoff: { type: "exponential", delay: 30_000 },
    // Completed jobs are kept 10 minutes: dedupes a burst of triggers for the same slot, no longer.
    removeOnComplete: { age: 600, count: 1000 },
    removeOnFail: { age: 7 * DAY_S, count: 5000 },
  },
};

/** Per-queue overrides (tests shorten the backoff delay); shallow-merged over the defaults. */
export type JobOptionsOverrides = Partial<Record<QueueName, Partial<QueueJobOptions>>>;

export function jobOptionsFor(queue: QueueName, overrides?: JobOptionsOverrides): QueueJobOptions {
  return { ...DEFAULT_JOB_OPTIONS[queue], ...overrides?.[queue] };
}

// ───────────────────────────── deterministic job ids ─────────────────────────────
// BullMQ rejects custom ids that are integers, and ids containing ':' unless they split into exactly
// three parts (a legacy allowance for repeatable jobs; checked in bullmq 6.7 Job.validateOptions). ISO
// timestamps contain ':', so ids use '-' between parts, compact UTC times (20260115T1000Z) and an
// escaping of free-form parts that encodes ':' and '-' so the mapping stays one-to-one.

function idPart(s: string): string {
  return encodeURIComponent(s).replace(/-/g, "%2D");
}

/** rollup-<orgId>-<from>-<to>[-<cause>], e.g. rollup-clx1abc-20260115T1000Z-20260115T1300Z */
export function rollupRefreshJobId({ orgId, from, to, cause }: { orgId: string; from: Date; to: Date; cause?: string }): string {
  const base = `rollup-${idPart(orgId)}-${compactUtc(from)}-${compactUtc(to)}`;
  return cause ? `${base}-${idPart(cause)}` : base;
}

/**
 * telemetry-<connectorId>-<windowStart>: a manual run of a connector from a given window start (its
 * watermark, or the explicit from) is queued once however often it is asked for.
 */
export function telemetryRunJobId({ connectorId, windowStart, to }: { connectorId: string; windowStart: Date; to?: Date }): string {
  const base = `telemetry-${idPart(connectorId)}-${compactUtc(windowStart)}`;
  return to ? `${base}-${compactUtc(to)}` : base;
}

/** The job scheduler of one connector. */
export function telemetrySchedulerId(connectorId: string): string {
  return `${TELEMETRY_SCHEDULER_PREFIX}${idPart(connectorId)}`;
}

/** ingest-run-<runId>: one job per ingestion run, however often it is submitted. */
export function ingestRunJobId(runId: string): string {
  return `ingest-run-${idPart(runId)}`;
}

/** ingest-pull-<connectorId>-<slot>: one pull of a connector per poll slot (the due time, to the minute). */
export function billPullJobId({ connectorId, slot }: { connectorId: string; slot: Date }): string {
  return `ingest-pull-${idPart(connectorId)}-${compactUtc(slot)}`;
}

/** recommendations-<orgId>-<slot>[-<cause>]: one recompute of an org per slot (the hour or day it is for). */
export function recommendationsRecomputeJobId({ orgId, slot, cause }: { orgId: string; slot: Date; cause?: string }): string {
  const base = `recommendations-${idPart(orgId)}-${compactUtc(slot)}`;
  return cause ? `${base}-${idPart(cause)}` : base;
}
