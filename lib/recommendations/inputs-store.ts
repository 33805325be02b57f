// Where the inputs live: one PriceAssumption row per GPU type (provider "planning") once someone in the
// org saved inputs; org-wide inputs in Org.settings.recommendations (validated; unknown or invalid
// values fall back to the defaults). Reading never writes: a GPU type with no row gets its defaults
// (public list price, else the observed mean rate, else an estimate) computed in memory and is reported
// as a default, so a GET or a page view leaves the database as it found it. Rows are written only by
// saveInputs (an admin saving the inputs).
import type { PrismaClient } from "../db/client";
import { Prisma } from "../db/client";
import {
  DEFAULT_GLOBAL_INPUTS,
  defaultGpuTypeInputs,
  type GlobalInputs,
  type GpuTypeInputs,
  globalInputsSchema,
  gpuTypeInputsSchema,
  onPremServerSchema,
  PRICE_SOURCES,
  type RecommendationInputs,
  SPOT_BUCKETS,
} from "./inputs";

export const PLANNING_PROVIDER = "planning";

type Row = Awaited<ReturnType<PrismaClient["priceAssumption"]["findMany"]>>[number];

function fromRow(row: Row, fallback: GpuTypeInputs): GpuTypeInputs {
  const onPrem = onPremServerSchema.safeParse(row.onPrem);
  const candidate = {
    onDemandHourly: Number(row.onDemandHourlyPerGpu),
    spotHourly: row.spotHourlyPerGpu === null ? null : Number(row.spotHourlyPerGpu),
    commitmentDiscounts: row.commitmentDiscounts,
    spotInterruptionBucket: (SPOT_BUCKETS as readonly string[]).includes(row.spotInterruptionBucket ?? "") ? row.spotInterruptionBucket : fallback.spotInterruptionBucket,
    onPrem: onPrem.success ? onPrem.data : fallback.onPrem,
    source: (PRICE_SOURCES as readonly string[]).includes(row.source) ? row.source : "user",
  };
  const parsed = gpuTypeInputsSchema.safeParse(candidate);
  return parsed.success ? parsed.data : fallback;
}

function toRowData(t: GpuTypeInputs) {
  return {
    onDemandHourlyPerGpu: new Prisma.Decimal(t.onDemandHourly.toFixed(6)),
    spotHourlyPerGpu: t.spotHourly === null ? null : new Prisma.Decimal(t.spotHourly.toFixed(6)),
    commitmentDiscounts: t.commitmentDiscounts,
    spotInterruptionBucket: t.spotInterruptionBucket,
    onPrem: t.onPrem,
    source: t.source,
  };
}

export function globalInputsFromSettings(settings: unknown): GlobalInputs {
  const raw = settings && typeof settings === "object" ? (settings as Record<string, unknown>).recommendations : undefined;
  const parsed = globalInputsSchema.safeParse({ ...DEFAULT_GLOBAL_INPUTS, ...(raw && typeof raw === "object" ? raw : {}) });
  return parsed.success ? parsed.data : DEFAULT_GLOBAL_INPUTS;
}

/** Which inputs are defaults computed in memory (nothing stored for them yet), not saved by the org. */
export type InputDefaults = {
  /** True when the org-wide inputs were never saved (Org.settings.recommendations is absent). */
  global: boolean;
  /** GPU types with no stored row: their inputs are the defaults. */
  gpuTypes: string[];
};

export type LoadedInputs = { inputs: RecommendationInputs; defaults: InputDefaults };

/**
 * The org's inputs for the given GPU types, read-only: stored rows where they exist, the defaults
 * (the public list price, else the observed mean rate) otherwise, reported in `defaults`.
 */
export async function loadInputs(
  prisma: PrismaClient,
  { orgId, gpuTypes }: { orgId: string; gpuTypes: Array<{ gpuModel: string; observedHourly: number | null }> },
): Promise<LoadedInputs> {
  const org = await prisma.org.findUniqueOrThrow({ where: { id: orgId }, select: { currency: true, settings: true } });
  const rows = await prisma.priceAssumption.findMany({ where: { orgId, provider: PLANNING_PROVIDER } });
  const byModel = new Map(rows.map((r) => [r.gpuModel, r]));
  const out: Record<string, GpuTypeInputs> = {};
  const defaultTypes: string[] = [];
  for (const { gpuModel, observedHourly } of gpuTypes) {
    const fallback = defaultGpuTypeInputs(gpuModel, observedHourly);
    const row = byModel.get(gpuModel);
    if (row) out[gpuModel] = fromRow(row, fallback);
    else {
      out[gpuModel] = fallback;
      defaultTypes.push(gpuModel);
    }
  }
  for (const row of rows) if (!out[row.gpuModel]) out[row.gpuModel] = fromRow(row, defaultGpuTypeInputs(row.gpuModel));
  return {
    inputs: { currency: org.currency, global: globalInputsFromSettings(org.settings), gpuTypes: out },
    defaults: { global: !hasStoredGlobal(org.settings), gpuTypes: defaultTypes.sort() },
  };
}

function hasStoredGlobal(settings: unknown): boolean {
  const raw = settings && typeof settings === "object" ? (settings as Record<string, unknown>).recommendations : undefined;
  return Boolean(raw && typeof raw === "object");
}

/** Saves edited inputs: the given GPU types' rows (marked "user") and the org-wide inputs. */
export async function saveInputs(prisma: PrismaClient, { orgId, inputs }: { orgId: string; inputs: Pick<RecommendationInputs, "global" | "gpuTypes"> }) {
  await prisma.$transaction(async (tx) => {
    const org = await tx.org.findUniqueOrThrow({ where: { id: orgId }, select: { currency: true, settings: true } });
    const settings = org.settings && typeof org.settings === "object" && !Array.isArray(org.settings) ? (org.settings as Record<string, unknown>) : {};
    // Keeps the other keys of settings.recommendations (idleHoursShare) that the inputs do not carry.
    const previous = settings.recommendations && typeof settings.recommendations === "object" && !Array.isArray(settings.recommendations) ? (settings.recommendations as Record<string, unknown>) : {};
    await tx.org.update({ where: { id: orgId }, data: { settings: { ...settings, recommendations: { ...previous, ...inputs.global } } as Prisma.InputJsonObject } });
    for (const [gpuModel, t] of Object.entries(inputs.gpuTypes)) {
      const data = toRowData(t);
      await tx.priceAssumption.upsert({
        where: { orgId_provider_gpuModel: { orgId, provider: PLANNING_PROVIDER, gpuModel } },
        create: { orgId, provider: PLANNING_PROVIDER, gpuModel, currency: org.currency, ...data },
        update: data,
      });
    }
  });
}
