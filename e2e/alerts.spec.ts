// Budget alert end to end: create a budget and a Slack channel in the UI, ingest a small FOCUS bill
// that crosses the budget (the CLI), run the alerts evaluation job, and see the alert on a loopback
// "Slack" receiver and in the alert history page. In the lab org: the new spend must not move the demo
// org's figures while other specs compare them with SQL.
import { expect, test } from "@playwright/test";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { startSlackReceiver, type SlackReceiver } from "../tests/support/slack-receiver";
import { BASE_URL, E2E_DATABASE_URL, LAB_ORG } from "./env";

const ROOT = path.resolve(__dirname, "..");
// Async: the loopback receiver lives in this process, so its event loop must keep running meanwhile.
const run = promisify(execFile);
const ENCRYPTION_KEY = process.env.E2E_ENCRYPTION_KEY ?? "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
let slack: SlackReceiver;
let tmp: string;

test.beforeAll(async () => {
  slack = await startSlackReceiver();
  tmp = mkdtempSync(path.join(os.tmpdir(), "e2e-alerts-"));
});
test.afterAll(async () => {
  await slack?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** One FOCUS 1.2 usage line of `cost` USD for `service`, charged on the 1st of the current UTC month. */
function focusBill(file: string, { service, account, cost }: { service: string; account: string; cost: string }) {
  const now = new Date();
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const iso = (d: Date) => d.toISOString().replace(".000Z", "Z");
  const header =
    "BilledCost,EffectiveCost,ListCost,ContractedCost,BillingAccountId,BillingAccountName,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargeCategory,ChargeClass,ChargeDescription,ChargeFrequency,ChargePeriodStart,ChargePeriodEnd,ConsumedQuantity,ConsumedUnit,HostProviderName,InvoiceId,InvoiceIssuerName,PricingCategory,PricingCurrency,PricingQuantity,PricingUnit,ResourceId,ServiceCategory,ServiceName,ServiceProviderName,SkuId,SubAccountId,Tags,x_UsageType";
  const line = `${cost},${cost},${cost},${cost},${account},E2E alerts,USD,${iso(start)},${iso(end)},Usage,,E2E inference,Usage-Based,${iso(start)},${iso(new Date(start.getTime() + 3_600_000))},1,Hours,AWS,INV-E2E,"Amazon Web Services, Inc.",Standard,USD,1,Hours,i-e2e-alerts,AI and Machine Learning,${service},AWS,SKUE2E,${account},"{""team"":""e2e""}",E2E`;
  writeFileSync(file, `${header}\n${line}\n`);
}

test("a budget crossed by new spend alerts Slack once and shows in the alert history", async ({ page }) => {
  test.setTimeout(120_000);
  const id = randomBytes(3).toString("hex");
  const budgetName = `E2E alerts ${id}`;
  const service = `E2E Inference ${id}`;
  const channel = `#e2e-${id}`;

  // 1. A budget of $1,000 a month on one service, in the UI.
  await page.goto(`/${LAB_ORG.slug}/budgets`);
  await expect(page.getByRole("heading", { name: "New budget" })).toBeVisible();
  const form = page.getByRole("form", { name: "New budget" });
  await form.getByLabel("Name").fill(budgetName);
  await form.getByLabel("Amount").fill("1000");
  await form.getByLabel("Scope").selectOption("SERVICE");
  await form.getByLabel("Service", { exact: true }).fill(service);
  await form.getByRole("button", { name: "Create budget" }).click();
  await expect(page.getByRole("status")).toHaveText(`Budget "${budgetName}" created`);
  await expect(page.getByTestId("burn-down")).toContainText(`Spent $0.00 of $1,000.00 (0%)`);

  // 2. A Slack channel (the loopback receiver) for that service's alerts, and its test message.
  await page.goto(`/${LAB_ORG.slug}/settings?tab=slack`);
  const ch = page.getByRole("form", { name: "Add a Slack channel" });
  await ch.getByLabel("Name").fill(channel);
  await ch.getByLabel("Webhook URL").fill(slack.url(`/hooks/${id}`));
  await ch.getByLabel("Only alerts for").selectOption("SERVICE");
  await ch.getByLabel("Which (empty = any)").fill(service);
  await ch.getByRole("button", { name: "Add channel" }).click();
  const row = page.getByTestId(`channel-${channel}`);
  await expect(row).toContainText("127.0.0.1");
  await expect(row).not.toContainText(`/hooks/${id}`);
  await row.getByRole("button", { name: "Send test message" }).click();
  await expect(page.getByRole("status")).toHaveText(`Test message sent to ${channel}`);
  await expect.poll(() => slack.received.filter((m) => m.path === `/hooks/${id}`).length).toBe(1);

  // 3. Spend that crosses it: a FOCUS bill of $1,234.56 ingested with the CLI (its own billing account).
  const bill = path.join(tmp, `bill-${id}.csv`);
  focusBill(bill, { service, account: `e2e-alerts-${id}`, cost: "1234.56" });
  const env = { ...process.env, DATABASE_URL: E2E_DATABASE_URL, ENCRYPTION_KEY, APP_URL: BASE_URL, QUEUE_PREFIX: `e2e-alerts-${id}`, LOG_LEVEL: "warn" };
  const ingested = (await run(path.join(ROOT, "node_modules/.bin/tsx"), ["lib/cli/main.ts", "ingest", "bill", bill, "--org", LAB_ORG.slug, "--no-refresh", "--json"], { cwd: ROOT, env, timeout: 60_000 })).stdout;

  // 4. The alerts job: evaluation, then delivery to the channel.
  const evaluated = (await run(path.join(ROOT, "node_modules/.bin/tsx"), ["e2e/alerts-evaluate.ts", LAB_ORG.slug], { cwd: ROOT, env, timeout: 90_000 })).stdout;
  const messages = slack.received.filter((m) => m.path === `/hooks/${id}`).slice(1);
  const crossed = messages.find((m) => m.body.text?.includes(`Budget "${budgetName}" reached 100%`));
  expect(crossed, `${ingested}\n${evaluated}\n${JSON.stringify(messages.map((m) => m.body.text))}`).toBeTruthy();
  expect(crossed!.body.text).toContain("$1,234.56 spent of $1,000.00");
  expect(crossed!.raw).toContain(`${BASE_URL}/${LAB_ORG.slug}/budgets?budget=`);
  // One message per crossing: 100% (50% and 80% are recorded as superseded), plus the forecast one
  // unless today is the month's last day.
  expect(messages.filter((m) => m.body.text?.includes("reached")).length).toBe(1);

  // 5. The alert history shows it, delivered; the budget page shows it over budget.
  await page.goto(`/${LAB_ORG.slug}/alerts`);
  const item = page.getByRole("row").filter({ hasText: `Budget "${budgetName}" reached 100%` });
  await expect(item).toContainText(`Slack ${channel}: ✓ sent`);
  await expect(item).toContainText("critical");
  await expect(page.getByRole("row").filter({ hasText: `Test message to ${channel}` })).toContainText("✓ sent");
  await page.goto(`/${LAB_ORG.slug}/budgets`);
  await page.getByRole("button", { name: budgetName }).click();
  await expect(page.getByTestId("burn-down")).toContainText("Spent $1,234.56 of $1,000.00 (123.5%)");
  await expect(page.getByRole("row").filter({ hasText: budgetName })).toContainText("Over budget");
});
