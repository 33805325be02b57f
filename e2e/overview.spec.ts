// The Overview shows what a user would check against the database: the sums, to the cent, as formatted.
import { expect, test } from "@playwright/test";
import { formatMoney } from "../components/format";
import { DEMO } from "./env";
import { fixtures, query } from "./helpers";

const DAY = 86_400_000;

function windows(now = new Date()) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { monthStart: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), last30Start: new Date(today - 29 * DAY), end: new Date(today + DAY) };
}

test("the cards equal SQL sums over the demo org's bill lines (EffectiveCost, per currency)", async ({ page }) => {
  const { demoOrgId } = fixtures();
  const w = windows();
  const sums = await query<{ currency: string; last30: string; mtd: string; gpu: string }>(
    `SELECT billing_currency AS currency,
            COALESCE(SUM(effective_cost) FILTER (WHERE charge_period_start >= $2), 0)::text AS last30,
            COALESCE(SUM(effective_cost) FILTER (WHERE charge_period_start >= $3), 0)::text AS mtd,
            COALESCE(SUM(effective_cost) FILTER (WHERE charge_period_start >= $2 AND gpu_model IS NOT NULL), 0)::text AS gpu
       FROM bill_line_items
      WHERE org_id = $1 AND charge_period_start >= LEAST($2::timestamptz, $3::timestamptz) AND charge_period_start < $4
      GROUP BY 1 ORDER BY 1`,
    [demoOrgId, w.last30Start, w.monthStart, w.end],
  );
  expect(sums.length).toBeGreaterThan(0);
  const [{ gpus }] = await query<{ gpus: number }>(
    `SELECT COUNT(DISTINCT uuid)::int AS gpus FROM gpus WHERE org_id = $1 AND last_seen_at >= $2 AND first_seen_at < $3`,
    [demoOrgId, w.last30Start, w.end],
  ) as [{ gpus: number }];

  await page.goto(`/${DEMO.slug}/overview`);
  const last30 = page.getByRole("region", { name: "Last 30 days", exact: true });
  for (const s of sums) {
    await expect(last30).toContainText(formatMoney(s.last30, s.currency));
    await expect(page.getByRole("region", { name: "This month", exact: true })).toContainText(formatMoney(s.mtd, s.currency));
    await expect(page.getByRole("region", { name: "GPU spend", exact: true })).toContainText(formatMoney(s.gpu, s.currency));
  }
  await expect(last30.locator(".value")).toHaveCount(sums.length);
  await expect(page.getByRole("region", { name: "GPUs", exact: true }).locator(".value")).toHaveText(gpus.toLocaleString("en-US"));
  await expect(page.getByRole("region", { name: "Fleet utilization", exact: true }).locator(".value")).toHaveText(/%|No data/);
  await expect(page.getByRole("heading", { name: /Daily spend, last 30 days/ })).toBeVisible();
  await expect(page.locator(".recharts-surface").first()).toBeVisible();
});
