// Signs in once per role and saves the session for the other specs.
import { expect, test as setup } from "@playwright/test";
import { ADMIN_STATE, DEMO, E2E_PASSWORD, VIEWER, VIEWER_STATE } from "./env";
import { signInThroughApi, signInThroughUi } from "./helpers";

setup("sign in as the demo admin through the UI", async ({ page }) => {
  await signInThroughUi(page, DEMO.email, DEMO.password);
  await expect(page).toHaveURL(new RegExp(`/${DEMO.slug}/overview$`));
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await page.context().storageState({ path: ADMIN_STATE });
});

setup("sign in as a viewer", async ({ page }) => {
  await signInThroughApi(page, VIEWER.email, E2E_PASSWORD);
  await page.context().storageState({ path: VIEWER_STATE });
});
