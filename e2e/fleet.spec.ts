// GPU fleet: the heatmap's figures equal the API and SQL, filters live in the URL, keyboard and mouse
// reach the GPU detail, the GPU table exports a CSV that sums to its totals, and axe finds nothing serious.
import { expect, test } from "@playwright/test";
import { formatMoney } from "../components/format";
import type { HeatmapResponse } from "../lib/domain/fleet";
import { sumDecimals } from "../lib/domain/decimal-sum";
import type { Report } from "../lib/domain/reports";
import { DEMO } from "./env";
import { apiJson, downloadCsv, expectNoSeriousA11yViolations, screenshot, viewWindow } from "./dashboard-helpers";
import { fixtures, query } from "./helpers";

test.use({ viewport: { width: 1440, height: 900 } });

test("the heatmap shows every GPU of the window, and its idle cost equals the idle report and a SQL sum", async ({ page }, testInfo) => {
  await page.goto(`/${DEMO.slug}/fleet`);
  const w = await viewWindow(page);
  const heat = await apiJson<HeatmapResponse>(page, "/api/v1/fleet/heatmap", { ...w, bucket: "hour" });
  const [{ gpus }] = (await query<{ gpus: number }>(
    `SELECT COUNT(DISTINCT gpu_id)::int AS gpus FROM gpu_hourly WHERE org_id = $1 AND hour >= $2 AND hour < $3`,
    [fixtures().demoOrgId, w.from, w.to],
  )) as [{ gpus: number }];
  expect(heat.gpus.length).toBe(gpus);
  expect(heat.columns).toBe((Date.parse(w.to) - Date.parse(w.from)) / 3_600_000);
  await expect(page.getByTestId("heatmap").locator("canvas")).toHaveAttribute("data-painted", `${gpus}x${heat.columns}`);
  await expect(page.getByRole("region", { name: "GPUs", exact: true }).locator(".value")).toHaveText(String(gpus));

  const idle = await apiJson<Report<"idle">>(page, "/api/v1/reports/idle", w);
  const [{ idle_cost }] = (await query<{ idle_cost: string }>(
    `SELECT SUM(rate * gpu_hours)::text AS idle_cost FROM gpu_hourly
      WHERE org_id = $1 AND hour >= $2 AND hour < $3 AND utilization IS NOT NULL AND LEAST(GREATEST(utilization, 0), 1) < (SELECT idle_threshold FROM orgs WHERE id = $1)`,
    [fixtures().demoOrgId, w.from, w.to],
  )) as [{ idle_cost: string }];
  expect(Number(idle.totals.idleCost)).toBeCloseTo(Number(idle_cost), 6);
  expect(sumDecimals(heat.gpus.map((g) => g.idleCost))).toBe(sumDecimals([idle.totals.idleCost]));
  await expect(page.getByTestId("fleet-idle-cost")).toHaveText(formatMoney(idle.totals.idleCost!, idle.totals.currency!));
  await screenshot(page, testInfo, "fleet");
  await expectNoSeriousA11yViolations(page);
});

test("filters change the URL and the rows; the sort and grouping are in the URL too", async ({ page }) => {
  await page.goto(`/${DEMO.slug}/fleet`);
  const w = await viewWindow(page);
  const all = await apiJson<HeatmapResponse>(page, "/api/v1/fleet/heatmap", { ...w, bucket: "hour" });
  const model = all.gpus[all.gpus.length - 1]!.model;
  const expected = all.gpus.filter((g) => g.model === model).length;
  expect(expected).toBeLessThan(all.gpus.length);
  await page.getByLabel("GPU model").selectOption(model);
  await expect(page).toHaveURL(new RegExp(`gpuModel=${model}`));
  await expect(page.getByRole("region", { name: "GPUs", exact: true }).locator(".value")).toHaveText(String(expected));
  await page.getByLabel("Sort rows by").selectOption("idleCost");
  await page.getByLabel("Group rows by").selectOption("cluster");
  await expect(page).toHaveURL(/sort=idleCost/);
  await expect(page).toHaveURL(/group=cluster/);
  await page.getByLabel("Window").selectOption("7d");
  await expect(page).toHaveURL(/window=7d/);
  const w7 = await viewWindow(page);
  expect((Date.parse(w7.to) - Date.parse(w7.from)) / 86_400_000).toBe(7);
  // Reloading the URL restores the view.
  await page.reload();
  await expect(page.getByLabel("GPU model")).toHaveValue(model);
  await expect(page.getByLabel("Window")).toHaveValue("7d");
});

test("hover shows the cell; the keyboard moves through cells and Enter opens the GPU, whose cost equals SQL", async ({ page }, testInfo) => {
  await page.goto(`/${DEMO.slug}/fleet`);
  const w = await viewWindow(page);
  const grid = page.getByTestId("heatmap");
  await expect(grid.locator("canvas")).toHaveAttribute("data-painted", /x/);
  const box = (await grid.boundingBox())!;
  await page.mouse.move(box.x + box.width - 20, box.y + 22 + 14 * 2 + 7);
  const tip = page.getByTestId("heatmap-tooltip");
  await expect(tip).toContainText("UTC");
  await expect(tip).toContainText(/Utilization: /);
  await expect(tip).toContainText(/Hourly cost: (\$|—)/);
  await expect(tip).not.toContainText("loading");
  await screenshot(page, testInfo, "fleet-tooltip");

  await grid.focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByTestId("heatmap-status")).toContainText(/UTC: /);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/${DEMO.slug}/fleet/[^/?]+`));
  const gpuId = new URL(page.url()).pathname.split("/").pop()!;
  const [{ cost, currency }] = (await query<{ cost: string; currency: string }>(
    `SELECT SUM(rate * gpu_hours)::text AS cost, MAX(currency) AS currency FROM gpu_hourly WHERE org_id = $1 AND gpu_id = $2 AND hour >= $3 AND hour < $4`,
    [fixtures().demoOrgId, gpuId, w.from, w.to],
  )) as [{ cost: string; currency: string }];
  await expect(page.getByTestId("gpu-cost")).toHaveText(formatMoney(cost, currency));
  await expect(page.getByRole("heading", { name: "Utilization (%)" })).toBeVisible();
  await screenshot(page, testInfo, "gpu-detail");
  await expectNoSeriousA11yViolations(page);
});

test("the GPU table exports a CSV whose sums equal the totals row", async ({ page }) => {
  await page.goto(`/${DEMO.slug}/fleet`);
  const table = page.getByTestId("gpu-table");
  await expect(table.getByTestId("totals")).toBeVisible();
  const rows = await downloadCsv(page, table);
  const heatRows = await page.getByTestId("fleet-cards").getByRole("region", { name: "GPUs", exact: true }).locator(".value").textContent();
  expect(rows.length).toBe(Number(heatRows));
  const currency = rows.find((r) => r.currency)!.currency!;
  await expect(table.getByTestId("totals").locator('[data-col="cost"]')).toHaveText(formatMoney(sumDecimals(rows.map((r) => r.cost)), currency));
  await expect(table.getByTestId("totals").locator('[data-col="idleCost"]')).toHaveText(formatMoney(sumDecimals(rows.map((r) => r.idleCost)), currency));
});
