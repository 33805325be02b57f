// Helpers of the dashboard specs: the page's resolved window, the API as the page's user, CSV
// downloads, axe-core and the 1440×900 screenshots (test-results/, not committed).
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, type TestInfo } from "@playwright/test";
import { readFileSync } from "node:fs";
import { DEMO } from "./env";

export async function viewWindow(page: Page): Promise<{ from: string; to: string }> {
  const controls = page.getByTestId("view-controls");
  await expect(controls).toHaveAttribute("data-from", /Z$/);
  return { from: (await controls.getAttribute("data-from"))!, to: (await controls.getAttribute("data-to"))! };
}

export async function apiJson<T>(page: Page, path: string, params: Record<string, string> = {}): Promise<T> {
  const qs = new URLSearchParams(params).toString();
  const res = await page.request.get(`${path}${qs ? `?${qs}` : ""}`, { headers: { "x-burnrate-org": DEMO.slug } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as T;
}

/** Clicks the table's Export CSV and parses the download (simple CSV: the specs' values have no quotes). */
export async function downloadCsv(page: Page, scope = page.locator("body")): Promise<Array<Record<string, string>>> {
  const [download] = await Promise.all([page.waitForEvent("download"), scope.getByRole("button", { name: "Export CSV" }).first().click()]);
  const text = readFileSync((await download.path())!, "utf8");
  const [header, ...lines] = text.trim().split(/\r?\n/).map(parseCsvLine);
  return lines.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i] ?? ""])));
}

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (q) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ",") {
      out.push(cur);
      cur = "";
    }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

export async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(" | ")})`)).toEqual([]);
}

export async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: false });
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: false });
}
