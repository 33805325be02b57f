// Settings shared by playwright.config.ts, the global setup and the specs.
import path from "node:path";
import { urlFor } from "../tests/setup/test-db";

// One database, port and auth folder per run, so two runs on one machine never collide. The runner
// sets E2E_RUN_ID once; its workers and the seed process inherit it. E2E_DATABASE_NAME pins the
// database (and keeps it after the run for a look); E2E_PORT pins the port.
process.env.E2E_RUN_ID ??= String(process.pid);
const RUN_ID = process.env.E2E_RUN_ID;
// Browsers refuse some ports (their "unsafe ports" list, which Next.js also refuses to listen on):
// 3659 (apple-sasl) is the one in this range.
const UNSAFE_PORTS = new Set([3659]);
const derivedPort = 3210 + (Number(RUN_ID) % 500);
export const E2E_PORT = Number(process.env.E2E_PORT ?? (UNSAFE_PORTS.has(derivedPort) ? derivedPort + 1 : derivedPort));
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const E2E_DATABASE_PINNED = Boolean(process.env.E2E_DATABASE_NAME);
export const E2E_DATABASE = process.env.E2E_DATABASE_NAME ?? `burnrate_e2e_${RUN_ID}`;
export const E2E_DATABASE_URL = urlFor(E2E_DATABASE);
/** BullMQ prefix of this run: the web server and a worker started by a spec share it, other runs never see it. */
export const E2E_QUEUE_PREFIX = `burnrate-e2e-${RUN_ID}`;
export const E2E_REDIS_URL = process.env.E2E_REDIS_URL ?? "redis://127.0.0.1:6379";
export const E2E_ENCRYPTION_KEY = process.env.E2E_ENCRYPTION_KEY ?? "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
export const AUTH_DIR = path.join(__dirname, ".auth", `run-${RUN_ID}`);
export const ADMIN_STATE = path.join(AUTH_DIR, "admin.json");
export const VIEWER_STATE = path.join(AUTH_DIR, "viewer.json");
export const FIXTURES_FILE = path.join(AUTH_DIR, "fixtures.json");

/** The demo login (created by `burnrate seed --demo`). */
export const DEMO = { slug: "demo", email: "demo@burnrate.dev", password: "burnrate-demo" };
/** Fixtures the global setup adds on top of the demo org. */
export const E2E_PASSWORD = "e2e-password-1";
export const VIEWER = { email: "e2e-viewer@e2e.test", name: "Vera Viewer" };
export const SECOND_ORG = { slug: "e2e-second", name: "Second Lab" };
export const OTHER_ORG = { slug: "e2e-other", name: "Othercorp Confidential" };
/**
 * An org of the demo admin (ADMIN) and the viewer (VIEWER) for the specs that change org-wide state
 * (the idle threshold, a connector run that adds GPUs): the demo org's figures, which other specs
 * compare with SQL while they run in parallel, never move under them.
 */
export const LAB_ORG = { slug: "e2e-lab", name: "Mutation Lab" };

export type Fixtures = {
  demoOrgId: string;
  labOrgId: string;
  /** An ADMIN key of the demo org (org A), for API-key tenancy checks. */
  demoApiKey: string;
  other: { orgId: string; slug: string; name: string; membershipIds: string[]; invitationIds: string[]; apiKeyIds: string[]; secrets: string[] };
};
