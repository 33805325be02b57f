// Recurring work, as BullMQ job schedulers (upsertJobScheduler), registered when a worker that consumes
// the queue starts. Upserting is idempotent, so every worker process can do it; schedulers of a queue
// that are no longer declared here are removed at start, so renaming one never leaves a ghost.
import type { RepeatOptions } from "bullmq";
import {
  DEFAULT_FAN_OUT_LOOKBACK_HOURS,
  JOB_NAMES,
  type QueueName,
  QUEUES,
  type RecommendationsFanOutPayload,
  type RollupFanOutPayload,
  type TelemetrySyncPayload,
  type AlertsFanOutPayload,
  type DigestFanOutPayload,
} from "@/lib/queue/contracts";

export type ScheduleDefinition = {
  queue: QueueName;
  /** Stable scheduler id: changing it creates a new scheduler (the old one is removed at start). */
  id: string;
  repeat: Omit<RepeatOptions, "key">;
  jobName: string;
  data: unknown;
};

export const SCHEDULES: ScheduleDefinition[] = [
  {
    queue: QUEUES.rollups,
    id: "rollups-hourly-fan-out",
    // Five minutes past every hour (UTC), once the previous hour's telemetry has been written.
    repeat: { pattern: "5 * * * *", tz: "UTC" },
    jobName: JOB_NAMES.rollups.fanOut,
    data: { kind: "fan-out", lookbackHours: DEFAULT_FAN_OUT_LOOKBACK_HOURS } satisfies RollupFanOutPayload,
  },
  {
    queue: QUEUES.telemetry,
    id: "telemetry-sync-schedules",
    // Per-connector schedulers are also upserted when a connector is added and at worker start; this
    // catches connectors changed while no producer could reach Redis.
    repeat: { every: 10 * 60_000 },
    jobName: JOB_NAMES[QUEUES.telemetry].syncSchedules,
    data: { kind: "sync-schedules" } satisfies TelemetrySyncPayload,
  },
  {
    queue: QUEUES.alerts,
    id: "alerts-evaluate-fan-out",
    // Budgets move with bills (hourly at best) and SLOs with hourly rollups: every 15 minutes is plenty.
    repeat: { pattern: "*/15 * * * *", tz: "UTC" },
    jobName: JOB_NAMES.alerts.fanOut,
    data: { kind: "fan-out" } satisfies AlertsFanOutPayload,
  },
  {
    queue: QUEUES.digests,
    id: "digests-hourly-fan-out",
    // Digests go out at a whole hour of each user's time zone; two minutes past catches every zone
    // (half-hour zones are rounded to the hour they fall in).
    repeat: { pattern: "2 * * * *", tz: "UTC" },
    jobName: JOB_NAMES.digests.fanOut,
    data: { kind: "fan-out" } satisfies DigestFanOutPayload,
  },
  {
    queue: QUEUES.recommendations,
    id: "recommendations-after-rollups",
    // Twenty past every hour: after the rollup fan-out (:05) has refreshed the last hours.
    repeat: { pattern: "20 * * * *", tz: "UTC" },
    jobName: JOB_NAMES[QUEUES.recommendations].fanOut,
    data: { kind: "fan-out", mode: "new-data" } satisfies RecommendationsFanOutPayload,
  },
  {
    queue: QUEUES.recommendations,
    id: "recommendations-daily",
    repeat: { pattern: "30 3 * * *", tz: "UTC" },
    jobName: JOB_NAMES[QUEUES.recommendations].fanOut,
    data: { kind: "fan-out", mode: "daily" } satisfies RecommendationsFanOutPayload,
  },
];
