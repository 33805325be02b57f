// The Overview's period view: figures equal the gpu-hours report and SQL sums over the bills, the
// window and filters live in the URL, the top idle GPU is the SQL's, and axe finds nothing serious.
import { expect, test } from "@playwright/test";
import { formatMoney, formatPercent } from "../components/format";
import type { BillSpend, Wasters } from "../lib/domain/dashboard-data";
import type { BudgetView } from "../lib/domain/alerting";
import { budgetStatus } from "../components/alerting/budget-status";
import type { Report } from "../lib/domain/reports";
import { DEMO } from "./env";
import { apiJson, expectNoSeriousA11yViolations, screenshot, viewWindow } from "./dashboard-helpers";
import { fixtures, query } from "./helpers";

test.use({ viewport: { width: 1440, height: 900 } });

test("period figures equal the report API and SQL sums of the bills", async ({ page }, testInfo) => {
  await page.goto(`/${DEMO.slug}/overview`);
  const w = await viewWindow(page);
  const report = await apiJson<Report<"gpu-hours">>(page, "/api/v1/reports/gpu-hours", w);
  const t = report.totals;
  const cur = t.currency!;
  await expect(page.getByTestId("period-cost-per-gpu-hour").locator(".value")).toHaveText(`${formatMoney(t.costPerGpuHour!, cur)}/GPU-h`);
  await expect(page.getByTestId("period-cost-per-useful").locator(".value")).toHaveText(`${formatMoney(t.costPerUsefulGpuHour!, cur)}/GPU-h`);
  await expect(page.getByTestId("period-idle-cost").locator(".value")).toHaveText(formatMoney(t.idleCost!, cur));
  await expect(page.getByTestId("period-utilization").locator(".value")).toHaveText(formatPercent(t.meanUtilization!));

  const prev = new Date(2 * Date.parse(w.from) - Date.parse(w.to));
  const sums = await query<{ currency: string; current: string; previous: string; gpu: string }>(
    `SELECT billing_currency AS currency,
            COALESCE(SUM(effective_cost) FILTER (WHERE charge_period_start >= $2), 0)::text AS current,
            COALESCE(SUM(effective_cost) FILTER (WHERE charge_period_start < $2), 0)::text AS previous,
            COALESCE(SUM(effective_cost) FILTER (WHERE charge_period_start >= $2 AND gpu_model IS NOT NULL), 0)::text AS gpu
       FROM bill_line_items WHERE org_id = $1 AND charge_period_start >= $4 AND charge_period_start < $3 GROUP BY 1 ORDER BY 1`,
    [fixtures().demoOrgId, w.from, w.to, prev],
  );
  expect(sums.length).toBeGreaterThan(0);
  for (const s of sums) {
    await expect(page.getByTestId("period-spend")).toContainText(formatMoney(s.current, s.currency));
    await expect(page.getByTestId("period-spend")).toContainText(formatMoney(s.previous, s.currency));
    await expect(page.getByTestId("period-gpu-share")).toContainText(formatPercent(Number(s.gpu) / Number(s.current)));
  }
  const bills = await apiJson<BillSpend>(page, "/api/v1/spend/bills", w);
  expect(bills.byCurrency.map((b) => Number(b.current))).toEqual(sums.map((s) => Number(s.current)));

  const wasters = await apiJson<Wasters>(page, "/api/v1/wasters", w);
  const [top] = await query<{ gpu_id: string; idle: string }>(
    `SELECT gpu_id, SUM(rate * gpu_hours)::text AS idle FROM gpu_hourly
      WHERE org_id = $1 AND hour >= $2 AND hour < $3 AND rate IS NOT NULL AND utilization IS NOT NULL
        AND LEAST(GREATEST(utilization, 0), 1) < (SELECT idle_threshold FROM orgs WHERE id = $1)
      GROUP BY 1 ORDER BY SUM(rate * gpu_hours) DESC LIMIT 1`,
    [fixtures().demoOrgId, w.from, w.to],
  );
  expect(Number(wasters.idleGpus[0]!.idleCost)).toBeCloseTo(Number(top!.idle), 6);
  await expect(page.getByTestId("idle-gpus").locator("li").first()).toContainText(formatMoney(wasters.idleGpus[0]!.idleCost, wasters.idleGpus[0]!.currency));
  await expect(page.getByTestId("idle-gpus").locator("li")).toHaveCount(Math.min(5, wasters.idleGpus.length));
  await expect(page.getByText("today (partial)").first()).toBeAttached();
  await page.getByRole("heading", { name: "Overview", level: 1 }).scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, "overview");
  await expectNoSeriousA11yViolations(page);
});

test("the window and a filter change the URL and the figures", async ({ page }) => {
  await page.goto(`/${DEMO.slug}/overview`);
  await viewWindow(page);
  await page.getByLabel("Window").selectOption("7d");
  await expect(page).toHaveURL(/window=7d/);
  const options = await page.getByLabel("Pricing category").locator("option").allTextContents();
  const category = options.find((o) => o !== "All")!;
  await page.getByLabel("Pricing category").selectOption(category);
  await expect(page).toHaveURL(new RegExp(`pricingCategory=${category}`));
  const w = await viewWindow(page);
  expect((Date.parse(w.to) - Date.parse(w.from)) / 86_400_000).toBe(7);
  const report = await apiJson<Report<"gpu-hours">>(page, "/api/v1/reports/gpu-hours", { ...w, pricingCategory: category });
  await expect(page.getByTestId("period-idle-cost").locator(".value")).toHaveText(report.totals.idleCost ? formatMoney(report.totals.idleCost, report.totals.currency!) : "—");
  await expect(page.getByTestId("period-cost-per-gpu-hour").locator(".value")).toHaveText(report.totals.costPerGpuHour ? `${formatMoney(report.totals.costPerGpuHour, report.totals.currency!)}/GPU-h` : "—");
});

test("the budget panel shows every budget with the spend and status the budgets API gives", async ({ page }) => {
  await page.goto(`/${DEMO.slug}/overview`);
  const { budgets } = await apiJson<{ budgets: BudgetView[] }>(page, "/api/v1/budgets");
  const [{ n }] = (await query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM budgets WHERE org_id = $1`, [fixtures().demoOrgId])) as [{ n: number }];
  expect(budgets.length).toBe(n);
  expect(n).toBeGreaterThan(0);
  const panel = page.getByTestId("budgets-status");
  await expect(panel.locator("tbody tr")).toHaveCount(n);
  for (const b of budgets) {
    const row = panel.locator(`tr[data-budget-id="${b.id}"]`);
    await expect(row).toContainText(b.name);
    await expect(row).toContainText(formatMoney(b.actual, b.currency));
    await expect(row).toContainText(`${b.percentUsed}%`);
    await expect(row).toContainText(budgetStatus(b).text);
  }
  // Each row opens the budget's burn-down.
  const first = budgets[0]!;
  await panel.getByRole("link", { name: first.name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/budgets\\?budget=${first.id}`));
});
