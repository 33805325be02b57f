// The recommendations queue carries two payloads, told apart by the contract's schemas:
//   fan-out (from the job schedulers): "new-data" queues a recompute for every org whose rollups were
//     refreshed since its recommendations were last computed (runs after the hourly rollup fan-out);
//     "daily" queues one for every org with GPUs seen in the last 30 days;
//   recompute: recomputeRecommendations for one org (worker, CLI and seed call the same function).
import { type Job, UnrecoverableError } from "bullmq";
import { z } from "zod";
import { recomputeRecommendations } from "@/lib/recommendations/run";
import {
  QUEUES,
  type RecommendationsFanOutPayload,
  type RecommendationsRecomputePayload,
  recommendationsPayloadSchema,
} from "@/lib/queue/contracts";
import type { ProcessorContext, ProcessorDefinition } from "./types";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function fanOut(payload: RecommendationsFanOutPayload, ctx: ProcessorContext) {
  const now = ctx.now();
  let orgIds: string[];
  if (payload.mode === "new-data") {
    // Bounded: refreshes of the last two days only.
    const since = new Date(now.getTime() - 2 * DAY);
    const rows = await ctx.prisma.$queryRaw<Array<{ org_id: string }>>`
      SELECT rr.org_id FROM rollup_refreshes rr
      WHERE rr.created_at >= ${since} AND rr.created_at <= ${now}
      GROUP BY rr.org_id
      HAVING max(rr.created_at) > COALESCE((SELECT max(r.computed_at) FROM recommendations r WHERE r.org_id = rr.org_id), '-infinity'::timestamptz)
      ORDER BY 1`;
    orgIds = rows.map((r) => r.org_id);
  } else {
    const rows = await ctx.prisma.gpu.groupBy({ by: ["orgId"], where: { lastSeenAt: { gte: new Date(now.getTime() - 30 * DAY) } } });
    orgIds = rows.map((r) => r.orgId).sort();
  }
  const slot = new Date(Math.floor(now.getTime() / (payload.mode === "daily" ? DAY : HOUR)) * (payload.mode === "daily" ? DAY : HOUR));
  const jobIds = await ctx.producers.enqueueRecommendationRecomputes(orgIds.map((orgId) => ({ orgId, slot, cause: payload.mode })));
  return { kind: "fan-out" as const, mode: payload.mode, orgs: orgIds.length, jobIds };
}

async function recompute(payload: RecommendationsRecomputePayload, ctx: ProcessorContext) {
  const exists = await ctx.prisma.org.findUnique({ where: { id: payload.orgId }, select: { id: true } });
  if (!exists) return { kind: "recompute" as const, orgId: payload.orgId, skipped: "org no longer exists" };
  const result = await recomputeRecommendations(ctx.prisma, { orgId: payload.orgId, lookbackDays: payload.lookbackDays, now: ctx.now() });
  ctx.log.info({ orgId: payload.orgId, ...result }, "recommendations recomputed");
  return { kind: "recompute" as const, orgId: payload.orgId, ...result };
}

export const recommendationsProcessor: ProcessorDefinition = {
  queue: QUEUES.recommendations,
  async process(job: Job, ctx: ProcessorContext) {
    const parsed = recommendationsPayloadSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`Invalid ${QUEUES.recommendations} payload: ${z.prettifyError(parsed.error)}`);
    return parsed.data.kind === "fan-out" ? fanOut(parsed.data, ctx) : recompute(parsed.data, ctx);
  },
};
