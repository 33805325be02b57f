// The ingest-telemetry queue carries two payloads, told apart by the contract's schemas:
//   run (from a connector's job scheduler, "run now", a backfill): runTelemetryConnector for one
//     connector, then the rollup refresh of what it stored, queued on the rollups queue;
//   sync-schedules (every 10 minutes, and at worker start): one job scheduler per enabled telemetry
//     connector, every connectors.every_seconds; schedulers of deleted or disabled connectors go.
// Concurrency 1 per connector comes from the runner's advisory lock: a scheduled run that finds its
// connector busy is skipped (the next tick comes soon), any other run is retried with backoff.
import { type Job, UnrecoverableError } from "bullmq";
import { z } from "zod";
import { QUEUES, TELEMETRY_RATE_LIMIT, TELEMETRY_SCHEDULER_PREFIX, type TelemetryRunPayload, telemetryPayloadSchema } from "@/lib/queue/contracts";
import { TELEMETRY_CONNECTOR_KINDS } from "@/lib/telemetry/drivers";
import { ConnectorBusyError, runTelemetryConnector } from "@/lib/telemetry/run-connector";
import type { ProcessorContext, ProcessorDefinition } from "./types";

/**
 * Upserts the scheduler of every enabled connector in scope and removes the schedulers of connectors
 * that are disabled (in scope) or gone. `orgIds` narrows the scope (tests share one Redis and database).
 */
export async function syncTelemetrySchedules(ctx: ProcessorContext, orgIds?: string[]) {
  const scope = { kind: { in: [...TELEMETRY_CONNECTOR_KINDS] }, ...(orgIds ? { orgId: { in: orgIds } } : {}) };
  const connectors = await ctx.prisma.connector.findMany({ where: scope, select: { id: true, orgId: true, everySeconds: true, enabled: true } });
  const enabled = connectors.filter((c) => c.enabled);
  for (const c of enabled) await ctx.producers.upsertTelemetrySchedule(c);
  const wanted = new Set(enabled.map((c) => c.id));
  const disabled = new Set(connectors.filter((c) => !c.enabled).map((c) => c.id));
  const scheduled = (await ctx.producers.listTelemetrySchedules()).filter((id) => !wanted.has(id));
  const existing = new Set(
    (await ctx.prisma.connector.findMany({ where: { id: { in: scheduled } }, select: { id: true } })).map((c) => c.id),
  );
  let removed = 0;
  for (const id of scheduled) {
    if (disabled.has(id) || !existing.has(id)) {
      await ctx.producers.removeTelemetrySchedule(id);
      removed++;
    }
  }
  return { kind: "sync-schedules" as const, upserted: enabled.length, removed };
}

async function run(payload: TelemetryRunPayload, job: Job, ctx: ProcessorContext) {
  const connector = await ctx.prisma.connector.findFirst({ where: { id: payload.connectorId, orgId: payload.orgId }, select: { id: true, enabled: true, kind: true } });
  if (!connector) {
    await ctx.producers.removeTelemetrySchedule(payload.connectorId).catch(() => undefined);
    throw new UnrecoverableError(`Connector ${payload.connectorId} no longer exists`);
  }
  if (!connector.enabled) return { kind: "run" as const, skipped: "disabled" };
  try {
    const result = await runTelemetryConnector({
      prisma: ctx.prisma,
      orgId: payload.orgId,
      connectorId: payload.connectorId,
      now: ctx.now(),
      window: payload.from && payload.to ? { from: new Date(payload.from), to: new Date(payload.to) } : undefined,
      source: "CONNECTOR",
      refresh: (w) => ctx.producers.enqueueRollupRefreshRange(w),
      onProgress: ({ chunksDone, chunks, runId }) => job.updateProgress({ runId, chunksDone, chunks }),
    });
    return { kind: "run" as const, ...result };
  } catch (err) {
    if (err instanceof ConnectorBusyError && payload.cause === "schedule") return { kind: "run" as const, skipped: "busy" };
    throw err;
  }
}

export function createTelemetryProcessor({ orgIds }: { orgIds?: string[] } = {}): ProcessorDefinition {
  return {
    queue: QUEUES.telemetry,
    workerOptions: { limiter: { ...TELEMETRY_RATE_LIMIT } },
    dynamicSchedulerPrefix: TELEMETRY_SCHEDULER_PREFIX,
    async onStart(ctx) {
      const r = await syncTelemetrySchedules(ctx, orgIds);
      ctx.log.info({ queue: QUEUES.telemetry, ...r }, "telemetry connector schedulers synced");
    },
    async process(job: Job, ctx: ProcessorContext) {
      const parsed = telemetryPayloadSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`Invalid ${QUEUES.telemetry} payload: ${z.prettifyError(parsed.error)}`);
      return parsed.data.kind === "sync-schedules" ? syncTelemetrySchedules(ctx, orgIds) : run(parsed.data, job, ctx);
    },
  };
}

export const telemetryProcessor = createTelemetryProcessor();
