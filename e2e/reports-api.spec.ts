// GET /api/v1/reports/gpu-hours over HTTP against the production build: no credentials at all is a 401,
// a key that is not one is a 401, an org-A API key naming org B is a 404 without B's data, and the same
// key without a name serves org A's report, whose totals match the database.
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { BASE_URL } from "./env";
import { fixtures, query } from "./helpers";

const SIGNED_OUT = { cookies: [], origins: [] };

async function expectJsonError(res: APIResponse, status: number, code: string) {
  expect(res.status()).toBe(status);
  expect(res.headers()["content-type"]).toMatch(/^application\/json/);
  const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error?.code).toBe(code);
  expect(typeof body.error?.message).toBe("string");
  expect((body.error?.message as string).length).toBeGreaterThan(0);
  return body;
}

/** The demo org's telemetry window (whole hours), from the database. */
async function demoWindow() {
  const [w] = await query<{ from: Date; to: Date }>(
    `SELECT min(h.hour) AS from, max(h.hour) + interval '1 hour' AS to FROM gpu_hourly h JOIN orgs o ON o.id = h.org_id WHERE o.slug = 'demo'`,
  );
  return { from: w!.from.toISOString(), to: w!.to.toISOString() };
}

async function signedOut(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }, headers: Record<string, string> = {}) {
  return playwright.request.newContext({ baseURL: BASE_URL, storageState: SIGNED_OUT, extraHTTPHeaders: headers });
}

test("no credentials at all: 401 with the JSON error, whatever org is named", async ({ playwright }) => {
  const api = await signedOut(playwright);
  const { from, to } = await demoWindow();
  const other = fixtures().other.slug;
  for (const url of [
    `/api/v1/reports/gpu-hours?from=${from}&to=${to}`,
    `/api/v1/reports/gpu-hours?from=${from}&to=${to}&org=demo`,
    `/api/v1/reports/gpu-hours?from=${from}&to=${to}&org=${other}`,
    `/api/v1/reports/gpu-hours?from=${from}&to=${to}&format=csv`,
  ]) {
    const res = await api.get(url, { maxRedirects: 0 });
    const body = await expectJsonError(res, 401, "unauthorized");
    expect(JSON.stringify(body)).not.toContain("gpuHours");
  }
  await api.dispose();
});

test("a bearer token that is no API key: 401", async ({ playwright }) => {
  const api = await signedOut(playwright, { authorization: "Bearer br_not-a-real-key-0123456789" });
  const { from, to } = await demoWindow();
  await expectJsonError(await api.get(`/api/v1/reports/gpu-hours?from=${from}&to=${to}`, { maxRedirects: 0 }), 401, "unauthorized");
  await api.dispose();
});

test("an org-A API key asking for org B's GPU-hours: 404 and nothing of B; unnamed, it serves org A", async ({ playwright }) => {
  const f = fixtures();
  const api = await signedOut(playwright, { authorization: `Bearer ${f.demoApiKey}` });
  const { from, to } = await demoWindow();
  for (const [url, headers] of [
    [`/api/v1/reports/gpu-hours?from=${from}&to=${to}&org=${f.other.slug}`, {}],
    [`/api/v1/reports/gpu-hours?from=${from}&to=${to}`, { "x-burnrate-org": f.other.slug }],
  ] as const) {
    const res = await api.get(url, { headers, maxRedirects: 0 });
    const body = await expectJsonError(res, 404, "not_found");
    const text = JSON.stringify(body).toLowerCase();
    for (const secret of f.other.secrets) expect(text).not.toContain(secret.toLowerCase());
  }

  const res = await api.get(`/api/v1/reports/gpu-hours?from=${from}&to=${to}`, { maxRedirects: 0 });
  expect(res.status()).toBe(200);
  const report = (await res.json()) as { report: string; window: { from: string; to: string }; totals: { gpuHours: number; gapGpuHours: number } };
  expect(report.report).toBe("gpu-hours");
  const [db] = await query<{ gpu_hours: number; gap: number }>(
    `SELECT sum(h.gpu_hours)::float8 AS gpu_hours, coalesce(sum(h.gpu_hours) FILTER (WHERE h.utilization IS NULL), 0)::float8 AS gap
     FROM gpu_hourly h WHERE h.org_id = $1 AND h.hour >= $2 AND h.hour < $3`,
    [f.demoOrgId, from, to],
  );
  expect(db!.gpu_hours).toBeGreaterThan(0);
  expect(report.totals.gpuHours).toBeCloseTo(db!.gpu_hours, 6);
  expect(report.totals.gapGpuHours).toBeCloseTo(db!.gap, 6);
  await api.dispose();
});
