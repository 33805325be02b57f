import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { DEMO } from "./env";
import { fixtures, query } from "./helpers";

test("edit a budget: new amount and thresholds are saved and shown", async ({ page }) => {
  const name = `E2E edit ${randomBytes(3).toString("hex")}`;
  await page.goto(`/${DEMO.slug}/budgets`);
  const form = page.getByRole("form", { name: "New budget" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Amount").fill("1000");
  await form.getByRole("button", { name: "Create budget" }).click();
  await expect(page.getByRole("status")).toHaveText(`Budget "${name}" created`);
  // No reload: the list must show the new budget by itself (see the cold-server test below).

  await page.getByRole("row").filter({ hasText: name }).getByRole("button", { name: "Edit", exact: true }).click();
  const edit = page.getByRole("form", { name: "Edit budget" });
  await expect(edit.getByLabel("Name")).toHaveValue(name);
  await edit.getByLabel("Amount (USD)").fill("2500");
  await edit.getByLabel("Alert at % of budget").fill("90, 75");
  await edit.getByLabel("Alert when forecast reaches % (empty = never)").fill("");
  await edit.getByRole("button", { name: "Save budget" }).click();
  await expect(page.getByRole("status")).toHaveText(`Budget "${name}" saved`);
  await page.reload();
  await page.getByRole("button", { name, exact: true }).click();
  await expect(page.getByTestId("burn-down")).toContainText("of $2,500.00");
  const rows = await query<{ amount: string; thresholds: number[]; forecast_threshold: number | null }>(
    `SELECT amount::text, thresholds, forecast_threshold FROM budgets WHERE org_id = $1 AND name = $2`,
    [fixtures().demoOrgId, name],
  );
  expect(rows).toEqual([{ amount: "2500.00", thresholds: [75, 90], forecast_threshold: null }]);
});

/**
 * A cold server answers a list's first GET slowly, and the page's form is usable before it answers.
 * Reproduced deterministically: the first response of `url` is read from the server at once (so it
 * predates the write) and held back until `release` is called.
 */
async function holdFirstLoad(page: Page, url: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const loads = { count: 0 };
  await page.route(url, async (route) => {
    loads.count += 1;
    if (loads.count > 1) return route.continue();
    const stale = await route.fetch();
    await released;
    await route.fulfill({ response: stale }).catch(() => undefined); // the browser may have dropped it
  });
  return { release, loads };
}

/** Submits with `click` and waits for the server action's answer (sent once its transaction committed). */
async function submitAction(page: Page, click: () => Promise<void>) {
  const action = page.waitForResponse((r) => r.request().method() === "POST" && r.request().headers()["next-action"] !== undefined);
  await click();
  await action;
}

test("a budget created while the list's first load is still in flight shows up without a reload", async ({ page }) => {
  const name = `E2E cold ${randomBytes(3).toString("hex")}`;
  const hold = await holdFirstLoad(page, "**/api/v1/budgets");
  await page.goto(`/${DEMO.slug}/budgets`);
  await expect(page.getByText("Loading budgets…").first()).toBeVisible();
  const form = page.getByRole("form", { name: "New budget" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Amount").fill("1000");
  await submitAction(page, () => form.getByRole("button", { name: "Create budget" }).click());
  hold.release();
  await expect(page.getByRole("status")).toHaveText(`Budget "${name}" created`);
  await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(1);
  expect(hold.loads.count).toBeGreaterThanOrEqual(2);
});

test("edit a Slack channel: replace the webhook URL and change routing", async ({ page }) => {
  const channel = `#e2e-edit-${randomBytes(3).toString("hex")}`;
  await page.goto(`/${DEMO.slug}/settings?tab=slack`);
  const add = page.getByRole("form", { name: "Add a Slack channel" });
  await add.getByLabel("Name").fill(channel);
  await add.getByLabel("Webhook URL").fill("http://127.0.0.1:9/hooks/first-s3cret");
  await add.getByRole("button", { name: "Add channel" }).click();
  const row = page.getByTestId(`channel-${channel}`);
  await expect(row).toContainText("127.0.0.1:9");
  const before = await query<{ c: string }>(`SELECT secret_ciphertext AS c FROM alert_channels WHERE org_id = $1 AND name = $2`, [fixtures().demoOrgId, channel]);

  await row.getByRole("button", { name: `Edit channel ${channel}` }).click();
  const edit = page.getByRole("form", { name: "Edit Slack channel" });
  await edit.getByLabel(/New webhook URL/).fill("http://localhost:9/hooks/second-s3cret");
  await edit.getByLabel("Minimum severity").selectOption("CRITICAL");
  await edit.getByLabel("Only alerts for").selectOption("TEAM");
  await edit.getByLabel("Which (empty = any)").fill("ml");
  await edit.getByRole("button", { name: "Save channel" }).click();
  await expect(page.getByRole("status")).toHaveText(`Channel ${channel} saved`);
  await page.reload();
  await expect(row).toContainText("localhost:9");
  await expect(row).toContainText("critical and above · Team tag ml");
  await expect(page.locator("body")).not.toContainText("second-s3cret");
  const after = await query<{ c: string; min_severity: string }>(`SELECT secret_ciphertext AS c, min_severity::text FROM alert_channels WHERE org_id = $1 AND name = $2`, [fixtures().demoOrgId, channel]);
  expect(after[0]!.c).not.toBe(before[0]!.c);
  expect(after[0]!.c).not.toContain("second-s3cret");
  expect(after[0]!.min_severity).toBe("CRITICAL");
});
