// The runner: loads the lookback's usage, computes the capacity plan and the efficiency actions, and
// stores them as Recommendation rows keyed by a stable fingerprint, so a rerun updates figures but
// keeps each one's status (open, accepted, dismissed with a reason). Open recommendations the data no
// longer supports are removed; accepted and dismissed ones stay. Accepted ones get their realised
// savings once at least a day of data after acceptance exists.
import { Prisma, type PrismaClient } from "../db/client";
import { DEFAULT_THRESHOLDS, efficiencyActions, type EfficiencyAction } from "./efficiency";
import { DEFAULT_LOOKBACK_DAYS, type RecommendationInputs, TERM_LABELS } from "./inputs";
import { type InputDefaults, loadInputs } from "./inputs-store";
import { loadDemand, loadGpuUsage, loadServiceUsage, loadWorkloadUsage, resolveWindow, type ScopeCostFilter, scopeMonthlyCost, type UsageWindow } from "./load-usage";
import { type CapacityPlan, type GpuTypeDemand, money, type PlannedSplit, planCapacity } from "./plan";

const HOUR = 3_600_000;
/** Realised savings need at least this much data after acceptance. */
const MIN_REALISED_HOURS = 24;

export type ComputedRecommendations = {
  window: UsageWindow | null;
  lookbackDays: number;
  inputs: RecommendationInputs;
  /** Inputs that are in-memory defaults (nothing stored and not overridden by a what-if). */
  defaults: InputDefaults;
  demands: GpuTypeDemand[];
  plan: CapacityPlan;
  actions: EfficiencyAction[];
};

/** Computes (does not store) the plan and actions; `override` replaces stored inputs (a what-if). */
export async function computeRecommendations(
  prisma: PrismaClient,
  { orgId, lookbackDays = DEFAULT_LOOKBACK_DAYS, now = new Date(), override, withActions = true }: { orgId: string; lookbackDays?: number; now?: Date; override?: Partial<Pick<RecommendationInputs, "global" | "gpuTypes">>; withActions?: boolean },
): Promise<ComputedRecommendations> {
  const org = await prisma.org.findUniqueOrThrow({ where: { id: orgId }, select: { currency: true, idleThreshold: true, settings: true } });
  const window = await resolveWindow(prisma, { orgId, lookbackDays, now });
  const demands = window ? await loadDemand(prisma, { orgId, currency: org.currency, window }) : [];
  // Read-only: GPU types with no stored inputs get their defaults in memory (nothing is written here,
  // neither by a GET nor by the worker, whose stored recommendations carry the inputs they used).
  const loaded = await loadInputs(prisma, { orgId, gpuTypes: [...new Map(demands.map((d) => [d.gpuModel, { gpuModel: d.gpuModel, observedHourly: d.observedHourly }])).values()] });
  const stored = loaded.inputs;
  const inputs: RecommendationInputs = {
    currency: stored.currency,
    global: override?.global ?? stored.global,
    gpuTypes: { ...stored.gpuTypes, ...override?.gpuTypes },
  };
  const defaults: InputDefaults = {
    global: loaded.defaults.global && !override?.global,
    gpuTypes: loaded.defaults.gpuTypes.filter((m) => !override?.gpuTypes?.[m]),
  };
  const plan = planCapacity(demands, inputs);
  let actions: EfficiencyAction[] = [];
  if (window && withActions) {
    const idleThreshold = Number(org.idleThreshold);
    const settings = (org.settings ?? {}) as Record<string, unknown>;
    const recSettings = (settings.recommendations ?? {}) as Record<string, unknown>;
    const idleHoursShare = typeof recSettings.idleHoursShare === "number" ? recSettings.idleHoursShare : DEFAULT_THRESHOLDS.idleHoursShare;
    const [gpus, workloads, services] = await Promise.all([
      loadGpuUsage(prisma, { orgId, currency: org.currency, idleThreshold, window }),
      loadWorkloadUsage(prisma, { orgId, currency: org.currency, window }),
      loadServiceUsage(prisma, { orgId, currency: org.currency, window }),
    ]);
    actions = efficiencyActions({ gpus, workloads, services, windowHours: window.hours, thresholds: { ...DEFAULT_THRESHOLDS, idleThreshold, idleHoursShare } });
  }
  return { window, lookbackDays, inputs, defaults, demands, plan, actions };
}

/** One line that says what to do with a GPU type. */
export function splitTitle(s: PlannedSplit): string {
  const parts: string[] = [];
  if (s.onPrem.gpus > 0) parts.push(`${s.onPrem.gpus} on-prem (${s.onPrem.servers} server${s.onPrem.servers === 1 ? "" : "s"})`);
  if (s.commitment && s.commitment.committedGpus > 0) parts.push(`${s.commitment.committedGpus} committed (${TERM_LABELS[s.commitment.term]})`);
  if (s.spot.meanGpus > 0) parts.push(`spot for interruptible burst (mean ${s.spot.meanGpus.toFixed(1)})`);
  parts.push(`on-demand for the rest (mean ${s.onDemand.meanGpus.toFixed(1)})`);
  return `${s.key}: ${parts.join(", ")}`;
}

type StoredRow = {
  kind: string;
  fingerprint: string;
  title: string;
  summary: string;
  scope: Prisma.InputJsonValue;
  evidence: Prisma.InputJsonValue;
  inputs: Prisma.InputJsonValue;
  monthlySavings: string;
  risk: string | null;
};

function rowsOf(computed: ComputedRecommendations): StoredRow[] {
  const { plan, actions, inputs, window, lookbackDays } = computed;
  const windowJson = window ? { from: window.from.toISOString(), to: window.to.toISOString(), hours: window.hours, lookbackDays } : null;
  const splitRows = plan.splits.map((s) => ({
    kind: "capacity-split",
    fingerprint: `capacity-split:${s.key}`,
    title: splitTitle(s),
    summary: `Projected ${money(s.monthly.projected)} ${inputs.currency}/month vs ${money(s.monthly.current)} for the current mix (all on-demand: ${money(s.monthly.allOnDemand)}).`,
    scope: { gpuModel: s.gpuModel, provider: s.provider },
    evidence: JSON.parse(JSON.stringify({ ...s, baselineMonthlyCost: s.monthly.current, window: windowJson })) as Prisma.InputJsonValue,
    inputs: JSON.parse(JSON.stringify({ gpuType: inputs.gpuTypes[s.gpuModel], global: inputs.global })) as Prisma.InputJsonValue,
    monthlySavings: money(Math.max(0, s.monthly.savings)),
    risk: s.risk.join(" ") || null,
  }));
  const actionRows = actions.map((a) => ({
    kind: a.kind,
    fingerprint: a.fingerprint,
    title: a.title,
    summary: a.summary,
    scope: a.scope as Prisma.InputJsonValue,
    evidence: JSON.parse(JSON.stringify({ ...a.evidence, baselineMonthlyCost: a.baselineMonthlyCost, window: windowJson })) as Prisma.InputJsonValue,
    inputs: {} as Prisma.InputJsonValue,
    monthlySavings: money(a.monthlySavings),
    risk: a.risk,
  }));
  return [...splitRows, ...actionRows];
}

export type RecomputeResult = { window: { from: string; to: string; hours: number } | null; stored: number; removed: number; realised: number };

export async function recomputeRecommendations(
  prisma: PrismaClient,
  { orgId, lookbackDays = DEFAULT_LOOKBACK_DAYS, now = new Date() }: { orgId: string; lookbackDays?: number; now?: Date },
): Promise<RecomputeResult> {
  const computed = await computeRecommendations(prisma, { orgId, lookbackDays, now });
  const rows = rowsOf(computed);
  const computedAt = now;
  const org = await prisma.org.findUniqueOrThrow({ where: { id: orgId }, select: { currency: true } });
  // Accepted and dismissed ones keep the figures they were decided on (their baseline measures the
  // realised savings later).
  const decided = new Set(
    (await prisma.recommendation.findMany({ where: { orgId, status: { not: "OPEN" } }, select: { fingerprint: true } })).map((r) => r.fingerprint),
  );
  await prisma.$transaction(async (tx) => {
    for (const r of rows) {
      if (decided.has(r.fingerprint)) continue;
      const data = { ...r, monthlySavings: new Prisma.Decimal(r.monthlySavings), currency: org.currency, computedAt };
      await tx.recommendation.upsert({
        where: { orgId_fingerprint: { orgId, fingerprint: r.fingerprint } },
        create: { orgId, ...data },
        update: data,
      });
    }
  });
  const { count: removed } = await prisma.recommendation.deleteMany({
    where: { orgId, status: "OPEN", fingerprint: { notIn: rows.map((r) => r.fingerprint) } },
  });
  const realised = computed.window ? await updateRealisedSavings(prisma, { orgId, currency: org.currency, to: computed.window.to }) : 0;
  const w = computed.window;
  return { window: w ? { from: w.from.toISOString(), to: w.to.toISOString(), hours: w.hours } : null, stored: rows.length, removed, realised };
}

function scopeFilter(kind: string, scope: unknown): ScopeCostFilter | null {
  const s = (scope ?? {}) as Record<string, unknown>;
  if (kind === "capacity-split" && typeof s.gpuModel === "string") return { gpuModel: s.gpuModel, ...(typeof s.provider === "string" ? { provider: s.provider } : {}) };
  if (kind === "reclaim-idle" && Array.isArray(s.gpuIds)) return { gpuIds: s.gpuIds.filter((x): x is string => typeof x === "string") };
  if (kind === "underutilized-team" && typeof s.team === "string") return { team: s.team };
  if (typeof s.workloadId === "string") return { workloadId: s.workloadId };
  return null;
}

/** Realised savings of accepted recommendations: baseline monthly cost − monthly cost since acceptance. */
export async function updateRealisedSavings(prisma: PrismaClient, { orgId, currency, to }: { orgId: string; currency: string; to: Date }): Promise<number> {
  const accepted = await prisma.recommendation.findMany({ where: { orgId, status: "ACCEPTED", acceptedAt: { not: null } } });
  let n = 0;
  for (const rec of accepted) {
    const from = new Date(Math.ceil(rec.acceptedAt!.getTime() / HOUR) * HOUR);
    if (to.getTime() - from.getTime() < MIN_REALISED_HOURS * HOUR) continue;
    const filter = scopeFilter(rec.kind, rec.scope);
    const baseline = (rec.evidence as Record<string, unknown> | null)?.baselineMonthlyCost;
    if (!filter || typeof baseline !== "number") continue;
    const after = await scopeMonthlyCost(prisma, { orgId, currency, from, to, scope: filter });
    await prisma.recommendation.update({ where: { id: rec.id }, data: { realizedSavings: new Prisma.Decimal(money(baseline - after.monthly)) } });
    n++;
  }
  return n;
}
