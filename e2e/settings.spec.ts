import { expect, test } from "@playwright/test";
import { BASE_URL, DEMO, VIEWER_STATE } from "./env";
import { fixtures, query } from "./helpers";

test.describe("as an admin", () => {
  test("invite a member; the link lets them create an account and join", async ({ page, browser }) => {
    const email = `newbie-${Math.random().toString(36).slice(2, 8)}@e2e.test`;
    await page.goto(`/${DEMO.slug}/settings`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Role", { exact: true }).selectOption("FINANCE");
    await page.getByRole("button", { name: "Create invitation" }).click();
    const link = page.getByTestId("invite-link").locator("code");
    await expect(link).toHaveText(new RegExp(`^${BASE_URL}/invite/[A-Za-z0-9_-]{40,}$`));
    await expect(page.locator(`[data-testid="invitation-row"][data-email="${email}"]`)).toBeVisible();
    const url = (await link.textContent())!;

    const guest = await browser.newContext({ baseURL: BASE_URL, storageState: { cookies: [], origins: [] } });
    const g = await guest.newPage();
    await g.goto(url);
    await expect(g.getByRole("heading", { name: "Join Demo AI Inc." })).toBeVisible();
    await g.getByLabel("Your name").fill("Newbie Person");
    await g.getByLabel("Choose a password").fill("a-good-password");
    await g.getByRole("button", { name: "Create account and join" }).click();
    await expect(g).toHaveURL(new RegExp(`/${DEMO.slug}/overview$`));
    await guest.close();

    const rows = await query<{ role: string }>(
      `SELECT m.role::text FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1 AND m.org_id = $2`,
      [email, fixtures().demoOrgId],
    );
    expect(rows).toEqual([{ role: "FINANCE" }]);
  });

  test("change a member's role", async ({ page }) => {
    await page.goto(`/${DEMO.slug}/settings`);
    const select = page.getByLabel("Role of change-me@e2e.test");
    await expect(select).toHaveValue("VIEWER");
    await select.selectOption("ML_LEAD");
    await expect(page.getByRole("status").filter({ hasText: "change-me@e2e.test is now ML lead" })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Role of change-me@e2e.test")).toHaveValue("ML_LEAD");
  });

  test("the last admin cannot demote themselves", async ({ page }) => {
    await page.goto(`/${DEMO.slug}/settings`);
    // In the e2e org the demo user is the only ADMIN unless the seed adds more: check, then try.
    const [{ admins }] = (await query<{ admins: number }>(`SELECT COUNT(*)::int AS admins FROM memberships WHERE org_id = $1 AND role = 'ADMIN'`, [
      fixtures().demoOrgId,
    ])) as [{ admins: number }];
    test.skip(admins !== 1, "the demo org has more than one admin");
    await page.getByLabel(`Role of ${DEMO.email}`).selectOption("VIEWER");
    await expect(page.getByRole("alert").filter({ hasText: "at least one admin" })).toBeVisible();
    await expect(page.getByLabel(`Role of ${DEMO.email}`)).toHaveValue("ADMIN");
  });

  test("create an API key: shown once, listed after, and it works", async ({ page, playwright }) => {
    const name = `e2e-created-${Math.random().toString(36).slice(2, 8)}`;
    await page.goto(`/${DEMO.slug}/settings?tab=api-keys`);
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Role").selectOption("VIEWER");
    await page.getByRole("button", { name: "Create key" }).click();
    const value = page.getByTestId("new-api-key-value");
    await expect(value).toHaveText(/^br_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{40,}$/);
    const key = (await value.textContent())!;
    await expect(page.locator(`[data-testid="api-key-row"][data-name="${name}"]`)).toContainText("Active");

    await page.reload();
    await expect(page.locator(`[data-testid="api-key-row"][data-name="${name}"]`)).toBeVisible();
    await expect(page.getByTestId("new-api-key")).toHaveCount(0);
    await expect(page.locator("body")).not.toContainText(key);

    const api = await playwright.request.newContext({
      baseURL: BASE_URL,
      storageState: { cookies: [], origins: [] },
      extraHTTPHeaders: { authorization: `Bearer ${key}` },
    });
    const res = await api.get("/api/v1/overview");
    expect(res.status()).toBe(200);
    expect(((await res.json()) as { org: { slug: string } }).org.slug).toBe(DEMO.slug);
    await api.dispose();
  });

  test("revoke an API key", async ({ page }) => {
    await page.goto(`/${DEMO.slug}/settings?tab=api-keys`);
    const row = page.locator('[data-testid="api-key-row"][data-name="e2e-revoke-me"]');
    await row.getByRole("button", { name: "Revoke e2e-revoke-me" }).click();
    await row.getByRole("button", { name: "Confirm revoke" }).click();
    await expect(row.locator(".badge")).toHaveText("Revoked");
    await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
    const [r] = await query<{ revoked: boolean }>(`SELECT revoked_at IS NOT NULL AS revoked FROM api_keys WHERE name = 'e2e-revoke-me'`);
    expect(r?.revoked).toBe(true);
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: VIEWER_STATE });

  test("members and keys are read-only, and the server refuses anyway", async ({ page }) => {
    await page.goto(`/${DEMO.slug}/settings`);
    await expect(page.getByRole("table", { name: "Members" })).toBeVisible();
    await expect(page.getByText("Only admins can invite, change roles or remove members.")).toBeVisible();
    await expect(page.getByRole("form", { name: "Invite a member" })).toHaveCount(0);
    await expect(page.getByRole("combobox")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Remove/ })).toHaveCount(0);

    await page.goto(`/${DEMO.slug}/settings?tab=api-keys`);
    await expect(page.getByRole("table", { name: "API keys" })).toBeVisible();
    await expect(page.getByText("Only admins can create or revoke API keys.")).toBeVisible();
    await expect(page.getByRole("form", { name: "Create an API key" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /Revoke/ })).toHaveCount(0);

    const create = await page.request.post("/api/v1/api-keys", { headers: { "x-burnrate-org": DEMO.slug }, data: { name: "viewer", role: "VIEWER" } });
    expect(create.status()).toBe(403);
    const keyId = (await query<{ id: string }>(`SELECT id FROM api_keys WHERE org_id = $1 AND revoked_at IS NULL LIMIT 1`, [fixtures().demoOrgId]))[0]!.id;
    const del = await page.request.delete(`/api/v1/api-keys/${keyId}`, { headers: { "x-burnrate-org": DEMO.slug } });
    expect(del.status()).toBe(403);
  });
});
