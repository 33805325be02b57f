import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startS3rver, S3RVER_CREDENTIALS } from "../tests/support/s3rver";
import { DEMO, VIEWER_STATE } from "./env";
import { fixtures, query } from "./helpers";

const FOCUS_CSV = [
  "BillingAccountId,BillingCurrency,BillingPeriodStart,BillingPeriodEnd,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ProviderName,BilledCost,EffectiveCost",
  "e2e-acct,USD,2024-09-01,2024-10-01,2024-09-02T00:00:00Z,2024-09-02T01:00:00Z,Usage,AWS,1.25,1.00",
].join("\n");

/** A loopback bill export that wants a bearer token, and remembers the Authorization headers it saw. */
async function billServer(token: string): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    seen.push(req.headers.authorization ?? "");
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end("unauthorized");
      return;
    }
    res.writeHead(200, { etag: '"e2e-v1"', "content-type": "text/csv", "content-length": Buffer.byteLength(FOCUS_CSV) });
    res.end(req.method === "HEAD" ? undefined : FOCUS_CSV);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/exports/focus.csv`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

test.describe("bill sources, as an admin", () => {
  test("add an HTTPS bill source with a token, test it, edit it (token kept), delete it", async ({ page }) => {
    const name = `bills-${Math.random().toString(36).slice(2, 8)}`;
    const token = `e2e-bill-token-${Math.random().toString(36).slice(2, 10)}`;
    const source = await billServer(token);
    try {
      await page.goto(`/${DEMO.slug}/settings?tab=connectors`);
      const form = page.getByRole("form", { name: "Add a bill source" });
      await form.getByLabel("Source").selectOption("BILL_HTTPS");
      await form.getByLabel("Name", { exact: true }).fill(name);
      await form.getByLabel("URL").fill(source.url);
      await form.getByLabel("Format").selectOption("focus-1.0");
      await form.getByLabel("Credentials").selectOption("bearer");
      await form.getByLabel("Bearer token").fill(token);

      await form.getByRole("button", { name: "Test connection" }).click();
      const result = form.getByTestId("bill-connection-test");
      await expect(result).toContainText("Connection OK", { timeout: 20_000 });
      await expect(result).toContainText('version "e2e-v1"');
      expect(source.seen).toContain(`Bearer ${token}`);

      await form.getByRole("button", { name: "Add bill source" }).click();
      await expect(page.getByRole("status").filter({ hasText: `Added ${name}` })).toBeVisible();
      const row = page.locator(`[data-testid="bill-connector-row"][data-name="${name}"]`);
      await expect(row).toBeVisible();
      await expect(row).toContainText("HTTPS URL");
      await expect(row).toContainText(source.url);
      await expect(row).toContainText("focus-1.0");
      await expect(row).toContainText("Never run");
      await expect(row).toContainText("every 1 h");
      await expect(row.getByRole("cell", { name: "set", exact: true })).toBeVisible();
      await expect(page.locator("body")).not.toContainText(token);

      const [stored] = await query<{ id: string; kind: string; secret: string | null; org_id: string; config: { url: string; format: string } }>(
        `SELECT id, kind, secret_ciphertext AS secret, org_id, config FROM connectors WHERE name = $1`,
        [name],
      );
      expect(stored).toMatchObject({ kind: "BILL_HTTPS", org_id: fixtures().demoOrgId, config: { url: source.url, format: "focus-1.0" } });
      expect(stored!.secret).toBeTruthy();
      expect(stored!.secret).not.toContain(token);

      // Edit: a new interval; the credentials select keeps the stored token.
      await row.getByRole("button", { name: `Edit ${name}` }).click();
      const edit = page.getByRole("form", { name: `Edit bill source ${name}` });
      await expect(edit.getByLabel("Credentials")).toHaveValue("keep");
      await edit.getByLabel("Pull every (seconds)").fill("900");
      // The stored token is used for the test of the edited settings.
      source.seen.length = 0;
      await edit.getByRole("button", { name: "Test connection" }).click();
      await expect(edit.getByTestId("bill-connection-test")).toContainText("Connection OK", { timeout: 20_000 });
      expect(source.seen).toContain(`Bearer ${token}`);
      await edit.getByRole("button", { name: "Save" }).click();
      await expect(page.getByRole("status").filter({ hasText: `Saved ${name}` })).toBeVisible();
      await expect(row).toContainText("every 15 min");
      const [after] = await query<{ secret: string | null; every: number }>(`SELECT secret_ciphertext AS secret, every_seconds AS every FROM connectors WHERE id = $1`, [stored!.id]);
      expect(after).toEqual({ secret: stored!.secret, every: 900 });

      // Disable, then delete with confirmation.
      await row.getByRole("button", { name: `Disable ${name}` }).click();
      await expect(row).toContainText("Disabled");
      await expect(row.getByRole("button", { name: `Pull ${name} now` })).toBeDisabled();
      await row.getByRole("button", { name: `Delete ${name}` }).click();
      await row.getByRole("button", { name: "Confirm delete" }).click();
      await expect(page.getByRole("status").filter({ hasText: `Deleted ${name}` })).toBeVisible();
      await expect(row).toHaveCount(0);
      expect(await query(`SELECT id FROM connectors WHERE id = $1`, [stored!.id])).toEqual([]);
    } finally {
      await source.close();
    }
  });

  test("add an S3 prefix bill source (loopback S3), whose test lists the export's files; a missing bucket fails the test", async ({ page }) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "e2e-s3-"));
    const s3 = await startS3rver({ directory: dir });
    const name = `cur-${Math.random().toString(36).slice(2, 8)}`;
    try {
      await s3.put("cur/acme/BILLING_PERIOD=2024-09/acme-00001.csv", FOCUS_CSV);
      await s3.put("cur/acme/BILLING_PERIOD=2024-09/acme-Manifest.json", "{}");
      await page.goto(`/${DEMO.slug}/settings?tab=connectors`);
      const form = page.getByRole("form", { name: "Add a bill source" });
      await form.getByLabel("Name", { exact: true }).fill(name);
      await form.getByLabel("Bucket").fill("no-such-bucket");
      await form.getByLabel("Prefix").fill("cur/acme/");
      await form.getByLabel(/Endpoint/).fill(s3.endpoint);
      await form.getByLabel("Credentials").selectOption("s3");
      await form.getByLabel("Access key ID").fill(S3RVER_CREDENTIALS.accessKeyId);
      await form.getByLabel("Secret access key").fill(S3RVER_CREDENTIALS.secretAccessKey);
      await form.getByRole("button", { name: "Test connection" }).click();
      await expect(form.getByTestId("bill-connection-test")).toContainText("Connection failed", { timeout: 20_000 });
      await expect(form.getByTestId("bill-connection-test")).toContainText("NoSuchBucket");

      await form.getByLabel("Bucket").fill(s3.bucket);
      await form.getByRole("button", { name: "Test connection" }).click();
      await expect(form.getByTestId("bill-connection-test")).toContainText(/Connection OK \(\d+ ms\): 2 objects under the prefix, 1 bill files/, { timeout: 20_000 });

      await form.getByRole("button", { name: "Add bill source" }).click();
      await expect(page.getByRole("status").filter({ hasText: `Added ${name}` })).toBeVisible();
      const row = page.locator(`[data-testid="bill-connector-row"][data-name="${name}"]`);
      await expect(row).toContainText("S3 prefix");
      await expect(row).toContainText("s3://bills/cur/acme/");
      await expect(page.locator("body")).not.toContainText(S3RVER_CREDENTIALS.secretAccessKey);
      const [stored] = await query<{ secret: string }>(`SELECT secret_ciphertext AS secret FROM connectors WHERE name = $1`, [name]);
      expect(stored!.secret).not.toContain(S3RVER_CREDENTIALS.secretAccessKey);

      await row.getByRole("button", { name: `Delete ${name}` }).click();
      await row.getByRole("button", { name: "Confirm delete" }).click();
      await expect(row).toHaveCount(0);
    } finally {
      await s3.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

test.describe("bill sources, as a viewer", () => {
  test.use({ storageState: VIEWER_STATE });

  test("the bill sources are listed read-only", async ({ page }) => {
    await page.goto(`/${DEMO.slug}/settings?tab=connectors`);
    await expect(page.getByRole("heading", { name: "Bill sources" })).toBeVisible();
    await expect(page.getByRole("form", { name: "Add a bill source" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Pull .* now$/ })).toHaveCount(0);
  });
});
