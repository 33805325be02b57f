// The ingest-bills queue carries three payloads, told apart by the contract's schemas:
//   run (an upload, an API call, a re-run): ingest one ingestion run, then queue the rollup refresh of
//     the billing periods it replaced (cause = the run id);
//   poll-connectors (a job scheduler every minute, upserted at worker start): queue one pull per bill
//     connector that is due (its every_seconds elapsed);
//   pull: list the connector's source and ingest each new or changed delivery.
// Bad input (an IngestError) fails for good: the same file gives the same error. Anything else (the
// database restarting, the worker killed mid-file) is retried; the run's transaction was rolled back,
// so a retry starts from the previous data.
import { type Job, UnrecoverableError } from "bullmq";
import { z } from "zod";
import { isIngestError } from "@/lib/connectors/shared/ingest-error";
import { dueBillConnectors, pullBillConnector } from "@/lib/connectors/pull/pull-connector";
import type { IngestSummary } from "@/lib/ingest/ingest-bills";
import { executeIngestionRun } from "@/lib/ingest/runs";
import { type BillPullPayload, INGEST_BILLS_SCHEDULER_PREFIX, type IngestRunPayload, ingestBillsPayloadSchema, QUEUES } from "@/lib/queue/contracts";
import type { ProcessorContext, ProcessorDefinition } from "./types";

function refresh(ctx: ProcessorContext, orgId: string, s: IngestSummary) {
  return ctx.producers.enqueueRollupRefreshRange({ orgId, from: new Date(s.window.from), to: new Date(s.window.to), cause: s.runId });
}

async function run(payload: IngestRunPayload, ctx: ProcessorContext) {
  let s: IngestSummary;
  try {
    s = await executeIngestionRun(ctx.prisma, { orgId: payload.orgId, runId: payload.runId });
  } catch (err) {
    if (isIngestError(err)) throw new UnrecoverableError(err.message);
    throw err;
  }
  const rollupJobs = await refresh(ctx, payload.orgId, s);
  return { kind: "run" as const, runId: s.runId, rows: s.rows, billedCost: s.billedCost, effectiveCost: s.effectiveCost, currency: s.currency, rollupJobs: rollupJobs.length };
}

async function poll(ctx: ProcessorContext, orgIds?: string[]) {
  const now = ctx.now();
  const due = await dueBillConnectors(ctx.prisma, now, orgIds);
  // One pull per connector per minute slot: a poll that runs twice in a minute queues nothing new.
  const slot = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const jobIds = await ctx.producers.enqueueBillPulls(due.map((c) => ({ orgId: c.orgId, connectorId: c.id, slot, cause: "schedule" })));
  return { kind: "poll-connectors" as const, due: due.length, jobIds };
}

async function pull(payload: BillPullPayload, ctx: ProcessorContext) {
  const r = await pullBillConnector(ctx.prisma, {
    orgId: payload.orgId,
    connectorId: payload.connectorId,
    now: ctx.now(),
    onIngested: (s) => refresh(ctx, payload.orgId, s),
  });
  return { kind: "pull" as const, ...r };
}

export function createIngestBillsProcessor({ orgIds, schedule = true }: { orgIds?: string[]; schedule?: boolean } = {}): ProcessorDefinition {
  return {
    queue: QUEUES.ingestBills,
    dynamicSchedulerPrefix: INGEST_BILLS_SCHEDULER_PREFIX,
    async onStart(ctx) {
      if (schedule) await ctx.producers.upsertBillPollSchedule();
    },
    async process(job: Job, ctx: ProcessorContext) {
      const parsed = ingestBillsPayloadSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`Invalid ${QUEUES.ingestBills} payload: ${z.prettifyError(parsed.error)}`);
      const p = parsed.data;
      if (p.kind === "run") return run(p, ctx);
      if (p.kind === "poll-connectors") return poll(ctx, orgIds);
      return pull(p, ctx);
    },
  };
}

export const ingestBillsProcessor = createIngestBillsProcessor();
