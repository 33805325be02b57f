import { defineConfig, devices } from "@playwright/test";
import { ADMIN_STATE, BASE_URL, E2E_DATABASE_URL, E2E_ENCRYPTION_KEY, E2E_PORT, E2E_QUEUE_PREFIX, E2E_REDIS_URL } from "./e2e/env";

// Runs against the production build: the test script runs `next build` first. The server is started
// before the global setup (Playwright's order); it reads the database only on requests.
export default defineConfig({
  testDir: "./e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/, use: { ...devices["Desktop Chrome"] } },
    {
      name: "chromium",
      testIgnore: [/auth\.setup\.ts/, /connector-run\.spec\.ts/],
      dependencies: ["setup"],
      use: { ...devices["Desktop Chrome"], storageState: ADMIN_STATE },
    },
    // Last and alone: this spec starts a real worker on the shared queue, which would also run the
    // first scheduled job of every connector the other specs add (and change what they assert).
    {
      name: "with-worker",
      testMatch: /connector-run\.spec\.ts/,
      dependencies: ["chromium"],
      use: { ...devices["Desktop Chrome"], storageState: ADMIN_STATE },
    },
  ],
  webServer: {
    command: `node_modules/.bin/next start -p ${E2E_PORT} -H 127.0.0.1`,
    url: `${BASE_URL}/signin`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      DATABASE_URL: E2E_DATABASE_URL,
      NEXTAUTH_URL: BASE_URL,
      APP_URL: BASE_URL,
      NEXTAUTH_SECRET: process.env.E2E_NEXTAUTH_SECRET ?? "e2e-only-secret-0123456789abcdef0123456789abcdef",
      ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
      // Shared with the worker e2e/connector-run.spec.ts starts, and with no other run.
      REDIS_URL: E2E_REDIS_URL,
      QUEUE_PREFIX: E2E_QUEUE_PREFIX,
      ALLOW_SIGNUP: "true",
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
    },
  },
});
