// Training runs and inference services: tables equal the report API (and a SQL sum), filters live in
// the URL, CSV exports sum to the totals row, details agree with the report rows, axe finds nothing serious.
import { expect, test } from "@playwright/test";
import { formatMoney } from "../components/format";
import type { WorkloadDetail } from "../lib/domain/dashboard-data";
import { sumDecimals } from "../lib/domain/decimal-sum";
import type { Report } from "../lib/domain/reports";
import { DEMO } from "./env";
import { apiJson, downloadCsv, expectNoSeriousA11yViolations, screenshot, viewWindow } from "./dashboard-helpers";
import { fixtures, query } from "./helpers";

test.use({ viewport: { width: 1440, height: 900 } });

test("training runs: the totals equal the report and a SQL sum; the CSV sums to them; sorting by keyboard", async ({ page }, testInfo) => {
  await page.goto(`/${DEMO.slug}/training`);
  const w = await viewWindow(page);
  const report = await apiJson<Report<"training-runs">>(page, "/api/v1/reports/training-runs", w);
  expect(report.rows.length).toBeGreaterThan(0);
  const table = page.getByTestId("runs-table");
  const cur = report.totals.currency!;
  await expect(table.getByTestId("totals").locator('[data-col="cost"]')).toHaveText(formatMoney(report.totals.cost!, cur));
  const [{ gpu }] = (await query<{ gpu: string }>(
    `SELECT SUM(h.rate * h.gpu_hours)::text AS gpu FROM gpu_hourly h JOIN workloads w ON w.id = h.workload_id
      WHERE h.org_id = $1 AND w.kind = 'TRAINING_RUN' AND h.hour >= $2 AND h.hour < $3`,
    [fixtures().demoOrgId, w.from, w.to],
  )) as [{ gpu: string }];
  expect(Number(report.totals.gpuCost)).toBeCloseTo(Number(gpu), 6);
  const csv = await downloadCsv(page, table);
  expect(csv.length).toBe(report.rows.length);
  expect(sumDecimals(csv.map((r) => r.cost))).toBe(sumDecimals([report.totals.cost]));
  await screenshot(page, testInfo, "training-runs");
  await expectNoSeriousA11yViolations(page);

  // Sort by GPU-hours with the keyboard: the first row is then the run with the most GPU-hours.
  await table.getByRole("button", { name: "GPU-hours" }).focus();
  await page.keyboard.press("Enter");
  await expect(table.getByRole("columnheader", { name: "GPU-hours" })).toHaveAttribute("aria-sort", "descending");
  const top = [...report.rows].sort((a, b) => b.gpuHours - a.gpuHours)[0]!;
  await expect(table.locator("tbody tr").first().locator('[data-col="runId"]')).toHaveText(top.runId);
});

test("training runs: a filter and the search change the URL and the rows; the run detail agrees with its row", async ({ page }, testInfo) => {
  await page.goto(`/${DEMO.slug}/training`);
  const w = await viewWindow(page);
  const all = await apiJson<Report<"training-runs">>(page, "/api/v1/reports/training-runs", w);
  const team = all.rows[0]!.team;
  await page.getByLabel("Team").selectOption(team);
  await expect(page).toHaveURL(new RegExp(`team=${team}`));
  const filtered = await apiJson<Report<"training-runs">>(page, "/api/v1/reports/training-runs", { ...w, team });
  await expect(page.getByTestId("runs-table").getByTestId("totals").locator('[data-col="cost"]')).toHaveText(formatMoney(filtered.totals.cost!, filtered.totals.currency!));
  const run = filtered.rows[0]!;
  await page.getByLabel("Find runs by name").fill(run.runId);
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(run.runId)}`));
  const link = page.getByTestId("runs-table").getByRole("link", { name: run.runId, exact: true });
  await link.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/${DEMO.slug}/training/[^/?]+`));
  const id = new URL(page.url()).pathname.split("/").pop()!;
  const detail = await apiJson<WorkloadDetail>(page, `/api/v1/workloads/${id}`, w);
  expect(detail.totals.gpuCost).toBe(sumDecimals([run.gpuCost]));
  expect(detail.totals.gpuHours).toBeCloseTo(run.gpuHours, 5);
  await expect(page.getByTestId("w-cost").locator(".value")).toHaveText(formatMoney(run.cost!, run.currency!));
  await expect(page.getByRole("heading", { name: "Utilization over time (%)" })).toBeVisible();
  if (run.meanUtilization !== null && run.meanUtilization < 0.8) await expect(page.getByTestId("at-80")).toContainText("at 80% utilization would need");
  await screenshot(page, testInfo, "training-run-detail");
  await expectNoSeriousA11yViolations(page);
});

test("inference: the table equals the report, the CSV sums to the totals, the service detail shows p95 and cost per 1K", async ({ page }, testInfo) => {
  await page.goto(`/${DEMO.slug}/inference`);
  const w = await viewWindow(page);
  const report = await apiJson<Report<"inference">>(page, "/api/v1/reports/inference", w);
  expect(report.rows.length).toBeGreaterThan(0);
  const table = page.getByTestId("services-table");
  const cur = report.totals.currency!;
  await expect(table.getByTestId("totals").locator('[data-col="cost"]')).toHaveText(formatMoney(report.totals.cost!, cur));
  await expect(table.getByTestId("totals").locator('[data-col="costPer1kInferences"]')).toHaveText(formatMoney(report.totals.costPer1kInferences!, cur));
  const csv = await downloadCsv(page, table);
  expect(sumDecimals(csv.map((r) => r.cost))).toBe(sumDecimals([report.totals.cost]));
  expect(csv.reduce((s, r) => s + Number(r.inferences), 0)).toBeCloseTo(report.totals.inferences, 3);
  await screenshot(page, testInfo, "inference");
  await expectNoSeriousA11yViolations(page);

  const svc = report.rows[0]!;
  await table.getByRole("link", { name: svc.service, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/${DEMO.slug}/inference/[^/?]+`));
  await expect(page.getByTestId("w-requests").locator(".value")).toHaveText(Math.round(svc.inferences).toLocaleString("en-US"));
  await expect(page.getByTestId("w-per-1k").locator(".value")).toHaveText(formatMoney(Number(svc.costPer1kInferences).toFixed(6), svc.currency!));
  await expect(page.getByTestId("w-p95")).toContainText(svc.p95LatencyMs === null ? "No data" : " ms");
  await expect(page.getByRole("heading", { name: /p95 latency \(ms\)/ })).toBeVisible();
  await screenshot(page, testInfo, "inference-detail");
  await expectNoSeriousA11yViolations(page);
});

test("cost explorer: the stacked series add up to the table, group-by and filters change the URL, the CSV sums to the total", async ({ page }, testInfo) => {
  await page.goto(`/${DEMO.slug}/explorer`);
  const w = await viewWindow(page);
  await expect(page.getByTestId("stacked-chart").locator(".recharts-surface").first()).toBeVisible();
  const report = await apiJson<Report<"gpu-hours">>(page, "/api/v1/reports/gpu-hours", { ...w, groupBy: "cluster" });
  const series = await apiJson<{ points: Array<{ key: string; cost: string | null }> }>(page, "/api/v1/spend/series", { ...w, groupBy: "cluster", bucket: "day" });
  for (const row of report.rows) expect(sumDecimals(series.points.filter((p) => p.key === row.cluster).map((p) => p.cost))).toBe(sumDecimals([row.cost]));
  const table = page.getByTestId("explorer-table");
  await expect(table.getByTestId("totals").locator('[data-col="cost"]')).toHaveText(formatMoney(report.totals.cost!, report.totals.currency!));
  const [{ cost }] = (await query<{ cost: string }>(`SELECT SUM(rate * gpu_hours)::text AS cost FROM gpu_hourly WHERE org_id = $1 AND hour >= $2 AND hour < $3`, [fixtures().demoOrgId, w.from, w.to])) as [{ cost: string }];
  expect(Number(report.totals.cost)).toBeCloseTo(Number(cost), 6);
  await screenshot(page, testInfo, "explorer");
  await expectNoSeriousA11yViolations(page);

  await page.getByLabel("Group by").selectOption("team");
  await expect(page).toHaveURL(/groupBy=team/);
  const byTeam = await apiJson<Report<"gpu-hours">>(page, "/api/v1/reports/gpu-hours", { ...w, groupBy: "team" });
  await expect(table.locator("tbody tr")).toHaveCount(byTeam.rows.length, { timeout: 30_000 });
  await expect(table.locator("tbody tr").first().locator('[data-col="team"]')).toHaveText(byTeam.rows[0]!.team!);
  await page.getByLabel("Cost basis").selectOption("billed");
  await expect(page).toHaveURL(/basis=billed/);
  const billed = await apiJson<Report<"gpu-hours">>(page, "/api/v1/reports/gpu-hours", { ...w, groupBy: "team", costBasis: "billed" });
  await expect(table.getByTestId("totals").locator('[data-col="cost"]')).toHaveText(formatMoney(billed.totals.cost!, billed.totals.currency!), { timeout: 30_000 });
  const csv = await downloadCsv(page, table);
  expect(sumDecimals(csv.map((r) => r.cost))).toBe(sumDecimals([billed.totals.cost]));
});
