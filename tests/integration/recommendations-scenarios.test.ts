// Saved scenarios through the API: list (inputs that differ, figures recomputed next to the current
// plan, author), one compared with the current plan per GPU type, delete by an admin or the author
// only, and tenancy: another org's key can neither read nor delete them.
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
import type { ScenarioDetailResponse, ScenarioListResponse } from "@/lib/recommendations/scenario-types";
import { GET as getRecs } from "@/app/api/v1/recommendations/route";
import { GET as listRoute } from "@/app/api/v1/recommendations/scenarios/route";
import { DELETE as deleteRoute, GET as getRoute } from "@/app/api/v1/recommendations/scenarios/[id]/route";
import { buildRecsFleet, HOURS } from "./recommendations.fixture";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const root = path.resolve(__dirname, "../..");
const exec = promisify(execFile);
const START = Math.floor(Date.now() / 3_600_000) * 3_600_000 - (HOURS + 2) * 3_600_000;
let fleet: Awaited<ReturnType<typeof buildRecsFleet>>;
let admin: SessionUser;
let lead: SessionUser;
const keys = { viewer: "", admin: "", other: "" };
let base: RecommendationsResponse;
let noPremId: string;
let cheapId: string;

const auth = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const url = (path: string) => `http://localhost/api/v1/recommendations${path}`;

async function recs(qs: string, token = keys.viewer) {
  const res = await getRecs(new Request(url(`?${qs}`), auth(token)), { params: Promise.resolve({}) });
  expect(res.status).toBe(200);
  return (await res.json()) as RecommendationsResponse;
}
async function list(token = keys.viewer) {
  return listRoute(new Request(url("/scenarios"), auth(token)), { params: Promise.resolve({}) });
}
async function one(id: string, token = keys.viewer) {
  return getRoute(new Request(url(`/scenarios/${id}`), auth(token)), { params: Promise.resolve({ id }) });
}
async function del(id: string, token: string) {
  return deleteRoute(new Request(url(`/scenarios/${id}`), { method: "DELETE", ...auth(token) }), { params: Promise.resolve({ id }) });
}

beforeAll(async () => {
  const u = await prisma.user.create({ data: { email: `scen-admin-${Date.now()}@x.test`, name: "Sam Admin" } });
  admin = { id: u.id, email: u.email, name: u.name };
  fleet = await buildRecsFleet(prisma, { start: START, slugPrefix: "recs-scen", adminUserId: u.id });
  const l = await prisma.user.create({ data: { email: `scen-lead-${Date.now()}@x.test`, name: "Lee Lead" } });
  lead = { id: l.id, email: l.email, name: l.name };
  await prisma.membership.create({ data: { orgId: fleet.orgId, userId: l.id, role: "ML_LEAD" } });
  keys.viewer = (await createApiKey(prisma, { orgId: fleet.orgId, name: "scen-viewer", role: "VIEWER" })).key;
  keys.admin = (await createApiKey(prisma, { orgId: fleet.orgId, name: "scen-admin", role: "ADMIN" })).key;
  const other = await createOrg(prisma, { slug: `scen-other-${fleet.slug.slice(-8)}`, name: "Other tenant" });
  keys.other = (await createApiKey(prisma, { orgId: other.id, name: "other", role: "ADMIN" })).key;

  base = await recs("lookback=30");
  const noPrem = await orgActions.saveScenario.asUser(admin)(fleet.slug, { name: "no on-prem", inputs: { global: { ...base.inputs.global, onPremEnabled: false }, gpuTypes: base.inputs.gpuTypes }, lookbackDays: 30 });
  expect(noPrem.ok).toBe(true);
  noPremId = noPrem.ok ? noPrem.data.id : "";
  const cheap = await orgActions.saveScenario.asUser(lead)(fleet.slug, {
    name: "cheap H100 spot",
    inputs: { global: base.inputs.global, gpuTypes: { H100: { ...base.inputs.gpuTypes.H100!, spotHourly: 1.2, source: "user" } } },
    lookbackDays: 7,
  });
  expect(cheap.ok).toBe(true);
  cheapId = cheap.ok ? cheap.data.id : "";
});
afterAll(async () => {
  await prisma.$disconnect();
  await disconnectDb();
});

describe("GET /api/v1/recommendations/scenarios", () => {
  it("lists the org's scenarios, newest first, with author, differing inputs and figures next to the current plan", async () => {
    const res = await list();
    expect(res.status).toBe(200);
    const body = (await res.json()) as ScenarioListResponse;
    expect(body.scenarios.map((s) => s.name)).toEqual(["cheap H100 spot", "no on-prem"]);
    const [cheap, noPrem] = body.scenarios;
    expect(noPrem!.createdBy).toEqual({ id: admin.id, name: "Sam Admin" });
    expect(cheap!.createdBy).toEqual({ id: lead.id, name: "Lee Lead" });
    expect(noPrem!.differences).toEqual([{ key: "global.onPremEnabled", label: "Consider on-prem", scenario: "no", current: "yes" }]);
    expect(cheap!.differences.map((d) => [d.key, d.scenario, d.current])).toEqual([
      ["lookbackDays", "7", "30"],
      ["gpuTypes.H100.spotHourly", "1.2", "2.752"],
    ]);
    // The figures are the what-if API's for the same inputs, and the current plan's.
    const whatIf = await recs(`lookback=30&inputs=${encodeURIComponent(JSON.stringify({ global: { ...base.inputs.global, onPremEnabled: false } }))}`);
    expect(noPrem!.projectedMonthly).toBe(whatIf.plan.totals.projectedMonthly);
    expect(noPrem!.savingsMonthly).toBe(whatIf.plan.totals.savingsMonthly);
    expect(noPrem!.currentPlanMonthly).toBe(base.plan.totals.projectedMonthly);
    expect(Number(noPrem!.savingsVsCurrentPlanMonthly)).toBeCloseTo(Number(base.plan.totals.projectedMonthly) - Number(whatIf.plan.totals.projectedMonthly), 1);
    expect(noPrem!.risk.onPremGpus).toBe(0);
    const upfront = whatIf.plan.splits.reduce((a, s) => a + (s.commitment && s.commitment.committedGpus > 0 ? Number(s.commitment.upfront) : 0) + Number(s.onPrem.capex), 0);
    expect(Number(noPrem!.risk.upfront)).toBeCloseTo(upfront, 1);
    // As saved: the same totals (the data has not moved since).
    expect(noPrem!.saved.projectedMonthly).toBe(noPrem!.projectedMonthly);
    const seven = await recs(`lookback=7&inputs=${encodeURIComponent(JSON.stringify({ gpuTypes: { H100: { ...base.inputs.gpuTypes.H100!, spotHourly: 1.2, source: "user" } } }))}`);
    expect(cheap!.projectedMonthly).toBe(seven.plan.totals.projectedMonthly);
    // A viewer key may read but not delete.
    expect(body.scenarios.every((s) => s.canDelete === false)).toBe(true);
    const asAdmin = (await (await list(keys.admin)).json()) as ScenarioListResponse;
    expect(asAdmin.scenarios.every((s) => s.canDelete)).toBe(true);
    // Listing writes nothing.
    expect(await prisma.priceAssumption.count({ where: { orgId: fleet.orgId } })).toBe(0);
  });

  it("answers one scenario with its full inputs and the comparison per GPU type and provider", async () => {
    const res = await one(noPremId);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ScenarioDetailResponse;
    expect(body.scenario.inputs.global.onPremEnabled).toBe(false);
    expect(body.scenario.inputs.gpuTypes).toEqual(base.inputs.gpuTypes);
    const whatIf = await recs(`lookback=30&inputs=${encodeURIComponent(JSON.stringify({ global: body.scenario.inputs.global }))}`);
    expect(body.comparison.map((r) => r.key)).toEqual(base.plan.splits.map((s) => s.key));
    for (const row of body.comparison) {
      const cur = base.plan.splits.find((s) => s.key === row.key)!;
      const scen = whatIf.plan.splits.find((s) => s.key === row.key)!;
      expect(row.current).toMatchObject({ onPremGpus: cur.onPrem.gpus, reservedGpus: cur.commitment?.committedGpus ?? 0, monthlyCost: cur.monthly.projected, savings: cur.monthly.savings, risk: cur.risk });
      expect(row.current!.spotGpus).toBeCloseTo(cur.spot.meanGpus, 9);
      expect(row.current!.onDemandGpus).toBeCloseTo(cur.onDemand.meanGpus, 9);
      expect(row.scenario).toMatchObject({ onPremGpus: 0, reservedGpus: scen.commitment?.committedGpus ?? 0, monthlyCost: scen.monthly.projected, savings: scen.monthly.savings, risk: scen.risk });
    }
    expect(base.plan.splits[0]!.onPrem.gpus).toBeGreaterThan(0);
    expect(body.totals.current.monthlyCost).toBe(base.plan.totals.projectedMonthly);
    expect(body.totals.scenario.monthlyCost).toBe(whatIf.plan.totals.projectedMonthly);
    expect((await one("no-such-id")).status).toBe(404);
  });
});

describe("tenancy", () => {
  it("another org's key lists none of them, and can neither read nor delete one", async () => {
    const res = await list(keys.other);
    expect(res.status).toBe(200);
    expect(((await res.json()) as ScenarioListResponse).scenarios).toEqual([]);
    const read = await one(noPremId, keys.other);
    expect(read.status).toBe(404);
    expect(JSON.stringify(await read.json())).not.toContain("no on-prem");
    expect((await del(noPremId, keys.other)).status).toBe(404);
    expect(await prisma.scenario.count({ where: { id: noPremId } })).toBe(1);
    // Nor by naming this org with its key.
    const named = await listRoute(new Request(url(`/scenarios?org=${fleet.slug}`), auth(keys.other)), { params: Promise.resolve({}) });
    expect(named.status).toBe(404);
  });
});

describe("burnrate recommend scenarios", () => {
  it("prints the same list as the API, as JSON", async () => {
    const { stdout } = await exec(path.join(root, "node_modules/.bin/tsx"), ["lib/cli/main.ts", "recommend", "scenarios", "--org", fleet.slug, "--json"], { cwd: root, env: { ...process.env }, timeout: 60_000 });
    const cli = JSON.parse(stdout) as ScenarioListResponse;
    const api = (await (await list(keys.admin)).json()) as ScenarioListResponse;
    expect(cli).toEqual(api);
    expect(cli.scenarios).toHaveLength(2);
  });
});

describe("delete", () => {
  it("an admin or the author only", async () => {
    expect((await del(noPremId, keys.viewer)).status).toBe(403);
    expect((await del(noPremId, "br_nope")).status).toBe(401);
    const notAuthor = await orgActions.deleteScenario.asUser(lead)(fleet.slug, { scenarioId: noPremId });
    expect(notAuthor.ok).toBe(false);
    if (!notAuthor.ok) expect(notAuthor.error.status).toBe(403);
    expect(await prisma.scenario.count({ where: { id: noPremId } })).toBe(1);
    const own = await orgActions.deleteScenario.asUser(lead)(fleet.slug, { scenarioId: cheapId });
    expect(own.ok).toBe(true);
    const byAdminKey = await del(noPremId, keys.admin);
    expect(byAdminKey.status).toBe(200);
    expect(await byAdminKey.json()).toEqual({ deleted: noPremId });
    expect((await one(noPremId)).status).toBe(404);
    expect(await prisma.scenario.count({ where: { orgId: fleet.orgId } })).toBe(0);
  });
});
