// The recommendations page: changing an input recomputes the split in the browser, and what it shows is
// what the API computes for the same inputs; accepting and dismissing (with a reason) are stored.
import { expect, type Page, test } from "@playwright/test";
import { formatMoney } from "../components/format";
import type { RecommendationsResponse } from "../lib/recommendations/api-types";
import { DEMO } from "./env";
import { fixtures, query } from "./helpers";

async function api(page: Page, params: Record<string, string>): Promise<RecommendationsResponse> {
  const res = await page.request.get(`/api/v1/recommendations?${new URLSearchParams({ org: DEMO.slug, lookback: "30", ...params })}`);
  expect(res.ok()).toBe(true);
  return (await res.json()) as RecommendationsResponse;
}

function cell(page: Page, key: string, col: string) {
  return page.getByTestId("capacity-split").locator(`tr[data-row="${key}"] td[data-col="${col}"]`);
}

async function expectPageShows(page: Page, expected: RecommendationsResponse) {
  const cur = expected.org.currency;
  for (const s of expected.plan.splits) {
    await expect(cell(page, s.key, "savings")).toHaveText(formatMoney(s.monthly.savings, cur));
    await expect(cell(page, s.key, "projected")).toHaveText(formatMoney(s.monthly.projected, cur));
    await expect(cell(page, s.key, "current")).toHaveText(formatMoney(s.monthly.current, cur));
    await expect(cell(page, s.key, "onPrem")).toContainText(`${s.onPrem.gpus} GPU`);
    await expect(cell(page, s.key, "committed")).toContainText(`${s.commitment?.committedGpus ?? 0} GPU`);
  }
  await expect(page.getByTestId("total-savings")).toHaveText(formatMoney(expected.plan.totals.savingsMonthly, cur));
  await expect(page.getByTestId("total-projected")).toHaveText(formatMoney(expected.plan.totals.projectedMonthly, cur));
}

test("changing an input changes the recommendation and its savings to what the API gives for the same inputs", async ({ page }) => {
  const stored = await api(page, {});
  expect(stored.plan.splits.map((s) => s.gpuModel)).toContain("H100");
  await page.goto(`/${DEMO.slug}/recommendations`);
  await expect(page.getByRole("heading", { name: "Recommendations", level: 1 })).toBeVisible();
  await expectPageShows(page, stored);
  const h100Key = stored.plan.splits.find((s) => s.gpuModel === "H100")!.key;
  const before = await cell(page, h100Key, "savings").textContent();

  // An on-prem server three times dearer: owning stops beating commitments for H100.
  await page.getByLabel("GPU type", { exact: true }).selectOption("H100");
  await expect(page.getByTestId("price-source")).toContainText("public list price");
  const capex = page.getByLabel(/On-prem capex per server/);
  await capex.fill("975000");

  const inputs = { global: stored.inputs.global, gpuTypes: { ...stored.inputs.gpuTypes, H100: { ...stored.inputs.gpuTypes.H100!, onPrem: { ...stored.inputs.gpuTypes.H100!.onPrem, capexPerServer: 975000 }, source: "user" as const } } };
  const whatIf = await api(page, { inputs: JSON.stringify(inputs) });
  expect(whatIf.whatIf).toBe(true);
  const h100Before = stored.plan.splits.find((s) => s.key === h100Key)!;
  const h100After = whatIf.plan.splits.find((s) => s.key === h100Key)!;
  // The recommendation itself changed, not only a figure.
  expect([h100After.onPrem.gpus, h100After.commitment?.committedGpus ?? 0]).not.toEqual([h100Before.onPrem.gpus, h100Before.commitment?.committedGpus ?? 0]);
  await expectPageShows(page, whatIf);
  await expect(cell(page, h100Key, "savings")).not.toHaveText(before!);

  // The page's own what-if link asks the API for exactly what it shows.
  const href = await page.getByTestId("what-if-api").getAttribute("href");
  const fromLink = (await (await page.request.get(href!)).json()) as RecommendationsResponse;
  expect(fromLink.plan).toEqual(whatIf.plan);

  // The API did not save the what-if (nor anything else: unsaved inputs stay in-memory defaults).
  const rows = await query<{ capex: number }>(`SELECT (on_prem->>'capexPerServer')::float8 AS capex FROM price_assumptions WHERE org_id = $1 AND gpu_model = 'H100'`, [fixtures().demoOrgId]);
  expect(rows.filter((r) => r.capex !== 325000)).toEqual([]);
});

test("a recommendation can be dismissed with a reason and another accepted", async ({ page }) => {
  await page.goto(`/${DEMO.slug}/recommendations`);
  const table = page.getByTestId("recommendations");
  const rows = table.locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  const starved = rows.filter({ hasText: "is starved" });
  const dismissRow = starved.nth(0);
  const id = await dismissRow.getAttribute("data-row");
  await dismissRow.getByRole("button", { name: "Dismiss…" }).click();
  await dismissRow.getByLabel("Reason").fill("input pipeline already being fixed");
  await dismissRow.getByRole("button", { name: "Dismiss", exact: true }).click();
  await expect(table.locator(`tr[data-row="${id}"]`).getByTestId("rec-status")).toHaveText("Dismissed: input pipeline already being fixed");
  const [dismissed] = await query<{ status: string; dismiss_reason: string }>(`SELECT status, dismiss_reason FROM recommendations WHERE id = $1`, [id]);
  expect(dismissed).toEqual({ status: "DISMISSED", dismiss_reason: "input pipeline already being fixed" });

  const acceptRow = table.locator("tbody tr").filter({ hasText: "Reclaim" }).first();
  const acceptId = await acceptRow.getAttribute("data-row");
  await acceptRow.getByRole("button", { name: "Accept" }).click();
  await expect(table.locator(`tr[data-row="${acceptId}"]`).getByTestId("rec-status")).toContainText("Accepted");
  const [accepted] = await query<{ status: string }>(`SELECT status FROM recommendations WHERE id = $1`, [acceptId]);
  expect(accepted!.status).toBe("ACCEPTED");
});
