// Recreates the e2e database, applies the migrations (prisma migrate deploy, as production does) and
// seeds it (e2e/seed.ts: the CLI's `seed --demo`, then the suite's own fixtures). Playwright starts the
// web server before this runs; that is safe because the server opens no database connection until the
// first request, and its readiness URL (/signin) needs none.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { dropDatabase, migrate, recreateDatabase } from "../tests/setup/test-db";
import { AUTH_DIR, E2E_DATABASE, E2E_DATABASE_PINNED } from "./env";

export default async function globalSetup() {
  const started = Date.now();
  const root = path.resolve(__dirname, "..");
  mkdirSync(AUTH_DIR, { recursive: true });
  const url = await recreateDatabase(E2E_DATABASE);
  migrate(url);
  execFileSync(path.join(root, "node_modules/.bin/tsx"), ["e2e/seed.ts", url], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    stdio: "inherit",
    timeout: 300_000,
  });
  process.stdout.write(`e2e database ${E2E_DATABASE} ready in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  // Teardown: this run's sessions and, unless pinned, its database.
  return async () => {
    rmSync(AUTH_DIR, { recursive: true, force: true });
    if (!E2E_DATABASE_PINNED) await dropDatabase(E2E_DATABASE);
  };
}
