// `npm run bench:reports`: p50/p95 server-side latency of every report at 30 and 365 days on one year
// of hourly data for 1,024 GPUs (bench/reports-fleet.ts), next to the simplest direct SQL for the same
// aggregate over the raw hourly table (the baseline). Targets: p95 < 300 ms at 30 days, < 1 s at 365.
//
// Latency is measured in-process around runReport + JSON serialization: everything the route handler
// does except resolving the API key (one indexed lookup). Runs against its own database
// (BENCH_REPORTS_DATABASE_URL, default burnrate_bench_reports), recreated unless --reuse finds the fleet.
//
// Usage: npm run bench:reports [-- --reuse] [--days 365] [--runs 15] [--no-hourly] [--no-rollup]
import { performance } from "node:perf_hooks";
import pg from "pg";
import { migrate, recreateDatabase, urlFor } from "../tests/setup/test-db";
import { BENCH_SLUG, loadBenchFleet } from "./reports-fleet";
import { benchDailyRollup } from "./reports-rollup";
import { CASES, timeIt } from "./reports-cases";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;

async function main() {
  const days = Number(arg("days") ?? 365);
  const runs = Number(arg("runs") ?? 15);
  const reuse = process.argv.includes("--reuse");
  const url = process.env.BENCH_REPORTS_DATABASE_URL ?? urlFor("burnrate_bench_reports");
  process.env.DATABASE_URL = url;
  const { createPrisma } = await import("../lib/db/client");
  const { runReport } = await import("../lib/costs/run-report");
  console.log(`bench:reports on ${new URL(url).pathname.slice(1)} (${process.version}, ${(await import("node:os")).cpus().length} cores)`);

  let prisma = createPrisma(url, 4);
  let org = reuse ? await prisma.org.findUnique({ where: { slug: BENCH_SLUG } }).catch(() => null) : null;
  let end: Date;
  if (org) {
    const [r] = await prisma.$queryRaw<Array<{ max: Date }>>`SELECT max(hour) AS max FROM gpu_hourly WHERE org_id = ${org.id}`;
    end = new Date(r!.max.getTime() + HOUR);
    console.log(`reusing the loaded fleet (data up to ${end.toISOString()})`);
  } else {
    await prisma.$disconnect();
    if (!process.env.BENCH_REPORTS_DATABASE_URL) await recreateDatabase("burnrate_bench_reports");
    migrate(url);
    prisma = createPrisma(url, 4);
    end = new Date(Math.floor(Date.now() / DAY) * DAY);
    console.log(`loading ${days} days × 1,024 GPUs ...`);
    const t0 = performance.now();
    const fleet = await loadBenchFleet({ prisma, url, end, days, log: console.log });
    console.log(`  loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${fleet.rows.workloads.toLocaleString("en-US")} workloads`);
    org = await prisma.org.findUniqueOrThrow({ where: { slug: BENCH_SLUG } });
  }
  const orgId = org.id;
  const pool = new pg.Pool({ connectionString: url, max: 2 });

  const windows = [30, 365].filter((d) => d <= days);
  const rows: string[][] = [];
  for (const d of process.argv.includes("--no-hourly") ? [] : windows) {
    // A window ending at the last whole day, starting mid-day: edge hours on both sides.
    const to = new Date(end.getTime() - 5 * HOUR);
    const from = new Date(to.getTime() - d * DAY);
    for (const c of CASES) {
      const query = { from, to, groupBy: c.groupBy ?? [], filters: {}, costBasis: "effective" as const };
      // A year read hour by hour takes tens of seconds per report: fewer samples there (p95 of 3 = the slowest).
      const n = d > 30 ? Math.min(runs, 3) : runs;
      const report = await timeIt(n, async () => JSON.stringify(await runReport(prisma, { orgId, kind: c.kind, query })));
      const baseline = await timeIt(n, () => pool.query(c.baseline, [orgId, from, to]));
      rows.push([`${d} d`, c.label, ms(report.p50), ms(report.p95), ms(baseline.p50), ms(baseline.p95), report.p95 < (d <= 30 ? 300 : 1000) ? "ok" : "MISSED"]);
      console.log(rows.at(-1)!.join("  "));
    }
  }
  console.log("\nwindow  report                          p50 report  p95 report  p50 baseline  p95 baseline  target");
  for (const r of rows) console.log(`${r[0]!.padEnd(7)} ${r[1]!.padEnd(31)} ${r[2]}   ${r[3]}   ${r[4]}     ${r[5]}     ${r[6]}`);

  if (!process.argv.includes("--no-rollup")) await benchDailyRollup({ prisma, pool, orgId, end, windows, runs });
  await pool.end();
  await prisma.$disconnect();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
