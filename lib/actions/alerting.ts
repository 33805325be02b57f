// Budget, SLO, Slack channel and digest actions. Definitions only: app/[org]/{budgets,slos,alerts}
// and app/[org]/settings expose them to the browser through thin "use server" functions.
import { z } from "zod";
import { db } from "../db/client";
import { budgetInputSchema, budgetUpdateSchema, channelRoutingSchema, digestPreferencesSchema, SEVERITIES, slackChannelInputSchema, sloInputSchema } from "../domain/alerting";
import { orgAction } from "../http/org-action";
import { conflict, notFound } from "../http/errors";
import { createSlackChannel, deleteChannel, sendTestMessage, updateSlackChannel } from "../alerts/channels-store";
import { env } from "../env";
import { producers } from "../queue/producers";

const id = z.string().min(1).max(64);

async function uniqueName<T>(fn: () => Promise<T>, what: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw conflict(`A ${what} with this name already exists`);
    throw err;
  }
}

export const createBudget = orgAction({
  permission: "budgets:manage",
  input: budgetInputSchema,
  handler: async ({ ctx, input }) => {
    const b = await uniqueName(
      () =>
        db().budget.create({
          data: {
            orgId: ctx.orgId,
            name: input.name,
            period: input.period,
            amount: input.amount,
            currency: input.currency,
            scopeKind: input.scopeKind,
            scopeValue: input.scopeKind === "ORG" ? null : (input.scopeValue ?? null),
            costBasis: input.costBasis,
            thresholds: [...new Set(input.thresholds)].sort((a, b) => a - b),
            forecastThreshold: input.forecastThreshold,
          },
        }),
      "budget",
    );
    return { id: b.id, name: b.name };
  },
  audit: ({ result }) => ({ action: "budget.create", targetType: "budget", targetId: result.id, details: { name: result.name } }),
});

/** Edits what a budget watches for: name, amount, thresholds, forecast threshold (scope, period and currency stay). */
export const updateBudget = orgAction({
  permission: "budgets:manage",
  input: budgetUpdateSchema,
  handler: async ({ ctx, input }) => {
    const prisma = db();
    const existing = await prisma.budget.findFirst({ where: { id: input.budgetId, orgId: ctx.orgId }, select: { id: true } });
    if (!existing) throw notFound("Budget not found");
    const b = await uniqueName(
      () =>
        prisma.budget.update({
          where: { id: existing.id },
          data: {
            name: input.name,
            amount: input.amount,
            thresholds: [...new Set(input.thresholds)].sort((a, b) => a - b),
            forecastThreshold: input.forecastThreshold,
          },
        }),
      "budget",
    );
    return { id: b.id, name: b.name, amount: b.amount.toString(), thresholds: b.thresholds, forecastThreshold: b.forecastThreshold };
  },
  audit: ({ result }) => ({ action: "budget.update", targetType: "budget", targetId: result.id, details: { name: result.name } }),
});

export const deleteBudget = orgAction({
  permission: "budgets:manage",
  input: z.object({ budgetId: id }),
  handler: async ({ ctx, input }) => {
    const { count } = await db().budget.deleteMany({ where: { id: input.budgetId, orgId: ctx.orgId } });
    if (count === 0) throw notFound("Budget not found");
    return { deleted: input.budgetId };
  },
  audit: ({ input }) => ({ action: "budget.delete", targetType: "budget", targetId: input.budgetId }),
});

export const createSlackChannelAction = orgAction({
  permission: "alerts:manage",
  input: slackChannelInputSchema,
  handler: ({ ctx, input }) => createSlackChannel(db(), { orgId: ctx.orgId, input }),
  audit: ({ result }) => ({ action: "slack_channel.create", targetType: "alert_channel", targetId: result.id, details: { name: result.name } }),
});

export const updateSlackChannelAction = orgAction({
  permission: "alerts:manage",
  input: z.object({
    channelId: id,
    enabled: z.boolean().optional(),
    /** Replaces the stored webhook URL (sealed like on create, never returned). */
    webhookUrl: slackChannelInputSchema.shape.webhookUrl.optional(),
    minSeverity: z.enum(SEVERITIES).optional(),
    routing: channelRoutingSchema.optional(),
  }),
  handler: ({ ctx, input }) => updateSlackChannel(db(), { orgId: ctx.orgId, channelId: input.channelId, input }),
  audit: ({ input }) => ({ action: "slack_channel.update", targetType: "alert_channel", targetId: input.channelId }),
});

export const deleteSlackChannel = orgAction({
  permission: "alerts:manage",
  input: z.object({ channelId: id }),
  handler: ({ ctx, input }) => deleteChannel(db(), { orgId: ctx.orgId, channelId: input.channelId }),
  audit: ({ input }) => ({ action: "slack_channel.delete", targetType: "alert_channel", targetId: input.channelId }),
});

export const sendSlackTestMessage = orgAction({
  permission: "alerts:manage",
  input: z.object({ channelId: id }),
  handler: async ({ ctx, input }) => {
    const res = await sendTestMessage(db(), { orgId: ctx.orgId, channelId: input.channelId, appUrl: env().APP_URL });
    return { ok: res.ok, status: res.status, error: res.error };
  },
});

export const createSlo = orgAction({
  permission: "slos:manage",
  input: sloInputSchema,
  handler: async ({ ctx, input }) => {
    const prisma = db();
    if (input.workloadId && !(await prisma.workload.findFirst({ where: { id: input.workloadId, orgId: ctx.orgId }, select: { id: true } }))) throw notFound("Service not found");
    if (input.budgetId && !(await prisma.budget.findFirst({ where: { id: input.budgetId, orgId: ctx.orgId }, select: { id: true } }))) throw notFound("Budget not found");
    const s = await uniqueName(
      () =>
        prisma.sloDefinition.create({
          data: {
            orgId: ctx.orgId,
            name: input.name,
            kind: input.kind,
            percentile: input.kind === "LATENCY" ? input.percentile : null,
            thresholdMs: input.kind === "LATENCY" ? input.thresholdMs : null,
            objective: input.kind === "SUCCESS_RATIO" || input.kind === "GPU_UTILIZATION" ? input.objective : null,
            workloadId: input.kind === "SPEND" ? null : (input.workloadId ?? null),
            scopeKind: input.scopeKind,
            scopeValue: input.scopeKind === "ORG" ? null : (input.scopeValue ?? null),
            budgetId: input.kind === "SPEND" ? input.budgetId : null,
            windowDays: input.windowDays,
          },
        }),
      "SLO",
    );
    return { id: s.id, name: s.name };
  },
  audit: ({ result }) => ({ action: "slo.create", targetType: "slo", targetId: result.id, details: { name: result.name } }),
});

export const setSloEnabled = orgAction({
  permission: "slos:manage",
  input: z.object({ sloId: id, enabled: z.boolean() }),
  handler: async ({ ctx, input }) => {
    const { count } = await db().sloDefinition.updateMany({ where: { id: input.sloId, orgId: ctx.orgId }, data: { enabled: input.enabled } });
    if (count === 0) throw notFound("SLO not found");
    return { id: input.sloId, enabled: input.enabled };
  },
  audit: ({ result }) => ({ action: result.enabled ? "slo.enable" : "slo.disable", targetType: "slo", targetId: result.id }),
});

export const deleteSlo = orgAction({
  permission: "slos:manage",
  input: z.object({ sloId: id }),
  handler: async ({ ctx, input }) => {
    const { count } = await db().sloDefinition.deleteMany({ where: { id: input.sloId, orgId: ctx.orgId } });
    if (count === 0) throw notFound("SLO not found");
    return { deleted: input.sloId };
  },
  audit: ({ input }) => ({ action: "slo.delete", targetType: "slo", targetId: input.sloId }),
});

/** Every member manages their own digest subscription for the org. */
export const saveDigestPreferences = orgAction({
  permission: "org:read",
  input: digestPreferencesSchema,
  handler: async ({ ctx, input, user }) => {
    const s = await db().digestSubscription.upsert({
      where: { orgId_userId: { orgId: ctx.orgId, userId: user.id } },
      create: { orgId: ctx.orgId, userId: user.id, enabled: input.enabled, dayOfWeek: input.dayOfWeek, hour: input.hour, timezone: input.timezone },
      update: { enabled: input.enabled, dayOfWeek: input.dayOfWeek, hour: input.hour, timezone: input.timezone },
    });
    return { enabled: s.enabled, dayOfWeek: s.dayOfWeek, hour: s.hour, timezone: s.timezone };
  },
});

/** Queues an evaluation of the org's budgets and SLOs now (the schedule runs every 15 minutes). */
export const evaluateAlertsNow = orgAction({
  permission: "alerts:manage",
  input: z.object({}),
  handler: async ({ ctx }) => {
    const [jobId] = await producers().enqueueAlertEvaluations([{ orgId: ctx.orgId, slot: new Date(), cause: "manual" }]);
    return { jobId };
  },
});
