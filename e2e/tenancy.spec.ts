// Every org-scoped API route, discovered from the file system, refuses a member of org A who names
// org B (by ?org= or x-burnrate-org) or uses B's object ids: 403/404, no B data in the body, and B's
// rows unchanged. An org-A API key that names org B gets a 404.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { BASE_URL } from "./env";
import { fixtures, query } from "./helpers";

// Contexts made inside a test inherit the project's storageState unless told otherwise.
const SIGNED_OUT = { cookies: [], origins: [] };

type Route = { template: string; methods: string[] };

function discoverRoutes(dir = path.join(__dirname, "../app/api/v1")): Route[] {
  const out: Route[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...discoverRoutes(full));
    else if (entry.name === "route.ts") {
      const src = readFileSync(full, "utf8");
      const methods = new Set<string>();
      for (const m of src.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]!);
      for (const m of src.matchAll(/export\s*\{([^}]*)\}/g)) for (const a of m[1]!.matchAll(/as\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(a[1]!);
      const rel = path.relative(path.join(__dirname, ".."), path.dirname(full)).split(path.sep).join("/");
      out.push({ template: `/${rel.replace(/^app\//, "")}`, methods: [...methods] });
    }
  }
  return out;
}

const routes = discoverRoutes();
/** A body that would pass validation, so a refusal is about tenancy, not input. */
const BODY = { name: "tenancy-probe", role: "VIEWER", email: "probe@e2e.test", membershipId: "x", invitationId: "x", keyId: "x" };

function urlsFor(template: string): string[] {
  const f = fixtures();
  const ids = [...f.other.membershipIds, ...f.other.invitationIds, ...f.other.apiKeyIds];
  if (!/\[[^\]]+\]/.test(template)) return [template];
  // Each dynamic segment gets each of B's object ids (and B's slug for [org]).
  return ids.map((id) => template.replace(/\[org\]/g, f.other.slug).replace(/\[\.{0,3}[^\]]+\]/g, id));
}

async function snapshotB() {
  const { orgId } = fixtures().other;
  const rows = await query(
    `SELECT json_build_object(
       'org', (SELECT row_to_json(o) FROM orgs o WHERE id = $1),
       'memberships', (SELECT json_agg(m ORDER BY m.id) FROM memberships m WHERE org_id = $1),
       'invitations', (SELECT json_agg(i ORDER BY i.id) FROM invitations i WHERE org_id = $1),
       'keys', (SELECT json_agg(json_build_object('id', k.id, 'name', k.name, 'role', k.role, 'revoked_at', k.revoked_at) ORDER BY k.id) FROM api_keys k WHERE org_id = $1)
     ) AS s`,
    [orgId],
  );
  return JSON.stringify(rows[0]);
}

async function send(api: APIRequestContext, method: string, url: string, headers: Record<string, string>) {
  return api.fetch(url, { method, headers, data: method === "GET" || method === "DELETE" ? undefined : BODY, maxRedirects: 0 });
}

function expectNoLeak(body: string) {
  for (const secret of fixtures().other.secrets) expect(body.toLowerCase(), `leaked "${secret}"`).not.toContain(secret.toLowerCase());
}

test("route discovery finds the org-scoped API", () => {
  const templates = routes.map((r) => r.template);
  expect(templates).toEqual(expect.arrayContaining(["/api/v1/overview", "/api/v1/members", "/api/v1/api-keys", "/api/v1/api-keys/[id]"]));
  for (const r of routes) expect(r.methods.length, r.template).toBeGreaterThan(0);
});

test("a session of org A naming org B gets 403/404 on every route and method, and B is unchanged", async ({ page }) => {
  const b = fixtures().other;
  const before = await snapshotB();
  let checked = 0;
  for (const r of routes) {
    for (const url of urlsFor(r.template)) {
      for (const method of r.methods) {
        for (const [label, target, headers] of [
          ["?org=", `${url}?org=${b.slug}`, {}],
          ["x-burnrate-org", url, { "x-burnrate-org": b.slug }],
        ] as const) {
          const res = await send(page.request, method, target, headers);
          expect([403, 404], `${method} ${target} (${label}) → ${res.status()}`).toContain(res.status());
          expectNoLeak(await res.text());
          checked++;
        }
      }
    }
  }
  expect(checked).toBeGreaterThan(8);
  expect(await snapshotB()).toBe(before);
});

test("org A's own org with B's object ids is a 404", async ({ page }) => {
  const before = await snapshotB();
  for (const r of routes.filter((x) => /\[/.test(x.template))) {
    for (const url of urlsFor(r.template)) {
      for (const method of r.methods) {
        const res = await send(page.request, method, url, { "x-burnrate-org": "demo" });
        expect([403, 404], `${method} ${url}`).toContain(res.status());
        expectNoLeak(await res.text());
      }
    }
  }
  expect(await snapshotB()).toBe(before);
});

test("an org-A API key naming org B is a 404; without a name it serves org A", async ({ playwright }) => {
  const f = fixtures();
  const before = await snapshotB();
  const api = await playwright.request.newContext({
    baseURL: BASE_URL,
    storageState: SIGNED_OUT,
    extraHTTPHeaders: { authorization: `Bearer ${f.demoApiKey}` },
  });
  for (const r of routes) {
    for (const url of urlsFor(r.template)) {
      for (const method of r.methods) {
        for (const [target, headers] of [
          [`${url}?org=${f.other.slug}`, {}],
          [url, { "x-burnrate-org": f.other.slug }],
        ] as const) {
          const res = await send(api, method, target, headers);
          expect(res.status(), `${method} ${target}`).toBe(404);
          expectNoLeak(await res.text());
        }
      }
    }
  }
  const own = await api.get("/api/v1/overview");
  expect(own.status()).toBe(200);
  await api.dispose();
  expect(await snapshotB()).toBe(before);
});

test("without a session or key every route is a 401", async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: BASE_URL, storageState: SIGNED_OUT });
  for (const r of routes) {
    for (const url of urlsFor(r.template)) {
      for (const method of r.methods) {
        const res = await send(api, method, `${url}?org=${fixtures().other.slug}`, {});
        expect(res.status(), `${method} ${url}`).toBe(401);
      }
    }
  }
  await api.dispose();
});
