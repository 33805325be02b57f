// The alerts queue: the scheduler's fan-out queues one evaluation per org that has budgets or SLOs;
// an evaluation checks the org's budgets (and SLOs), raises alert events once per dedup key, and
// queues the deliveries still PENDING (including any a crash left unqueued).
import { type Job, UnrecoverableError } from "bullmq";
import { z } from "zod";
import { queuePendingDeliveries } from "@/lib/alerts/raise";
import { evaluateBudgets } from "@/lib/budgets/evaluate";
import { evaluateSlos } from "@/lib/slo/evaluate";
import { alertsPayloadSchema, QUEUES } from "@/lib/queue/contracts";
import type { ProcessorContext, ProcessorDefinition } from "./types";

export async function evaluateOrg(ctx: Pick<ProcessorContext, "prisma" | "producers" | "now">, orgId: string) {
  const now = ctx.now();
  const budgets = await evaluateBudgets(ctx.prisma, { orgId, now });
  const slos = await evaluateSlos(ctx.prisma, { orgId, now });
  const queued = await queuePendingDeliveries(ctx.prisma, ctx.producers, orgId);
  return { kind: "evaluate" as const, orgId, budgetAlerts: budgets.length, sloAlerts: slos.length, deliveriesQueued: queued };
}

export const alertsProcessor: ProcessorDefinition = {
  queue: QUEUES.alerts,
  async process(job: Job, ctx: ProcessorContext) {
    const parsed = alertsPayloadSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`Invalid ${QUEUES.alerts} payload: ${z.prettifyError(parsed.error)}`);
    if (parsed.data.kind === "evaluate") return evaluateOrg(ctx, parsed.data.orgId);
    const [budgets, slos] = await Promise.all([
      ctx.prisma.budget.groupBy({ by: ["orgId"] }),
      ctx.prisma.sloDefinition.groupBy({ by: ["orgId"], where: { enabled: true } }),
    ]);
    const orgIds = [...new Set([...budgets, ...slos].map((r) => r.orgId))].sort();
    const jobIds = await ctx.producers.enqueueAlertEvaluations(orgIds.map((orgId) => ({ orgId, slot: ctx.now(), cause: "schedule" })));
    return { kind: "fan-out" as const, orgs: orgIds.length, jobIds };
  },
};
