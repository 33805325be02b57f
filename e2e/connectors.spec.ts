import { expect, test } from "@playwright/test";
import net from "node:net";
import { DEMO, VIEWER_STATE } from "./env";
import { fixtures, query } from "./helpers";

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

test.describe("telemetry connectors, as an admin", () => {
  test("add a Prometheus connector, test the connection (it fails), see it listed without its token", async ({ page }) => {
    const name = `prom-${Math.random().toString(36).slice(2, 8)}`;
    const token = `e2e-token-${Math.random().toString(36).slice(2, 10)}`;
    const url = `http://127.0.0.1:${await closedPort()}`;

    await page.goto(`/${DEMO.slug}/settings?tab=connectors`);
    const form = page.getByRole("form", { name: "Add a connector" });
    await form.getByLabel("Kind").selectOption("PROMETHEUS");
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("URL").fill(url);
    await form.getByLabel(/Label filters/).fill("cluster=e2e");
    await form.getByLabel("Authentication").selectOption("bearer");
    await form.getByLabel("Bearer token").fill(token);

    await form.getByRole("button", { name: "Test connection" }).click();
    const result = page.getByTestId("connection-test");
    await expect(result).toContainText("Connection failed:", { timeout: 20_000 });
    await expect(result).toHaveAttribute("role", "alert");

    await form.getByRole("button", { name: "Add connector" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Added ${name}` })).toBeVisible();
    const row = page.locator(`[data-testid="connector-row"][data-name="${name}"]`);
    await expect(row).toBeVisible();
    await expect(row).toContainText("Prometheus");
    await expect(row).toContainText(url);
    await expect(row).toContainText("Never run");
    await expect(row.getByRole("cell", { name: "set", exact: true })).toBeVisible();
    await expect(page.locator("body")).not.toContainText(token);

    const [stored] = await query<{ secret: string | null; org_id: string }>(`SELECT secret_ciphertext AS secret, org_id FROM connectors WHERE name = $1`, [name]);
    expect(stored!.org_id).toBe(fixtures().demoOrgId);
    expect(stored!.secret).toBeTruthy();
    expect(stored!.secret).not.toContain(token);

    // Delete with confirmation.
    await row.getByRole("button", { name: `Delete ${name}` }).click();
    await row.getByRole("button", { name: "Confirm delete" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Deleted ${name}` })).toBeVisible();
    await expect(row).toHaveCount(0);
  });

  test("the unmapped GPU time tab explains the label keys", async ({ page }) => {
    await page.goto(`/${DEMO.slug}/settings?tab=unmapped`);
    await expect(page.getByRole("heading", { name: "Unmapped GPU time" })).toBeVisible();
    await expect(page.getByText("training_run_id").first()).toBeVisible();
    await expect(page.getByRole("heading", { name: "GPUs not linked to a bill" })).toBeVisible();
  });
});

test.describe("telemetry connectors, as a viewer", () => {
  test.use({ storageState: VIEWER_STATE });

  test("the connectors tab is read-only", async ({ page }) => {
    await page.goto(`/${DEMO.slug}/settings?tab=connectors`);
    await expect(page.getByRole("heading", { name: "Telemetry connectors" })).toBeVisible();
    await expect(page.getByText("Only admins can add, change or run connectors.")).toBeVisible();
    await expect(page.getByRole("form", { name: "Add a connector" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Run .* now$/ })).toHaveCount(0);
  });
});
