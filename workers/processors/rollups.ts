// The rollups queue carries two payloads, told apart by the contract's schemas:
//   fan-out (from the hourly job scheduler): one refresh job per org with hourly data in the last hours;
//   refresh (from the fan-out, ingesters, the UI): refreshRollups for one org and window.
// Both also queue refreshes of the days the daily rollup holds stale (a GPU relinked to a billed
// resource, an idle threshold change: lib/costs/daily-rollup.ts), so those days are rebuilt, rates
// included, without anyone asking. Stale days are read from the hourly tables until then.
import { type Job, UnrecoverableError } from "bullmq";
import { z } from "zod";
import { orgsWithStaleDays, staleWindows } from "@/lib/costs/daily-rollup";
import { refreshRollups } from "@/lib/costs/refresh-rollups";
import {
  DEFAULT_FAN_OUT_LOOKBACK_HOURS,
  QUEUES,
  type RollupFanOutPayload,
  type RollupRefreshPayload,
  rollupsPayloadSchema,
} from "@/lib/queue/contracts";
import { lastCompleteHours } from "@/lib/queue/hour-windows";
import type { ProcessorContext, ProcessorDefinition } from "./types";

/** Stale marks younger than this are the refresh jobs' to queue, not the fan-out's. */
const STALE_GRACE_MS = 15 * 60_000;

async function fanOut(payload: RollupFanOutPayload, ctx: ProcessorContext) {
  const window = lastCompleteHours(ctx.now(), payload.lookbackHours ?? DEFAULT_FAN_OUT_LOOKBACK_HOURS);
  const where = { hour: { gte: window.from, lt: window.to } };
  // Orgs with GPU-hours in the window, plus orgs with workload-hours there (whose GPU sources may
  // have been deleted and need zeroing). GROUP BY runs in Postgres, bounded by the window.
  const [gpuOrgs, workloadOrgs] = await Promise.all([
    ctx.prisma.gpuHourly.groupBy({ by: ["orgId"], where }),
    ctx.prisma.workloadHourly.groupBy({ by: ["orgId"], where }),
  ]);
  const orgIds = [...new Set([...gpuOrgs, ...workloadOrgs].map((r) => r.orgId))].sort();
  // The window moves every hour, so ids differ between runs but repeat within one (a retried fan-out
  // adds nothing new).
  const jobIds = await ctx.producers.enqueueRollupRefreshes(
    orgIds.map((orgId) => ({ orgId, from: window.from, to: window.to, cause: "schedule" })),
  );
  // The safety net for stale days no refresh job of their org has handled for a while (a threshold
  // change on an org with no new data, a relink whose refresh failed): marks made since are left to
  // the refresh jobs, which queue them straight away.
  const staleJobIds: string[] = [];
  const markedBefore = new Date(ctx.now().getTime() - STALE_GRACE_MS);
  for (const orgId of await orgsWithStaleDays(ctx.prisma, markedBefore)) staleJobIds.push(...(await enqueueStaleDays(orgId, ctx)));
  return {
    kind: "fan-out" as const,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    orgs: orgIds.length,
    jobIds,
    ...(staleJobIds.length ? { staleJobIds } : {}),
  };
}

/** Queues day-sized refreshes of the org's stale days; deterministic ids, so a day queued twice runs once. */
async function enqueueStaleDays(orgId: string, ctx: ProcessorContext): Promise<string[]> {
  const ids: string[] = [];
  for (const w of await staleWindows(ctx.prisma, orgId)) {
    ids.push(...(await ctx.producers.enqueueRollupRefreshRange({ orgId, from: w.from, to: w.to, cause: "stale-days" })));
  }
  return ids;
}

async function refresh(payload: RollupRefreshPayload, ctx: ProcessorContext) {
  const result = await refreshRollups(ctx.prisma, { orgId: payload.orgId, from: new Date(payload.from), to: new Date(payload.to) });
  // Days this refresh left stale (another GPU relinked meanwhile, a partly covered stale day) get their
  // own jobs; a stale-days job itself clears its day, so this does not loop.
  const staleJobIds = payload.cause === "stale-days" ? [] : await enqueueStaleDays(payload.orgId, ctx);
  return {
    kind: "refresh" as const,
    ...result,
    from: result.from.toISOString(),
    to: result.to.toISOString(),
    ...(staleJobIds.length ? { staleJobIds } : {}),
  };
}

export const rollupsProcessor: ProcessorDefinition = {
  queue: QUEUES.rollups,
  async process(job: Job, ctx: ProcessorContext) {
    const parsed = rollupsPayloadSchema.safeParse(job.data);
    if (!parsed.success) {
      // Retrying cannot fix a malformed payload: fail once, keep it in the failed set with the reason.
      throw new UnrecoverableError(`Invalid ${QUEUES.rollups} payload: ${z.prettifyError(parsed.error)}`);
    }
    return parsed.data.kind === "fan-out" ? fanOut(parsed.data, ctx) : refresh(parsed.data, ctx);
  },
};
