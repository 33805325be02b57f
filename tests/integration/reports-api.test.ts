// GET /api/v1/reports/{kind} (JSON and CSV, validation, tenancy) and `burnrate report` as a real
// process, on the scenario fleet of reports-scenario.fixture.ts: all three answer with the same numbers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, disconnectDb } from "@/lib/db/client";
import { createApiKey } from "@/lib/auth/api-keys";
import { createOrg } from "@/lib/orgs/create-org";
import { runReport } from "@/lib/costs/run-report";
import { GET } from "@/app/api/v1/reports/[report]/route";
import { buildScenario, FROM, TO, type Scenario } from "./reports-scenario.fixture";
import { runCli } from "../support/cli";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
let s: Scenario;
let key: string;
let otherKey: string;

beforeAll(async () => {
  s = await buildScenario(prisma, "reports-api");
  key = (await createApiKey(prisma, { orgId: s.orgId, name: "reports", role: "VIEWER" })).key;
  const other = await createOrg(prisma, { slug: `reports-other-${s.slug.slice(-8)}`, name: "Other tenant" });
  otherKey = (await createApiKey(prisma, { orgId: other.id, name: "other", role: "VIEWER" })).key;
});
afterAll(async () => {
  await prisma.$disconnect();
  await disconnectDb();
});

const window = `from=${FROM.toISOString()}&to=${TO.toISOString()}`;

async function get(kind: string, qs: string, token = key) {
  const req = new Request(`http://localhost/api/v1/reports/${kind}?${qs}`, { headers: { authorization: `Bearer ${token}` } });
  return GET(req, { params: Promise.resolve({ report: kind }) });
}

describe("GET /api/v1/reports/{kind}", () => {
  it("answers the gpu-hours report as { rows, totals } with money as decimal strings, equal to runReport", async () => {
    const res = await get("gpu-hours", `${window}&groupBy=pricingCategory`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.totals).toMatchObject({ currency: "USD", gpuHours: 272, cost: "831.52", costPerGpuHour: "3.779636" });
    expect(body.rows.map((r: { pricingCategory: string }) => r.pricingCategory)).toEqual(["committed", "on-prem", "spot", "unpriced"]);
    const direct = await runReport(prisma, {
      orgId: s.orgId,
      kind: "gpu-hours",
      query: { from: FROM, to: TO, groupBy: ["pricingCategory"], filters: {}, costBasis: "effective" },
    });
    expect(body).toEqual(JSON.parse(JSON.stringify(direct)));
  });

  it("answers every report kind with the issue's field names", async () => {
    const fields: Record<string, string[]> = {
      "gpu-hours": ["gpuHours", "cost", "costPerGpuHour", "usefulGpuHours", "costPerUsefulGpuHour", "idleGpuHours", "idleCost", "unusedCapacityCost", "meanUtilization"],
      "training-runs": ["runId", "gpuHours", "durationHours", "meanUtilization", "cost", "costPerUsefulGpuHour", "energyKwh"],
      inference: ["service", "inferences", "tokens", "cost", "costPer1kInferences", "costPer1mTokens", "p95LatencyMs"],
      idle: ["team", "idleGpuHours", "idleCost"],
    };
    for (const [kind, names] of Object.entries(fields)) {
      const res = await get(kind, `${window}${kind === "idle" ? "&groupBy=team" : ""}`);
      expect(res.status, kind).toBe(200);
      const body = await res.json();
      expect(body.rows.length, kind).toBeGreaterThan(0);
      for (const n of names) expect(body.rows[0], `${kind}.${n}`).toHaveProperty(n);
      expect(body).toHaveProperty("totals");
    }
  });

  it("filters and the billed cost basis", async () => {
    const res = await get("gpu-hours", `${window}&cluster=dc1&costBasis=billed`);
    expect((await res.json()).totals).toMatchObject({ gpuHours: 104, cost: "104" });
    const runs = await (await get("training-runs", `${window}&team=vision`)).json();
    expect(runs.rows.map((r: { runId: string }) => r.runId)).toEqual(["vit-02"]);
  });

  it("exports CSV: a header row and the same numbers as the JSON", async () => {
    const res = await get("gpu-hours", `${window}&groupBy=team&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="burnrate-gpu-hours-20260109T22-20260112T02.csv"');
    const lines = (await res.text()).trimEnd().split("\r\n");
    const header = lines[0]!.split(",");
    expect(header.slice(0, 4)).toEqual(["team", "currency", "gpuHours", "unpricedGpuHours"]);
    const json = await (await get("gpu-hours", `${window}&groupBy=team`)).json();
    expect(lines).toHaveLength(json.rows.length + 1);
    const csvRows = lines.slice(1).map((l) => Object.fromEntries(l.split(",").map((v, i) => [header[i], v])));
    for (const [i, row] of json.rows.entries()) {
      expect(csvRows[i]!.team).toBe(row.team);
      expect(csvRows[i]!.cost).toBe(row.cost ?? "");
      expect(Number(csvRows[i]!.gpuHours)).toBe(row.gpuHours);
    }
    const unattributed = csvRows.find((r) => r.team === "unattributed")!;
    expect(unattributed).toMatchObject({ gpuHours: "132", unpricedGpuHours: "52", cost: "80", costPerGpuHour: "1" });
  });

  it("rejects bad input with 422 and the parameter's path", async () => {
    const cases: Array<[string, string, string]> = [
      ["gpu-hours", `from=2026-01-09T22:30:00Z&to=${TO.toISOString()}`, "from"],
      ["gpu-hours", `from=yesterday&to=${TO.toISOString()}`, "from"],
      ["gpu-hours", `from=${TO.toISOString()}&to=${FROM.toISOString()}`, "to"],
      ["gpu-hours", `${window}&groupBy=node`, "groupBy"],
      ["gpu-hours", `${window}&costBasis=list`, "costBasis"],
      ["gpu-hours", `${window}&groupby=team`, ""],
      ["training-runs", `${window}&groupBy=team`, "groupBy"],
      ["inference", `${window}&gpuModel=H100`, "gpuModel"],
      ["idle", `to=${TO.toISOString()}`, "from"],
    ];
    for (const [kind, qs, field] of cases) {
      const res = await get(kind, qs);
      expect(res.status, qs).toBe(422);
      const body = await res.json();
      expect(body.error.code).toBe("unprocessable");
      expect(body.error.details.map((d: { path: string }) => d.path), qs).toContain(field);
    }
  });

  it("is org-scoped: 401 for a bad key, 404 for an unknown report, another org's key sees only its own (empty) org", async () => {
    // (No credentials at all means a session lookup, which needs Next's request scope: e2e covers it.)
    expect((await get("gpu-hours", window, "br_nope_nope")).status).toBe(401);
    expect((await get("costs", window)).status).toBe(404);
    const other = await (await get("gpu-hours", window, otherKey)).json();
    expect(other.totals).toMatchObject({ gpuHours: 0, cost: "0" });
    expect(other.rows).toEqual([]);
    // naming this org with the other org's key is a not-found, never a switch
    expect((await get("gpu-hours", `${window}&org=${s.slug}`, otherKey)).status).toBe(404);
  });
});

const cli = runCli;

describe("burnrate report (CLI)", () => {
  it("prints the same JSON as the API, for each kind", async () => {
    for (const [kind, extra] of [["gpu-hours", ["--group-by", "team"]], ["inference", []]] as const) {
      const r = await cli(["report", kind, "--org", s.slug, "--from", FROM.toISOString(), "--to", TO.toISOString(), ...extra, "--json"]);
      expect(r.code, r.stderr).toBe(0);
      const api = await (await get(kind, `${window}${extra.length ? "&groupBy=team" : ""}`)).json();
      expect(JSON.parse(r.stdout)).toEqual(api);
    }
  });

  it("takes filters and the billed basis as flags, and prints a table or CSV for people", async () => {
    const r = await cli(["report", "gpu-hours", "--org", s.slug, "--from", FROM.toISOString(), "--to", TO.toISOString(), "--cluster", "dc1", "--cost-basis", "billed", "--json"]);
    expect(JSON.parse(r.stdout).totals).toMatchObject({ gpuHours: 104, cost: "104" });
    const table = await cli(["report", "training-runs", "--org", s.slug, "--from", FROM.toISOString(), "--to", TO.toISOString()]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/llm-sft-01 .* 33 /);
    const csv = await cli(["report", "idle", "--org", s.slug, "--from", FROM.toISOString(), "--to", TO.toISOString(), "--group-by", "cluster", "--csv"]);
    expect(csv.stdout.split("\r\n")[0]).toBe("cluster,currency,idleGpuHours,idleCost,unpricedIdleGpuHours,idleShare,gpuHours,unpricedGpuHours,knownUtilizationGpuHours,unusedCapacityCost");
  });

  it("exits 2 with the flag named on bad input, 1 for an unknown org", async () => {
    const bad = await cli(["report", "gpu-hours", "--org", s.slug, "--from", "2026-01-09T22:30:00Z", "--to", TO.toISOString(), "--json"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--from must be a whole UTC hour");
    const kind = await cli(["report", "costs", "--org", s.slug, "--from", FROM.toISOString(), "--to", TO.toISOString()]);
    expect(kind.code).toBe(2);
    const org = await cli(["report", "idle", "--org", "no-such-org", "--from", FROM.toISOString(), "--to", TO.toISOString(), "--json"]);
    expect(org.code).toBe(1);
    expect(JSON.parse(org.stdout).error.message).toBe('No organization with slug "no-such-org"');
  });
});
