// A read must not write: GET /api/v1/recommendations (what the page renders from) and the worker's
// recompute on an org that never saved inputs leave price_assumptions and the org's settings as they
// were, report the inputs as defaults, and answer the figures the defaults give, the same figures as
// once the same inputs are saved.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orgActions } from "@/lib/actions";
import { createApiKey } from "@/lib/auth/api-keys";
import type { SessionUser } from "@/lib/auth/session";
import { createPrisma, disconnectDb } from "@/lib/db/client";
import type { RecommendationsResponse } from "@/lib/recommendations/api-types";
import { DEFAULT_GLOBAL_INPUTS, defaultGpuTypeInputs } from "@/lib/recommendations/inputs";
import { planCapacity, planToJson } from "@/lib/recommendations/plan";
import { recomputeRecommendations } from "@/lib/recommendations/run";
import { GET } from "@/app/api/v1/recommendations/route";
import { buildRecsFleet, HOURS } from "./recommendations.fixture";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const START = Math.floor(Date.now() / 3_600_000) * 3_600_000 - (HOURS + 2) * 3_600_000;
let fleet: Awaited<ReturnType<typeof buildRecsFleet>>;
let key: string;
let admin: SessionUser;

beforeAll(async () => {
  const u = await prisma.user.create({ data: { email: `recs-ro-${Date.now()}@x.test`, name: "Rec RO Admin" } });
  admin = { id: u.id, email: u.email, name: u.name };
  fleet = await buildRecsFleet(prisma, { start: START, slugPrefix: "recs-ro", adminUserId: u.id });
  key = (await createApiKey(prisma, { orgId: fleet.orgId, name: "ro", role: "VIEWER" })).key;
});
afterAll(async () => {
  await prisma.$disconnect();
  await disconnectDb();
});

async function get(qs: string) {
  const res = await GET(new Request(`http://localhost/api/v1/recommendations?${qs}`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({}) });
  expect(res.status).toBe(200);
  return (await res.json()) as RecommendationsResponse;
}

async function orgState() {
  const [rows, org] = await Promise.all([
    prisma.priceAssumption.findMany({ where: { orgId: fleet.orgId }, orderBy: { gpuModel: "asc" } }),
    prisma.org.findUniqueOrThrow({ where: { id: fleet.orgId }, select: { settings: true, updatedAt: true } }),
  ]);
  return { rows, org };
}

describe("reading recommendations is side-effect free", () => {
  it("a GET on a fresh org writes nothing and answers the defaults' figures, marked as defaults", async () => {
    const before = await orgState();
    expect(before.rows).toEqual([]);
    const body = await get("lookback=30&include=demand");
    expect(await orgState()).toEqual(before);
    const again = await get("lookback=7");
    expect(again.defaults.gpuTypes).toEqual(["H100"]);
    // A what-if neither.
    await get(`lookback=30&inputs=${encodeURIComponent(JSON.stringify({ global: { ...DEFAULT_GLOBAL_INPUTS, pue: 1.5 } }))}`);
    expect(await orgState()).toEqual(before);

    expect(body.defaults).toEqual({ global: true, gpuTypes: ["H100"] });
    expect(body.inputs.global).toEqual(DEFAULT_GLOBAL_INPUTS);
    expect(body.inputs.gpuTypes).toEqual({ H100: defaultGpuTypeInputs("H100") });
    expect(body.inputs.gpuTypes.H100!.source).toBe("public-list-price");
    // The figures are those of the defaults, computed on the same demand.
    const expected = planToJson(planCapacity(body.demand!, { currency: "USD", global: DEFAULT_GLOBAL_INPUTS, gpuTypes: { H100: defaultGpuTypeInputs("H100") } }));
    expect(body.plan).toEqual(expected);
    expect(Number(body.plan.totals.savingsMonthly)).toBeGreaterThan(0);
  });

  it("the worker's recompute stores recommendations but no price assumptions", async () => {
    const before = await orgState();
    const result = await recomputeRecommendations(prisma, { orgId: fleet.orgId });
    expect(result.stored).toBeGreaterThan(0);
    expect(await orgState()).toEqual(before);
  });

  it("saving the inputs writes the rows, and the figures are the same as with the defaults", async () => {
    const fresh = await get("lookback=30");
    const saved = await orgActions.saveRecommendationInputs.asUser(admin)(fleet.slug, { inputs: { global: fresh.inputs.global, gpuTypes: fresh.inputs.gpuTypes }, lookbackDays: 30 });
    expect(saved.ok).toBe(true);
    const { rows, org } = await orgState();
    expect(rows.map((r) => [r.gpuModel, r.provider, r.source, Number(r.onDemandHourlyPerGpu)])).toEqual([["H100", "planning", "public-list-price", 6.88]]);
    expect((org.settings as { recommendations?: unknown }).recommendations).toEqual(DEFAULT_GLOBAL_INPUTS);
    const after = await get("lookback=30");
    expect(after.defaults).toEqual({ global: false, gpuTypes: [] });
    expect(after.inputs).toEqual(fresh.inputs);
    expect(after.plan).toEqual(fresh.plan);
  });
});
