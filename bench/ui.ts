// `npm run bench:ui`: time until the Overview and the GPU fleet heatmap are fully rendered in Chromium,
// on the production build (`next start`), with the demo data and with the 1,024-GPU benchmark fleet
// (bench/reports-fleet.ts, the generator behind bench:reports) over the 30 days the pages show.
// Targets: Overview < 1.5 s, heatmap of 1,024 GPUs × 30 days of hours < 2.5 s.
//
// "Fully rendered" = from navigation start until every figure and chart is on screen with no loading
// placeholder left: Overview: the calendar cards, the period cards, the wasters and both charts;
// heatmap: the canvas painted with every GPU row × 720 hour columns and the GPU table's totals row.
// Each page is loaded once to warm up, then measured --runs times (default 5): p50 and max printed.
//
// Databases (own, recreated unless --reuse finds them): burnrate_bench_ui_demo (`burnrate seed
// --demo`), burnrate_bench_ui_fleet (30 days × 1,024 GPUs ending tomorrow 00:00 UTC, so the
// "last 30 days" window is full). Builds with `next build` when there is no build (.next/BUILD_ID).
//
// Usage: npm run bench:ui [-- --reuse] [--runs 5] [--only demo|fleet]
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { chromium, type Page } from "@playwright/test";
import { migrate, recreateDatabase, urlFor } from "../tests/setup/test-db";

const root = path.resolve(__dirname, "..");
const DAY = 86_400_000;
const PASSWORD = "bench-ui-password";
const DEMO_EMAIL = "demo@burnrate.dev";
const DEMO_PASSWORD = "burnrate-demo";
const BENCH_EMAIL = "bench-ui@burnrate.dev";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function orgExists(url: string, slug: string): Promise<boolean> {
  const { createPrisma } = await import("../lib/db/client");
  const prisma = createPrisma(url, 1);
  try {
    return Boolean(await prisma.org.findUnique({ where: { slug } }));
  } catch {
    return false;
  } finally {
    await prisma.$disconnect();
  }
}

async function prepareDemo(reuse: boolean): Promise<string> {
  const url = urlFor("burnrate_bench_ui_demo");
  if (reuse && (await orgExists(url, "demo"))) return url;
  await recreateDatabase("burnrate_bench_ui_demo");
  migrate(url);
  const t0 = performance.now();
  execFileSync(path.join(root, "node_modules/.bin/tsx"), ["lib/cli/main.ts", "seed", "--demo", "--json"], { cwd: root, env: { ...process.env, DATABASE_URL: url }, stdio: ["ignore", "ignore", "inherit"] });
  console.log(`  demo seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return url;
}

async function prepareFleet(reuse: boolean): Promise<string> {
  const url = urlFor("burnrate_bench_ui_fleet");
  const { BENCH_SLUG, loadBenchFleet } = await import("./reports-fleet");
  if (reuse && (await orgExists(url, BENCH_SLUG))) return url;
  await recreateDatabase("burnrate_bench_ui_fleet");
  migrate(url);
  const { createPrisma } = await import("../lib/db/client");
  const { hashPassword } = await import("../lib/auth/passwords");
  const prisma = createPrisma(url, 4);
  try {
    const end = new Date(Math.floor(Date.now() / DAY) * DAY + DAY);
    const t0 = performance.now();
    const fleet = await loadBenchFleet({ prisma, url, end, days: 30, log: (s) => console.log(`  ${s}`) });
    console.log(`  fleet loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${fleet.gpus} GPUs, ${fleet.rows.gpuHourly.toLocaleString("en-US")} GPU-hours`);
    const user = await prisma.user.create({ data: { email: BENCH_EMAIL, name: "Bench UI", passwordHash: await hashPassword(PASSWORD) } });
    await prisma.membership.create({ data: { orgId: fleet.orgId, userId: user.id, role: "ADMIN" } });
    // The loader writes gpu_hourly directly (no rollups job): build the daily rollup the pages read, as the job would.
    const { rebuildDailyRollups } = await import("../lib/costs/daily-rollup");
    const t1 = performance.now();
    await prisma.$transaction((tx) => rebuildDailyRollups(tx, { orgId: fleet.orgId, dayFrom: new Date(end.getTime() - 30 * DAY), dayTo: end }), { timeout: 600_000 });
    console.log(`  daily rollup built in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    await prisma.$executeRawUnsafe("ANALYZE");
  } finally {
    await prisma.$disconnect();
  }
  return url;
}

async function startServer(databaseUrl: string, port: number): Promise<ChildProcess> {
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NEXTAUTH_URL: base,
      APP_URL: base,
      NEXTAUTH_SECRET: "bench-ui-secret-0123456789abcdef0123456789abcdef",
      ENCRYPTION_KEY: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/signin`)).ok) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill("SIGTERM");
  throw new Error("next start did not answer in 60 s");
}

async function signIn(page: Page, email: string, password: string) {
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await page.request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password, json: "true" } });
  if (!res.ok()) throw new Error(`sign-in failed: ${res.status()}`);
}

async function timeOverview(page: Page, slug: string): Promise<number> {
  const t0 = performance.now();
  await page.goto(`/${slug}/overview`, { waitUntil: "commit" });
  await page.getByTestId("card-last30").locator(".value").first().waitFor();
  await page.getByTestId("period-idle-cost").locator(".value").waitFor();
  await page.getByTestId("period-spend").locator(".value").first().waitFor();
  await page.locator('[data-testid="idle-gpus"], [data-testid="period-overview"] .muted:has-text("No idle")').first().waitFor();
  await page.locator(".recharts-surface").nth(1).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="loading"]').length === 0);
  return performance.now() - t0;
}

async function timeHeatmap(page: Page, slug: string): Promise<{ ms: number; painted: string }> {
  const t0 = performance.now();
  await page.goto(`/${slug}/fleet`, { waitUntil: "commit" });
  const canvas = page.getByTestId("heatmap").locator("canvas");
  await page.waitForFunction(() => document.querySelector('[data-testid="heatmap"] canvas')?.getAttribute("data-painted")?.endsWith("x720") ?? false, undefined, { timeout: 60_000 });
  await page.getByTestId("gpu-table").getByTestId("totals").waitFor();
  const ms = performance.now() - t0;
  return { ms, painted: (await canvas.getAttribute("data-painted")) ?? "" };
}

const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function measure(label: string, databaseUrl: string, port: number, login: { email: string; password: string; slug: string }, runs: number) {
  const server = await startServer(databaseUrl, port);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  const out: string[] = [];
  try {
    const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}`, viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, login.email, login.password);
    await timeOverview(page, login.slug); // warm-up (first compile of routes, caches)
    const ov: number[] = [];
    for (let i = 0; i < runs; i++) ov.push(await timeOverview(page, login.slug));
    await timeHeatmap(page, login.slug);
    const hm: number[] = [];
    let painted = "";
    for (let i = 0; i < runs; i++) {
      const r = await timeHeatmap(page, login.slug);
      hm.push(r.ms);
      painted = r.painted;
    }
    const [rows, cols] = painted.split("x");
    out.push(`${label.padEnd(22)} Overview  p50 ${pct(ov, 0.5).toFixed(0).padStart(5)} ms  max ${Math.max(...ov).toFixed(0).padStart(5)} ms  target 1500 ms  ${pct(ov, 0.5) < 1500 ? "ok" : "MISSED"}`);
    out.push(`${label.padEnd(22)} Heatmap   p50 ${pct(hm, 0.5).toFixed(0).padStart(5)} ms  max ${Math.max(...hm).toFixed(0).padStart(5)} ms  target 2500 ms  ${pct(hm, 0.5) < 2500 ? "ok" : "MISSED"}  (${rows} GPUs × ${cols} hours)`);
    for (const l of out) console.log(l);
  } finally {
    await browser.close();
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
  return out;
}

async function main() {
  const reuse = process.argv.includes("--reuse");
  const runs = Number(arg("runs") ?? 5);
  const only = arg("only");
  console.log(`bench:ui (${process.version}, ${(await import("node:os")).cpus().length} cores; timings include other processes' load)`);
  if (!existsSync(path.join(root, ".next/BUILD_ID"))) {
    console.log("no production build: running next build ...");
    execFileSync(path.join(root, "node_modules/.bin/next"), ["build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  }
  const lines: string[] = [];
  if (only !== "fleet") {
    console.log("preparing the demo database ...");
    const url = await prepareDemo(reuse);
    lines.push(...(await measure("demo (112 GPUs)", url, 3591, { email: DEMO_EMAIL, password: DEMO_PASSWORD, slug: "demo" }, runs)));
  }
  if (only !== "demo") {
    console.log("preparing the 1,024-GPU × 30-day database ...");
    const url = await prepareFleet(reuse);
    const { BENCH_SLUG } = await import("./reports-fleet");
    lines.push(...(await measure("bench (1,024 GPUs)", url, 3592, { email: BENCH_EMAIL, password: PASSWORD, slug: BENCH_SLUG }, runs)));
  }
  console.log("\nbench:ui summary (time until fully rendered, production build)");
  for (const l of lines) console.log(l);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
