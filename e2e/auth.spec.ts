import { expect, test } from "@playwright/test";
import { DEMO } from "./env";
import { signInThroughUi } from "./helpers";

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("an org page redirects to sign-in, which returns there", async ({ page }) => {
    await page.goto(`/${DEMO.slug}/settings`);
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdemo%2F/);
    await page.getByLabel("Email").fill(DEMO.email);
    await page.getByLabel("Password").fill(DEMO.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/demo\/overview$/);
  });

  test("the sign-in form works by keyboard alone, and sign-out ends the session", async ({ page }) => {
    await page.goto("/signin");
    await expect(page.getByLabel("Email")).toBeFocused();
    await page.keyboard.type(DEMO.email);
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Password")).toBeFocused();
    await page.keyboard.type(DEMO.password);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/demo\/overview$/);
    await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();

    await page.getByTestId("user-menu").locator("summary").click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto(`/${DEMO.slug}/overview`);
    await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  });

  test("a wrong password is refused with a message", async ({ page }) => {
    await signInThroughUi(page, DEMO.email, "not-the-password");
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
    await expect(page).toHaveURL(/\/signin/);
  });

  test("/ sends a signed-out visitor to sign-in", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin$/);
  });
});

test.describe("signed in", () => {
  test("/ goes to the first org's overview", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/[a-z0-9-]+\/overview$/);
  });

  test("another org's pages are a 404 for a non-member", async ({ page }) => {
    for (const path of ["/e2e-other/overview", "/e2e-other/settings", "/no-such-org/overview"]) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await expect(page.locator("body")).not.toContainText("Othercorp");
    }
  });
});

test.describe("sign-up", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("creates an account and an org, signs in, and lands on its empty overview", async ({ page }) => {
    const suffix = Math.random().toString(36).slice(2, 8);
    await page.goto("/signin");
    await page.getByRole("link", { name: "Create an account" }).click();
    await expect(page).toHaveURL(/\/signup$/);
    await page.getByLabel("Your name").fill("Sam Signup");
    await page.getByLabel("Work email").fill(`sam-${suffix}@e2e.test`);
    await page.getByLabel("Password", { exact: true }).fill("sam-password-123");
    await page.getByLabel("Organization name").fill(`Sam Labs ${suffix}`);
    await expect(page.getByLabel("Organization address")).toHaveValue(`sam-labs-${suffix}`);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(new RegExp(`/sam-labs-${suffix}/overview$`));
    await expect(page.getByTestId("overview-empty")).toBeVisible();
    await page.goto(`/sam-labs-${suffix}/settings`);
    await expect(page.getByLabel(`Role of sam-${suffix}@e2e.test`)).toHaveValue("ADMIN");
  });
});
