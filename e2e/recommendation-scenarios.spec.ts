// Saved scenarios: a what-if saved under a name is listed (with the inputs that differ and its
// figures), opens back into the what-if with its inputs and the same figures (a shareable URL),
// compares with the current plan, and can be deleted.
import { expect, type Page, test } from "@playwright/test";
import { formatMoney } from "../components/format";
import type { RecommendationsResponse } from "../lib/recommendations/api-types";
import type { ScenarioDetailResponse, ScenarioListResponse } from "../lib/recommendations/scenario-types";
import { apiJson, expectNoSeriousA11yViolations, screenshot } from "./dashboard-helpers";
import { DEMO } from "./env";
import { fixtures, query } from "./helpers";

function scenarioRow(page: Page, name: string) {
  return page.getByTestId("scenarios").locator("tbody tr").filter({ has: page.getByRole("link", { name, exact: true }) });
}

test("save a what-if as a scenario, see it listed, open it with its inputs and figures, compare it, delete it", async ({ page }, testInfo) => {
  // One long story (save, list, open twice, compare, delete), each step recomputing plans on the server.
  test.setTimeout(120_000);
  const name = `e2e scenario ${testInfo.workerIndex}-${Date.now()}`;
  const stored = await apiJson<RecommendationsResponse>(page, "/api/v1/recommendations", { lookback: "30" });
  const cur = stored.org.currency;

  // The what-if: dearer on-prem for H100 and a worse PUE.
  await page.goto(`/${DEMO.slug}/recommendations`);
  await expect(page.getByTestId("total-projected")).toHaveText(formatMoney(stored.plan.totals.projectedMonthly, cur));
  await page.getByLabel("GPU type", { exact: true }).selectOption("H100");
  await page.getByLabel(/On-prem capex per server/).fill("975000");
  await page.getByLabel(/^PUE/).fill("1.5");
  const inputs = {
    global: { ...stored.inputs.global, pue: 1.5 },
    gpuTypes: { ...stored.inputs.gpuTypes, H100: { ...stored.inputs.gpuTypes.H100!, onPrem: { ...stored.inputs.gpuTypes.H100!.onPrem, capexPerServer: 975000 }, source: "user" as const } },
  };
  const whatIf = await apiJson<RecommendationsResponse>(page, "/api/v1/recommendations", { lookback: "30", inputs: JSON.stringify(inputs) });
  const projected = formatMoney(whatIf.plan.totals.projectedMonthly, cur);
  const savings = formatMoney(whatIf.plan.totals.savingsMonthly, cur);
  expect(projected).not.toBe(formatMoney(stored.plan.totals.projectedMonthly, cur));
  await expect(page.getByTestId("total-projected")).toHaveText(projected);
  await expect(page.getByTestId("total-savings")).toHaveText(savings);

  await page.getByLabel("Scenario name").fill(name);
  await page.getByRole("button", { name: "Save as scenario" }).click();
  await expect(page.getByRole("status")).toHaveText(`Scenario "${name}" saved.`);
  const [row] = await query<{ id: string }>(`SELECT id FROM scenarios WHERE org_id = $1 AND name = $2`, [fixtures().demoOrgId, name]);
  expect(row).toBeDefined();

  // Listed, with what differs and the same figures.
  await page.getByTestId("scenarios-link").click();
  await expect(page.getByRole("heading", { name: "Saved scenarios", level: 1 })).toBeVisible();
  const listed = scenarioRow(page, name);
  await expect(listed.locator('td[data-col="projected"]')).toHaveText(projected);
  await expect(listed.locator('td[data-col="savings"]')).toHaveText(savings);
  await expect(listed.locator('td[data-col="differences"]')).toContainText("PUE: 1.5 (now 1.3)");
  await expect(listed.locator('td[data-col="differences"]')).toContainText("H100 on-prem capex per server: 975,000 (now 325,000)");
  await expect(listed.locator('td[data-col="saved"]')).toContainText("Dana Demo");
  const t0 = Date.now();
  const api = await apiJson<ScenarioListResponse>(page, "/api/v1/recommendations/scenarios");
  testInfo.annotations.push({ type: "list-api-ms", description: String(Date.now() - t0) });
  expect(api.scenarios.find((s) => s.name === name)?.projectedMonthly).toBe(whatIf.plan.totals.projectedMonthly);
  // Sorting by projected cost orders the rows by it.
  await page.getByTestId("scenarios").getByRole("button", { name: "Projected / mo" }).click();
  await expect(page.getByTestId("scenarios").locator("th", { hasText: "Projected / mo" })).toHaveAttribute("aria-sort", /ascending|descending/);
  await screenshot(page, testInfo, "recommendation-scenarios");
  await expectNoSeriousA11yViolations(page);

  // Open: the what-if shows its inputs and the same figures, at a URL that can be shared.
  await listed.getByRole("link", { name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/${DEMO.slug}/recommendations\\?scenario=${row!.id}$`));
  await expect(page.getByTestId("scenario-banner")).toContainText(name);
  await expect(page.getByTestId("total-projected")).toHaveText(projected);
  await expect(page.getByTestId("total-savings")).toHaveText(savings);
  await page.getByLabel("GPU type", { exact: true }).selectOption("H100");
  await expect(page.getByLabel(/On-prem capex per server/)).toHaveValue("975000");
  await expect(page.getByLabel(/^PUE/)).toHaveValue("1.5");
  await screenshot(page, testInfo, "recommendation-scenario-open");
  // The same URL in a fresh page opens the same what-if.
  const shared = await page.context().newPage();
  await shared.goto(`/${DEMO.slug}/recommendations?scenario=${row!.id}`);
  await expect(shared.getByTestId("total-projected")).toHaveText(projected);
  await shared.close();

  // Compare with the current plan, side by side.
  await page.getByRole("link", { name: "Compare with the current plan" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
  await expect(page.getByTestId("compare-scenario-total")).toHaveText(projected);
  await expect(page.getByTestId("compare-current-total")).toHaveText(formatMoney(stored.plan.totals.projectedMonthly, cur));
  const detail = await apiJson<ScenarioDetailResponse>(page, `/api/v1/recommendations/scenarios/${row!.id}`);
  for (const r of detail.comparison) {
    const tr = page.getByTestId("scenario-comparison").locator(`tr[data-row="${r.key}"]`);
    await expect(tr.locator('td[data-col="current-cost"]')).toHaveText(formatMoney(r.current!.monthlyCost, cur));
    await expect(tr.locator('td[data-col="scenario-cost"]')).toHaveText(formatMoney(r.scenario!.monthlyCost, cur));
    await expect(tr.locator('td[data-col="scenario-onPrem"]')).toHaveText(String(r.scenario!.onPremGpus));
    await expect(tr.locator('td[data-col="current-onPrem"]')).toHaveText(String(r.current!.onPremGpus));
  }
  // The dearer server changes the H100 plan, not only its cost.
  const h100 = detail.comparison.find((r) => r.gpuModel === "H100")!;
  expect([h100.scenario!.onPremGpus, h100.scenario!.reservedGpus]).not.toEqual([h100.current!.onPremGpus, h100.current!.reservedGpus]);
  await screenshot(page, testInfo, "recommendation-scenario-compare");
  await expectNoSeriousA11yViolations(page);

  // Delete.
  await page.getByRole("link", { name: "All saved scenarios" }).click();
  await scenarioRow(page, name).getByRole("button", { name: `Delete ${name}` }).click();
  await scenarioRow(page, name).getByRole("button", { name: "Confirm delete" }).click();
  await expect(page.getByRole("status")).toHaveText(`Scenario "${name}" deleted.`);
  await expect(scenarioRow(page, name)).toHaveCount(0);
  expect(await query(`SELECT id FROM scenarios WHERE id = $1`, [row!.id])).toEqual([]);
  // Its shared URLs now say so (the API answers 404).
  await page.goto(`/${DEMO.slug}/recommendations/scenarios/${row!.id}`);
  await expect(page.getByText("Could not load the scenario: Scenario not found")).toBeVisible();
  await page.goto(`/${DEMO.slug}/recommendations?scenario=${row!.id}`);
  await expect(page.getByText("Could not open the scenario: Scenario not found")).toBeVisible();
  await expect(page.getByTestId("total-projected")).toHaveText(formatMoney(stored.plan.totals.projectedMonthly, cur));
});
