import { expect, test } from "@playwright/test";
import { LAB_ORG, VIEWER_STATE } from "./env";
import { fixtures, query } from "./helpers";

const storedThreshold = async () =>
  (await query<{ t: string }>(`SELECT idle_threshold::text AS t FROM orgs WHERE id = $1`, [fixtures().labOrgId]))[0]!.t;

test.describe("as an admin", () => {
  test("changes the idle threshold; the saved value is there after a reload", async ({ page }) => {
    await page.goto(`/${LAB_ORG.slug}/settings?tab=organization`);
    await expect(page.getByRole("heading", { name: "Organization" })).toBeVisible();
    const field = page.getByLabel("Idle threshold (% GPU utilization)");
    const original = await field.inputValue();
    const next = original === "12.5" ? "7.5" : "12.5";
    await field.fill(next);
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Idle threshold is now ${next}%` })).toBeVisible();
    expect(Number(await storedThreshold())).toBe(Number(next) / 100);

    await page.reload();
    await expect(page.getByLabel("Idle threshold (% GPU utilization)")).toHaveValue(next);
    // the org has bills: its reporting currency is fixed
    await expect(page.getByLabel("Reporting currency")).toHaveAttribute("readonly", "");
    await expect(page.getByText("Fixed: bills have been imported in this currency.")).toBeVisible();

    // an out-of-range value is refused by the form and nothing is saved
    await page.getByLabel("Idle threshold (% GPU utilization)").fill("150");
    await page.getByRole("button", { name: "Save settings" }).click();
    expect(Number(await storedThreshold())).toBe(Number(next) / 100);

    // put it back for the viewer spec (through the same form)
    await page.getByLabel("Idle threshold (% GPU utilization)").fill(original);
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Idle threshold is now ${original}%` })).toBeVisible();
    expect(Number(await storedThreshold())).toBe(Number(original) / 100);
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: VIEWER_STATE });

  test("sees the organization settings read-only", async ({ page }) => {
    await page.goto(`/${LAB_ORG.slug}/settings?tab=organization`);
    await expect(page.getByText("Only admins can change these settings.")).toBeVisible();
    const pct = Number(await storedThreshold()) * 100;
    await expect(page.getByTestId("idle-threshold-value")).toHaveText(`${Math.round(pct * 100) / 100}% GPU utilization`);
    await expect(page.getByRole("button", { name: "Save settings" })).toHaveCount(0);
    await expect(page.getByLabel("Idle threshold (% GPU utilization)")).toHaveCount(0);
  });
});
