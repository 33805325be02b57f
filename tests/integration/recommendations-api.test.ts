// GET /api/v1/recommendations (plan, what-if inputs, validation, tenancy), `burnrate recommend --json`
// as a real process, and the recommendation actions used by an org's own members.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orgActions } from "@/lib/actions";
import { createApiKey } from "@/lib/auth/api-keys";
import type { SessionUser } from "@/lib/auth/session";
import { createPrisma, disconnectDb } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import type { RecommendationsResponse } from "@/lib/recommendations/api-types";
import { planCapacity, planToJson } from "@/lib/recommendations/plan";
import { recomputeRecommendations } from "@/lib/recommendations/run";
import { GET } from "@/app/api/v1/recommendations/route";
import { buildRecsFleet, HOURS } from "./recommendations.fixture";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const root = path.resolve(__dirname, "../..");
const exec = promisify(execFile);
// Recent data, so the CLI's (and the route's) real clock finds it in the lookback.
const START = Math.floor(Date.now() / 3_600_000) * 3_600_000 - (HOURS + 2) * 3_600_000;
let fleet: Awaited<ReturnType<typeof buildRecsFleet>>;
let key: string;
let otherKey: string;
let admin: SessionUser;

beforeAll(async () => {
  const u = await prisma.user.create({ data: { email: `recs-admin-${Date.now()}@x.test`, name: "Rec Admin" } });
  admin = { id: u.id, email: u.email, name: u.name };
  fleet = await buildRecsFleet(prisma, { start: START, slugPrefix: "recs-api", adminUserId: u.id });
  key = (await createApiKey(prisma, { orgId: fleet.orgId, name: "recs", role: "VIEWER" })).key;
  const other = await createOrg(prisma, { slug: `recs-other-${fleet.slug.slice(-8)}`, name: "Other tenant" });
  otherKey = (await createApiKey(prisma, { orgId: other.id, name: "other", role: "VIEWER" })).key;
  await recomputeRecommendations(prisma, { orgId: fleet.orgId });
});
afterAll(async () => {
  await prisma.$disconnect();
  await disconnectDb();
});

async function get(qs: string, token = key) {
  return GET(new Request(`http://localhost/api/v1/recommendations?${qs}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({}) });
}

describe("GET /api/v1/recommendations", () => {
  it("answers the plan computed from the org's demand and inputs, and the stored recommendations", async () => {
    const res = await get("lookback=30&include=demand");
    expect(res.status).toBe(200);
    const body = (await res.json()) as RecommendationsResponse;
    expect(body.window?.hours).toBe(HOURS);
    expect(body.whatIf).toBe(false);
    expect(body.inputs.gpuTypes.H100?.source).toBe("public-list-price");
    // The same pure function on the returned demand and inputs gives the returned plan.
    expect(body.plan).toEqual(planToJson(planCapacity(body.demand!, body.inputs)));
    expect(typeof body.plan.totals.savingsMonthly).toBe("string");
    const kinds = new Set(body.recommendations.map((r) => r.kind));
    for (const k of ["capacity-split", "reclaim-idle", "starved-training", "consolidate-inference"]) expect(kinds).toContain(k);
    expect(body.recommendations.every((r) => /^\d+\.\d{2}$/.test(r.monthlySavings))).toBe(true);
  });

  it("recomputes a what-if from given inputs without saving them", async () => {
    const base = (await (await get("lookback=30&include=demand")).json()) as RecommendationsResponse;
    const inputs = { global: { ...base.inputs.global, onPremEnabled: false, allowedTerms: ["1y_no_upfront"] }, gpuTypes: { H100: { ...base.inputs.gpuTypes.H100!, onDemandHourly: 12 } } };
    const res = await get(`lookback=30&inputs=${encodeURIComponent(JSON.stringify(inputs))}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as RecommendationsResponse;
    expect(body.whatIf).toBe(true);
    expect(body.plan).toEqual(planToJson(planCapacity(base.demand!, { currency: base.inputs.currency, ...inputs } as never)));
    expect(body.plan.splits[0]!.onPrem.gpus).toBe(0);
    expect(body.plan.splits[0]!.commitment?.term).toBe("1y_no_upfront");
    // Nothing saved: neither the what-if nor the defaults.
    expect(await prisma.priceAssumption.count({ where: { orgId: fleet.orgId } })).toBe(0);
  });

  it("rejects bad input with 422 and the field path", async () => {
    const bad = await get(`inputs=${encodeURIComponent(JSON.stringify({ global: { pue: 0.5 } }))}`);
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain("global");
    expect((await get("lookback=14")).status).toBe(422);
    expect((await get("inputs=not-json")).status).toBe(422);
  });

  it("scopes to the key's org: another org's key sees none of this org's recommendations", async () => {
    const res = await get("lookback=30", otherKey);
    expect(res.status).toBe(200);
    const body = (await res.json()) as RecommendationsResponse;
    expect(body.recommendations).toEqual([]);
    expect(body.plan.splits).toEqual([]);
    expect((await get("lookback=30", "br_nope")).status).toBe(401);
  });
});

describe("burnrate recommend", () => {
  it("prints the same plan as the API, as JSON", async () => {
    const { stdout } = await exec(path.join(root, "node_modules/.bin/tsx"), ["lib/cli/main.ts", "recommend", "--org", fleet.slug, "--lookback", "30", "--json"], {
      cwd: root,
      env: { ...process.env },
      timeout: 60_000,
    });
    const cli = JSON.parse(stdout) as RecommendationsResponse;
    const api = (await (await get("lookback=30")).json()) as RecommendationsResponse;
    expect(cli.plan).toEqual(api.plan);
    expect(cli.recommendations.map((r) => r.id).sort()).toEqual(api.recommendations.map((r) => r.id).sort());
  });

  it("refuses an unknown lookback with a usage error (exit 2)", async () => {
    await expect(exec(path.join(root, "node_modules/.bin/tsx"), ["lib/cli/main.ts", "recommend", "--org", fleet.slug, "--lookback", "14"], { cwd: root, env: { ...process.env } })).rejects.toMatchObject({ code: 2 });
  });
});

describe("recommendation actions in the org", () => {
  it("accepts, and dismisses only with a reason", async () => {
    const [a, b] = await prisma.recommendation.findMany({ where: { orgId: fleet.orgId, status: "OPEN" }, orderBy: { fingerprint: "asc" }, take: 2 });
    const accepted = await orgActions.acceptRecommendation.asUser(admin)(fleet.slug, { recommendationId: a!.id });
    expect(accepted.ok).toBe(true);
    expect((await prisma.recommendation.findUniqueOrThrow({ where: { id: a!.id } })).status).toBe("ACCEPTED");
    const noReason = await orgActions.dismissRecommendation.asUser(admin)(fleet.slug, { recommendationId: b!.id, reason: "" });
    expect(noReason.ok).toBe(false);
    if (!noReason.ok) expect(noReason.error.status).toBe(422);
    const dismissed = await orgActions.dismissRecommendation.asUser(admin)(fleet.slug, { recommendationId: b!.id, reason: "we need the headroom" });
    expect(dismissed.ok).toBe(true);
    expect(await prisma.recommendation.findUniqueOrThrow({ where: { id: b!.id } })).toMatchObject({ status: "DISMISSED", dismissReason: "we need the headroom" });
  });

  it("saves inputs (marked as the user's) and a scenario with a result computed on the server", async () => {
    const base = (await (await get("lookback=30")).json()) as RecommendationsResponse;
    const inputs = { global: base.inputs.global, gpuTypes: { H100: { ...base.inputs.gpuTypes.H100!, onDemandHourly: 7.5, source: "user" } } };
    const saved = await orgActions.saveRecommendationInputs.asUser(admin)(fleet.slug, { inputs, lookbackDays: 30 });
    expect(saved.ok).toBe(true);
    const pa = await prisma.priceAssumption.findFirstOrThrow({ where: { orgId: fleet.orgId, gpuModel: "H100" } });
    expect([Number(pa.onDemandHourlyPerGpu), pa.source]).toEqual([7.5, "user"]);
    const after = (await (await get("lookback=30")).json()) as RecommendationsResponse;
    expect(after.inputs.gpuTypes.H100!.onDemandHourly).toBe(7.5);

    const what = { global: { ...base.inputs.global, onPremEnabled: false }, gpuTypes: inputs.gpuTypes };
    const scen = await orgActions.saveScenario.asUser(admin)(fleet.slug, { name: "no on-prem", inputs: what, lookbackDays: 30 });
    expect(scen.ok).toBe(true);
    const row = await prisma.scenario.findFirstOrThrow({ where: { orgId: fleet.orgId, name: "no on-prem" } });
    const api = (await (await get(`lookback=30&inputs=${encodeURIComponent(JSON.stringify(what))}`)).json()) as RecommendationsResponse;
    expect((row.result as { totals: unknown }).totals).toEqual(api.plan.totals);
    const dup = await orgActions.saveScenario.asUser(admin)(fleet.slug, { name: "no on-prem", inputs: what, lookbackDays: 30 });
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.error.status).toBe(409);
  });
});
