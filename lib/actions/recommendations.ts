// Recommendation actions: accept or dismiss (with a reason) a recommendation, save the inputs (and
// recompute), save a what-if as a named Scenario, delete one (an admin, or its author). Definitions only: app/[org]/recommendations/actions.ts
// exposes them to the browser.
import { z } from "zod";
import { db, Prisma } from "../db/client";
import { orgAction } from "../http/org-action";
import { conflict, notFound } from "../http/errors";
import { LOOKBACK_DAYS, recommendationInputsSchema } from "../recommendations/inputs";
import { saveInputs } from "../recommendations/inputs-store";
import { money } from "../recommendations/plan";
import { computeRecommendations, recomputeRecommendations } from "../recommendations/run";
import { deleteScenario as deleteScenarioRow, scenarioActor } from "../recommendations/scenarios";

const idInput = z.object({ recommendationId: z.string().min(1).max(64) });
const editableInputs = recommendationInputsSchema.pick({ global: true, gpuTypes: true });
const lookback = z.union(LOOKBACK_DAYS.map((d) => z.literal(d))).default(30);

export const acceptRecommendation = orgAction({
  permission: "recommendations:act",
  input: idInput,
  handler: async ({ ctx, input }) => {
    const { count } = await db().recommendation.updateMany({
      where: { id: input.recommendationId, orgId: ctx.orgId },
      data: { status: "ACCEPTED", acceptedAt: new Date(), dismissReason: null },
    });
    if (count === 0) throw notFound("Recommendation not found");
    return { id: input.recommendationId, status: "ACCEPTED" as const };
  },
});

export const dismissRecommendation = orgAction({
  permission: "recommendations:act",
  input: idInput.extend({ reason: z.string().trim().min(3, "Say why (at least 3 characters)").max(500) }),
  handler: async ({ ctx, input }) => {
    const { count } = await db().recommendation.updateMany({
      where: { id: input.recommendationId, orgId: ctx.orgId },
      data: { status: "DISMISSED", dismissReason: input.reason, acceptedAt: null, realizedSavings: null },
    });
    if (count === 0) throw notFound("Recommendation not found");
    return { id: input.recommendationId, status: "DISMISSED" as const };
  },
});

export const saveRecommendationInputs = orgAction({
  permission: "recommendations:act",
  input: z.object({ inputs: editableInputs, lookbackDays: lookback }),
  handler: async ({ ctx, input }) => {
    await saveInputs(db(), { orgId: ctx.orgId, inputs: input.inputs });
    const result = await recomputeRecommendations(db(), { orgId: ctx.orgId, lookbackDays: input.lookbackDays });
    return { saved: true, stored: result.stored };
  },
});

export const saveScenario = orgAction({
  permission: "recommendations:act",
  input: z.object({ name: z.string().trim().min(1).max(120), inputs: editableInputs, lookbackDays: lookback }),
  handler: async ({ ctx, input, user }) => {
    // The result is computed here from the inputs, never taken from the browser.
    const computed = await computeRecommendations(db(), { orgId: ctx.orgId, lookbackDays: input.lookbackDays, override: input.inputs, withActions: false });
    const result = {
      window: computed.window && { from: computed.window.from.toISOString(), to: computed.window.to.toISOString(), hours: computed.window.hours },
      currency: computed.inputs.currency,
      totals: {
        currentMonthly: money(computed.plan.totals.currentMonthly),
        projectedMonthly: money(computed.plan.totals.projectedMonthly),
        savingsMonthly: money(computed.plan.totals.savingsMonthly),
      },
      splits: computed.plan.splits.map((s) => ({
        key: s.key,
        gpuModel: s.gpuModel,
        onPremGpus: s.onPrem.gpus,
        committedGpus: s.commitment?.committedGpus ?? 0,
        term: s.commitment?.term ?? null,
        projectedMonthly: money(s.monthly.projected),
        savingsMonthly: money(s.monthly.savings),
      })),
    };
    try {
      const row = await db().scenario.create({
        data: { orgId: ctx.orgId, name: input.name, inputs: { ...input.inputs, lookbackDays: input.lookbackDays } as Prisma.InputJsonObject, result: result as Prisma.InputJsonObject, createdById: user.id },
      });
      return { id: row.id, name: row.name, result };
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw conflict(`A scenario named "${input.name}" already exists`);
      throw err;
    }
  },
});

export const deleteScenario = orgAction({
  // Any member may ask; deleteScenarioRow lets an admin delete any scenario and others only their own.
  permission: "org:read",
  input: z.object({ scenarioId: z.string().min(1).max(64) }),
  handler: async ({ ctx, input }) => deleteScenarioRow(db(), { orgId: ctx.orgId, id: input.scenarioId, actor: scenarioActor(ctx) }),
});
