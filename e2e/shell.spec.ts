import { expect, test } from "@playwright/test";
import { DEMO, OTHER_ORG, SECOND_ORG } from "./env";

test("the org switcher lists the user's orgs and switches", async ({ page }) => {
  await page.goto(`/${DEMO.slug}/overview`);
  const switcher = page.getByTestId("org-switcher");
  await switcher.locator("summary").click();
  const list = page.getByRole("navigation", { name: "Organizations" });
  await expect(list.getByRole("link", { name: /Demo AI Inc\./ })).toBeVisible();
  await expect(list.getByRole("link", { name: new RegExp(SECOND_ORG.name) })).toBeVisible();
  await expect(list).not.toContainText(OTHER_ORG.name);
  await list.getByRole("link", { name: new RegExp(SECOND_ORG.name) }).click();
  await expect(page).toHaveURL(new RegExp(`/${SECOND_ORG.slug}/overview$`));
  await expect(page.getByTestId("overview-empty")).toContainText("No bills yet — connect a data source or run npx burnrate seed --demo");
  await expect(switcher.locator("summary")).toContainText(SECOND_ORG.name);
});

test("navigation works by keyboard", async ({ page }) => {
  await page.goto(`/${DEMO.slug}/overview`);
  // Skip link first, then the header controls in order, until the Settings link has focus.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  const settings = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" });
  // Bounded by the header controls: brand, org switcher and every Main nav link before Settings.
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press("Tab");
    if (await settings.evaluate((el) => el === document.activeElement)) break;
  }
  await expect(settings).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/${DEMO.slug}/settings$`));
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
  await expect(settings).toHaveAttribute("aria-current", "page");

  // The org switcher opens with the keyboard too.
  await page.getByTestId("org-switcher").locator("summary").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("navigation", { name: "Organizations" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("navigation", { name: "Organizations" })).toBeHidden();
});

test("Create organization makes a new org and lands on it", async ({ page }) => {
  await page.goto(`/${DEMO.slug}/overview`);
  await page.getByTestId("org-switcher").locator("summary").click();
  await page.getByRole("link", { name: "+ Create organization" }).click();
  await expect(page).toHaveURL(/\/orgs\/new$/);
  const suffix = Math.random().toString(36).slice(2, 8);
  await page.getByLabel("Name").fill(`E2E Created Lab ${suffix}`);
  await expect(page.getByLabel("Address")).toHaveValue(`e2e-created-lab-${suffix}`);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/e2e-created-lab-${suffix}/overview$`));
  await expect(page.getByTestId("org-switcher").locator("summary")).toContainText(`E2E Created Lab ${suffix}`);
});
