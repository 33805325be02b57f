// Settings → Audit log: an admin action just taken is listed with its actor, action, target and a
// time in the browser's locale with its UTC offset; the table sorts and exports CSV; viewers have no
// such tab and the API refuses them.
import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { DEMO, VIEWER_STATE } from "./env";
import { downloadCsv } from "./dashboard-helpers";

test.describe("as an admin", () => {
  test.use({ locale: "de-DE", timezoneId: "Europe/Berlin" });

  test("the audit log lists an API key just created, with actor, target and local time", async ({ page }) => {
    const name = `e2e-audit-${randomBytes(3).toString("hex")}`;
    await page.goto(`/${DEMO.slug}/settings?tab=api-keys`);
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Role").selectOption("VIEWER");
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByTestId("new-api-key-value")).toBeVisible();

    await page.getByRole("link", { name: "Audit log" }).click();
    const table = page.getByTestId("audit-table");
    const row = table.getByRole("row").filter({ hasText: name });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("api_key.create");
    await expect(row).toContainText(DEMO.email);
    // de-DE date with the Berlin offset (GMT+01:00 in winter, GMT+02:00 in summer)
    await expect(row.locator("time")).toHaveText(/\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2} GMT\+0[12]:00/);

    // newest first by default; the CSV holds the entry with its ISO time
    await expect(table.getByRole("row").nth(1)).toContainText(name);
    const csv = await downloadCsv(page, table);
    const entry = csv.find((r) => r.target?.includes(name));
    expect(entry).toMatchObject({ action: "api_key.create", actor: DEMO.email });
    expect(entry!.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: VIEWER_STATE });

  test("there is no audit log tab, and the API refuses", async ({ page }) => {
    await page.goto(`/${DEMO.slug}/settings?tab=audit`);
    await expect(page.getByRole("navigation", { name: "Settings sections" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Audit log" })).toHaveCount(0);
    await expect(page.getByTestId("audit-table")).toHaveCount(0);
    const res = await page.request.get("/api/v1/audit", { headers: { "x-burnrate-org": DEMO.slug } });
    expect(res.status()).toBe(403);
  });
});
