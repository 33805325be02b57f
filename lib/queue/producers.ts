// Producers: the only way the web app, the CLI and the worker's own fan-out jobs put work on a queue.
// Every function validates its payload against the contract and uses a deterministic job id, so a
// double click, a retried request or an overlapping schedule never queues the same work twice.
import type { Queue } from "bullmq";
import {
  BILL_POLL_EVERY_MS,
  type BillPollPayload,
  type BillPullPayload,
  INGEST_BILLS_SCHEDULER_PREFIX,
  billPullJobId,
  billPullPayloadSchema,
  type IngestRunPayload,
  ingestRunJobId,
  ingestRunPayloadSchema,
  type JobOptionsOverrides,
  JOB_NAMES,
  jobOptionsFor,
  MAX_REFRESH_JOB_HOURS,
  type QueueName,
  QUEUES,
  type RecommendationsRecomputePayload,
  recommendationsRecomputeJobId,
  recommendationsRecomputePayloadSchema,
  type RollupRefreshPayload,
  rollupRefreshJobId,
  rollupRefreshPayloadSchema,
  TELEMETRY_SCHEDULER_PREFIX,
  type TelemetryRunPayload,
  telemetryRunJobId,
  telemetryRunPayloadSchema,
  telemetrySchedulerId,
  type AlertsEvaluatePayload,
  alertsEvaluateJobId,
  alertsEvaluatePayloadSchema,
  type DeliveryPayload,
  deliveryJobId,
  deliveryPayloadSchema,
  type DigestSendPayload,
  digestSendJobId,
  digestSendPayloadSchema,
} from "./contracts";
import { type QueueConnectionConfig, createQueue, queueConnectionFromEnv, waitForQueue } from "./connection";
import { splitHourWindow, toHourWindow, windowHours } from "./hour-windows";

export type RollupRefreshRequest = {
  orgId: string;
  /** Widened to whole UTC hours: from is floored, to is ceiled. */
  from: Date;
  to: Date;
  /** Why (an ingestion run id, "manual"...). Jobs with a different cause are distinct jobs. */
  cause?: string;
};

export type TelemetryRunRequest = {
  orgId: string;
  connectorId: string;
  /** The window start the run will begin at (the watermark, or the explicit from): part of the job id. */
  windowStart: Date;
  /** Explicit window; omit for "from the watermark to now". */
  window?: { from: Date; to: Date };
  cause?: string;
};

/** What a connector's job scheduler needs to know. */
export type TelemetrySchedule = { id: string; orgId: string; everySeconds: number; enabled: boolean };

export type ProducerConfig = QueueConnectionConfig & {
  jobOptions?: JobOptionsOverrides;
  /** How long to wait for a first connection to Redis before failing. */
  readyTimeoutMs?: number;
};

export type Producers = {
  /** Queues one refresh (window ≤ MAX_REFRESH_JOB_HOURS) and returns its job id. */
  enqueueRollupRefresh(request: RollupRefreshRequest): Promise<string>;
  /** Queues refreshes for a window of any length, split at UTC day boundaries; returns the job ids. */
  enqueueRollupRefreshRange(request: RollupRefreshRequest): Promise<string[]>;
  /** Queues many refreshes in one round trip (the hourly fan-out). */
  enqueueRollupRefreshes(requests: RollupRefreshRequest[]): Promise<string[]>;
  /** Queues one run of a telemetry connector ("run now", a backfill); returns its deterministic job id. */
  enqueueTelemetryRun(request: TelemetryRunRequest): Promise<string>;
  /** Creates or updates the job scheduler of one connector (removes it when the connector is disabled). */
  upsertTelemetrySchedule(connector: TelemetrySchedule): Promise<void>;
  removeTelemetrySchedule(connectorId: string): Promise<void>;
  /** Connector ids that have a job scheduler. */
  listTelemetrySchedules(): Promise<string[]>;
  /** Queues the ingestion of one run (upload, API, re-run); one job per run id. */
  enqueueIngestRun(request: { orgId: string; runId: string }): Promise<string>;
  /** Queues pulls of bill connectors, one per connector and poll slot. */
  enqueueBillPulls(requests: Array<{ orgId: string; connectorId: string; slot: Date; cause?: string }>): Promise<string[]>;
  /** Creates or updates the job scheduler that polls the bill pull connectors (at worker start). */
  upsertBillPollSchedule(): Promise<void>;
  /** Queues one budget/SLO evaluation per org (deduped per org and minute slot). */
  enqueueAlertEvaluations(requests: Array<{ orgId: string; slot: Date; cause?: string }>): Promise<string[]>;
  /** Queues one send per delivery row (job id = the delivery id, so a re-queue is a no-op). */
  enqueueDeliveries(requests: Array<{ orgId: string; deliveryId: string }>): Promise<string[]>;
  /** Queues digest sends, one per subscription and week. */
  enqueueDigestSends(requests: Array<{ orgId: string; subscriptionId: string; week: string }>): Promise<string[]>;
  /** Queues recomputes of orgs' recommendations, one per org and slot. */
  enqueueRecommendationRecomputes(requests: Array<{ orgId: string; slot: Date; lookbackDays?: 7 | 30 | 60; cause?: string }>): Promise<string[]>;
  /** Closes the connections this instance opened. Safe to call twice. */
  close(): Promise<void>;
};

function refreshJob(request: RollupRefreshRequest) {
  const { from, to } = toHourWindow(request.from, request.to);
  const data: RollupRefreshPayload = rollupRefreshPayloadSchema.parse({
    kind: "refresh",
    orgId: request.orgId,
    from: from.toISOString(),
    to: to.toISOString(),
    ...(request.cause ? { cause: request.cause } : {}),
  });
  const jobId = rollupRefreshJobId({ orgId: request.orgId, from, to, cause: request.cause });
  return { name: JOB_NAMES.rollups.refresh, data, opts: { jobId } };
}

export function createProducers(config: ProducerConfig): Producers {
  const queues = new Map<QueueName, Queue>();
  const readyTimeoutMs = config.readyTimeoutMs ?? 5_000;
  let closed = false;

  async function queue(name: QueueName): Promise<Queue> {
    if (closed) throw new Error("Producers are closed");
    let q = queues.get(name);
    if (!q) {
      q = createQueue(name, config, config.jobOptions);
      queues.set(name, q);
    }
    await waitForQueue(q, readyTimeoutMs);
    return q;
  }

  const producers: Producers = {
    async enqueueRollupRefresh(request) {
      const job = refreshJob(request);
      const hours = windowHours({ from: new Date(job.data.from), to: new Date(job.data.to) });
      if (hours > MAX_REFRESH_JOB_HOURS) {
        throw new Error(`A refresh job covers at most ${MAX_REFRESH_JOB_HOURS} hours (got ${hours}); use enqueueRollupRefreshRange`);
      }
      const q = await queue(QUEUES.rollups);
      const added = await q.add(job.name, job.data, job.opts);
      return added.id ?? job.opts.jobId;
    },

    async enqueueRollupRefreshRange(request) {
      const chunks = splitHourWindow(toHourWindow(request.from, request.to), 24);
      return producers.enqueueRollupRefreshes(chunks.map((c) => ({ ...request, from: c.from, to: c.to })));
    },

    async enqueueRollupRefreshes(requests) {
      if (requests.length === 0) return [];
      const jobs = requests.map(refreshJob);
      const q = await queue(QUEUES.rollups);
      const added = await q.addBulk(jobs);
      return added.map((j, i) => j.id ?? jobs[i]!.opts.jobId);
    },

    async enqueueTelemetryRun(request) {
      const data: TelemetryRunPayload = telemetryRunPayloadSchema.parse({
        kind: "run",
        orgId: request.orgId,
        connectorId: request.connectorId,
        ...(request.window ? { from: request.window.from.toISOString(), to: request.window.to.toISOString() } : {}),
        ...(request.cause ? { cause: request.cause } : {}),
      });
      const jobId = telemetryRunJobId({ connectorId: request.connectorId, windowStart: request.windowStart, to: request.window?.to });
      const q = await queue(QUEUES.telemetry);
      const added = await q.add(JOB_NAMES[QUEUES.telemetry].run, data, { jobId });
      return added.id ?? jobId;
    },

    async upsertTelemetrySchedule(connector) {
      if (!connector.enabled) return producers.removeTelemetrySchedule(connector.id);
      const q = await queue(QUEUES.telemetry);
      const data: TelemetryRunPayload = { kind: "run", orgId: connector.orgId, connectorId: connector.id, cause: "schedule" };
      // Options go in the template: each iteration is created by whichever worker finished the last one.
      await q.upsertJobScheduler(
        telemetrySchedulerId(connector.id),
        { every: connector.everySeconds * 1000 },
        { name: JOB_NAMES[QUEUES.telemetry].run, data, opts: jobOptionsFor(QUEUES.telemetry, config.jobOptions) },
      );
    },

    async removeTelemetrySchedule(connectorId) {
      const q = await queue(QUEUES.telemetry);
      await q.removeJobScheduler(telemetrySchedulerId(connectorId));
    },

    async listTelemetrySchedules() {
      const q = await queue(QUEUES.telemetry);
      const ids: string[] = [];
      for (const s of await q.getJobSchedulers()) {
        if (s.key?.startsWith(TELEMETRY_SCHEDULER_PREFIX)) ids.push(decodeURIComponent(s.key.slice(TELEMETRY_SCHEDULER_PREFIX.length)));
      }
      return ids;
    },

    async enqueueIngestRun(request) {
      const data: IngestRunPayload = ingestRunPayloadSchema.parse({ kind: "run", orgId: request.orgId, runId: request.runId });
      const jobId = ingestRunJobId(request.runId);
      const q = await queue(QUEUES.ingestBills);
      const added = await q.add(JOB_NAMES[QUEUES.ingestBills].run, data, { jobId });
      return added.id ?? jobId;
    },

    async enqueueBillPulls(requests) {
      if (requests.length === 0) return [];
      const jobs = requests.map((r) => {
        const data: BillPullPayload = billPullPayloadSchema.parse({ kind: "pull", orgId: r.orgId, connectorId: r.connectorId, ...(r.cause ? { cause: r.cause } : {}) });
        return { name: JOB_NAMES[QUEUES.ingestBills].pull, data, opts: { jobId: billPullJobId({ connectorId: r.connectorId, slot: r.slot }) } };
      });
      const q = await queue(QUEUES.ingestBills);
      const added = await q.addBulk(jobs);
      return added.map((j, i) => j.id ?? jobs[i]!.opts.jobId);
    },

    async upsertBillPollSchedule() {
      const q = await queue(QUEUES.ingestBills);
      const data: BillPollPayload = { kind: "poll-connectors" };
      await q.upsertJobScheduler(
        `${INGEST_BILLS_SCHEDULER_PREFIX}poll`,
        { every: BILL_POLL_EVERY_MS },
        { name: JOB_NAMES[QUEUES.ingestBills].poll, data, opts: jobOptionsFor(QUEUES.ingestBills, config.jobOptions) },
      );
    },

    async enqueueAlertEvaluations(requests) {
      if (requests.length === 0) return [];
      const jobs = requests.map((r) => {
        const data: AlertsEvaluatePayload = alertsEvaluatePayloadSchema.parse({ kind: "evaluate", orgId: r.orgId, ...(r.cause ? { cause: r.cause } : {}) });
        const slot = new Date(Math.floor(r.slot.getTime() / 60_000) * 60_000);
        return { name: JOB_NAMES[QUEUES.alerts].evaluate, data, opts: { jobId: alertsEvaluateJobId({ orgId: r.orgId, slot }) } };
      });
      const q = await queue(QUEUES.alerts);
      const added = await q.addBulk(jobs);
      return added.map((j, i) => j.id ?? jobs[i]!.opts.jobId);
    },

    async enqueueDeliveries(requests) {
      if (requests.length === 0) return [];
      const jobs = requests.map((r) => {
        const data: DeliveryPayload = deliveryPayloadSchema.parse({ kind: "deliver", orgId: r.orgId, deliveryId: r.deliveryId });
        return { name: JOB_NAMES[QUEUES.deliveries].deliver, data, opts: { jobId: deliveryJobId(r.deliveryId) } };
      });
      const q = await queue(QUEUES.deliveries);
      const added = await q.addBulk(jobs);
      return added.map((j, i) => j.id ?? jobs[i]!.opts.jobId);
    },

    async enqueueDigestSends(requests) {
      if (requests.length === 0) return [];
      const jobs = requests.map((r) => {
        const data: DigestSendPayload = digestSendPayloadSchema.parse({ kind: "send", orgId: r.orgId, subscriptionId: r.subscriptionId, week: r.week });
        return { name: JOB_NAMES[QUEUES.digests].send, data, opts: { jobId: digestSendJobId(r) } };
      });
      const q = await queue(QUEUES.digests);
      const added = await q.addBulk(jobs);
      return added.map((j, i) => j.id ?? jobs[i]!.opts.jobId);
    },

    async enqueueRecommendationRecomputes(requests) {
      if (requests.length === 0) return [];
      const jobs = requests.map((r) => {
        const data: RecommendationsRecomputePayload = recommendationsRecomputePayloadSchema.parse({
          kind: "recompute",
          orgId: r.orgId,
          ...(r.lookbackDays ? { lookbackDays: r.lookbackDays } : {}),
          ...(r.cause ? { cause: r.cause } : {}),
        });
        return { name: JOB_NAMES[QUEUES.recommendations].recompute, data, opts: { jobId: recommendationsRecomputeJobId(r) } };
      });
      const q = await queue(QUEUES.recommendations);
      const added = await q.addBulk(jobs);
      return added.map((j, i) => j.id ?? jobs[i]!.opts.jobId);
    },

    async close() {
      closed = true;
      const all = [...queues.values()];
      queues.clear();
      await Promise.allSettled(all.map((q) => q.close()));
    },
  };
  return producers;
}

// ── process-wide default (web server, CLI): configured from env, kept on globalThis for Next dev reloads

const globalForQueues = globalThis as unknown as { __burnrateProducers?: Producers };

export function producers(): Producers {
  globalForQueues.__burnrateProducers ??= createProducers(queueConnectionFromEnv());
  return globalForQueues.__burnrateProducers;
}

export function enqueueRollupRefresh(request: RollupRefreshRequest): Promise<string> {
  return producers().enqueueRollupRefresh(request);
}

export function enqueueRollupRefreshRange(request: RollupRefreshRequest): Promise<string[]> {
  return producers().enqueueRollupRefreshRange(request);
}

export function enqueueIngestRun(request: { orgId: string; runId: string }): Promise<string> {
  return producers().enqueueIngestRun(request);
}

/** Releases the default producers' Redis connections (CLI before exit, web on shutdown, tests). */
export async function closeQueues(): Promise<void> {
  const p = globalForQueues.__burnrateProducers;
  globalForQueues.__burnrateProducers = undefined;
  if (p) await p.close();
}
