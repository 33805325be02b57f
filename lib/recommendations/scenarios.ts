// Saved scenarios: a what-if's inputs under a name (lib/actions/recommendations.ts saves them). Listed
// and compared here with their figures recomputed on the current demand, next to the current plan
// (the org's current inputs, same lookback), so every figure on a row compares with the others. Reads
// only: nothing here writes except deleteScenario.
import { z } from "zod";
import type { OrgContext } from "../auth/membership";
import type { PrismaClient } from "../db/client";
import type { RoleName } from "../domain/roles";
import { forbidden, notFound } from "../http/errors";
import { DEFAULT_LOOKBACK_DAYS, globalInputsSchema, gpuTypeInputsSchema, LOOKBACK_DAYS, type RecommendationInputs } from "./inputs";
import { type CapacityPlan, money, type PlannedSplit, planCapacity } from "./plan";
import { computeRecommendations, type ComputedRecommendations } from "./run";
import { inputDifferences, type PlanRisk, type ScenarioComparisonRow, type ScenarioDetailResponse, type ScenarioListResponse, type ScenarioSummary, type SplitFigures } from "./scenario-types";

/** Who asks: an admin may delete any scenario, anyone else only their own. */
export type ScenarioActor = { role: RoleName; userId: string | null };

/** The actor of a route or action context (an API key is no author: it deletes only with role ADMIN). */
export function scenarioActor(ctx: OrgContext): ScenarioActor {
  return { role: ctx.role, userId: ctx.actor.kind === "user" ? ctx.actor.userId : null };
}

type EditableInputs = Pick<RecommendationInputs, "global" | "gpuTypes">;

/** The stored `inputs` JSON (what saveScenario wrote); fields it lacks fall back to the current inputs. */
const storedInputsSchema = z.object({
  global: globalInputsSchema.optional(),
  gpuTypes: z.record(z.string(), gpuTypeInputsSchema).optional(),
  lookbackDays: z.number().int().optional(),
});

type ScenarioRow = Awaited<ReturnType<PrismaClient["scenario"]["findMany"]>>[number];

function storedInputs(row: ScenarioRow) {
  const parsed = storedInputsSchema.safeParse(row.inputs);
  const data = parsed.success ? parsed.data : {};
  const lookbackDays = (LOOKBACK_DAYS as readonly number[]).includes(data.lookbackDays ?? -1) ? data.lookbackDays! : DEFAULT_LOOKBACK_DAYS;
  return { global: data.global, gpuTypes: data.gpuTypes ?? {}, lookbackDays };
}

/** The scenario's full inputs: its own, over the current ones for what it does not name (a new GPU type). */
function scenarioInputs(row: ScenarioRow, current: RecommendationInputs): EditableInputs & { lookbackDays: number } {
  const s = storedInputs(row);
  return { global: s.global ?? current.global, gpuTypes: { ...current.gpuTypes, ...s.gpuTypes }, lookbackDays: s.lookbackDays };
}

export function splitFigures(s: PlannedSplit): SplitFigures {
  return {
    onDemandGpus: s.onDemand.meanGpus,
    spotGpus: s.spot.meanGpus,
    reservedGpus: s.commitment?.committedGpus ?? 0,
    term: s.commitment && s.commitment.committedGpus > 0 ? s.commitment.term : null,
    onPremGpus: s.onPrem.gpus,
    monthlyCost: money(s.monthly.projected),
    savings: money(s.monthly.savings),
    risk: s.risk,
  };
}

export function planRisk(plan: CapacityPlan): PlanRisk {
  let upfront = 0;
  let reservedGpus = 0;
  let onPremGpus = 0;
  const notes: string[] = [];
  for (const s of plan.splits) {
    if (s.commitment && s.commitment.committedGpus > 0) {
      upfront += s.commitment.upfront;
      reservedGpus += s.commitment.committedGpus;
    }
    upfront += s.onPrem.capex;
    onPremGpus += s.onPrem.gpus;
    for (const r of s.risk) notes.push(`${s.key}: ${r}`);
  }
  return { upfront: money(upfront), reservedGpus, onPremGpus, notes };
}

function savedTotals(row: ScenarioRow): ScenarioSummary["saved"] {
  const r = (row.result ?? {}) as { totals?: { projectedMonthly?: unknown; savingsMonthly?: unknown }; window?: { to?: unknown } | null };
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  return { projectedMonthly: str(r.totals?.projectedMonthly), savingsMonthly: str(r.totals?.savingsMonthly), windowTo: str(r.window?.to) };
}

function mayDelete(row: ScenarioRow, actor: ScenarioActor): boolean {
  return actor.role === "ADMIN" || (actor.userId !== null && row.createdById === actor.userId);
}

type Context = { computed: ComputedRecommendations };

function summarize(row: ScenarioRow, ctx: Context, authors: Map<string, string>, actor: ScenarioActor): { summary: ScenarioSummary; inputs: EditableInputs; plan: CapacityPlan } {
  const { computed } = ctx;
  const inputs = scenarioInputs(row, computed.inputs);
  const plan = planCapacity(computed.demands, { currency: computed.inputs.currency, global: inputs.global, gpuTypes: inputs.gpuTypes });
  const current = computed.plan.totals;
  const summary: ScenarioSummary = {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdById ? { id: row.createdById, name: authors.get(row.createdById) ?? "former member" } : null,
    lookbackDays: inputs.lookbackDays,
    differences: inputDifferences(inputs, { global: computed.inputs.global, gpuTypes: computed.inputs.gpuTypes, lookbackDays: DEFAULT_LOOKBACK_DAYS }),
    currentMixMonthly: money(plan.totals.currentMonthly),
    projectedMonthly: money(plan.totals.projectedMonthly),
    savingsMonthly: money(plan.totals.savingsMonthly),
    currentPlanMonthly: money(current.projectedMonthly),
    savingsVsCurrentPlanMonthly: money(current.projectedMonthly - plan.totals.projectedMonthly),
    risk: planRisk(plan),
    saved: savedTotals(row),
    canDelete: mayDelete(row, actor),
  };
  return { summary, inputs: { global: inputs.global, gpuTypes: inputs.gpuTypes }, plan };
}

async function authorNames(prisma: PrismaClient, rows: ScenarioRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.createdById).filter((x): x is string => Boolean(x)))];
  if (!ids.length) return new Map();
  const users = await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } });
  return new Map(users.map((u) => [u.id, u.name?.trim() || u.email]));
}

/** The org's saved scenarios, newest first, each recomputed on the current demand of its lookback. */
export async function listScenarios(prisma: PrismaClient, { orgId, orgSlug, actor, now }: { orgId: string; orgSlug: string; actor: ScenarioActor; now?: Date }): Promise<ScenarioListResponse> {
  const rows = await prisma.scenario.findMany({ where: { orgId }, orderBy: [{ createdAt: "desc" }, { id: "asc" }] });
  const org = await prisma.org.findUniqueOrThrow({ where: { id: orgId }, select: { currency: true } });
  const authors = await authorNames(prisma, rows);
  // One demand load per lookback in use (at most three), shared by the scenarios of that lookback.
  const byLookback = new Map<number, Context>();
  for (const lookbackDays of [...new Set(rows.map((r) => storedInputs(r).lookbackDays))]) {
    byLookback.set(lookbackDays, { computed: await computeRecommendations(prisma, { orgId, lookbackDays, withActions: false, ...(now ? { now } : {}) }) });
  }
  return {
    org: { slug: orgSlug, currency: org.currency },
    scenarios: rows.map((r) => summarize(r, byLookback.get(storedInputs(r).lookbackDays)!, authors, actor).summary),
  };
}

/** One scenario next to the current plan, per GPU type and provider. 404 outside the org. */
export async function getScenario(prisma: PrismaClient, { orgId, orgSlug, id, actor, now }: { orgId: string; orgSlug: string; id: string; actor: ScenarioActor; now?: Date }): Promise<ScenarioDetailResponse> {
  const row = await prisma.scenario.findFirst({ where: { id, orgId } });
  if (!row) throw notFound("Scenario not found");
  const computed = await computeRecommendations(prisma, { orgId, lookbackDays: storedInputs(row).lookbackDays, withActions: false, ...(now ? { now } : {}) });
  const { summary, inputs, plan } = summarize(row, { computed }, await authorNames(prisma, [row]), actor);
  const keys = [...new Set([...computed.plan.splits.map((s) => s.key), ...plan.splits.map((s) => s.key)])];
  const comparison: ScenarioComparisonRow[] = keys.map((key) => {
    const cur = computed.plan.splits.find((s) => s.key === key);
    const scen = plan.splits.find((s) => s.key === key);
    const any = (cur ?? scen)!;
    return { key, gpuModel: any.gpuModel, provider: any.provider, current: cur ? splitFigures(cur) : null, scenario: scen ? splitFigures(scen) : null };
  });
  const w = computed.window;
  return {
    org: { slug: orgSlug, currency: computed.inputs.currency },
    window: w && { from: w.from.toISOString(), to: w.to.toISOString(), hours: w.hours },
    scenario: { ...summary, inputs },
    currentInputs: { global: computed.inputs.global, gpuTypes: computed.inputs.gpuTypes },
    comparison,
    totals: {
      current: { monthlyCost: money(computed.plan.totals.projectedMonthly), savings: money(computed.plan.totals.savingsMonthly), risk: planRisk(computed.plan) },
      scenario: { monthlyCost: money(plan.totals.projectedMonthly), savings: money(plan.totals.savingsMonthly), risk: planRisk(plan) },
    },
  };
}

/** Deletes a scenario of the org: an admin any, anyone else only their own (403); 404 outside the org. */
export async function deleteScenario(prisma: PrismaClient, { orgId, id, actor }: { orgId: string; id: string; actor: ScenarioActor }): Promise<{ deleted: string }> {
  const row = await prisma.scenario.findFirst({ where: { id, orgId } });
  if (!row) throw notFound("Scenario not found");
  if (!mayDelete(row, actor)) throw forbidden("Only an admin or the scenario's author can delete it");
  const { count } = await prisma.scenario.deleteMany({ where: { id, orgId } });
  if (count === 0) throw notFound("Scenario not found");
  return { deleted: id };
}
