// `npm run bench:reports`: p50/p95 server-side latency of every report at 30 and 365 days on one year
// of hourly data for 1,024 GPUs (bench/reports-fleet.ts), next to the simplest direct SQL for the same
// aggregate over the raw hourly table (the baseline). Targets: p95 < 300 ms at 30 days, < 1 s at 365.
//
// Reports run as the product runs them (runReport: whole days from the daily rollup, edge hours from
// the hourly tables, lib/costs/daily-rollup.ts). Each case is also run once through the hourly tables
// alone (HOURLY_SOURCES) and the two results compared: money must be equal as strings, float-derived
// figures to 1e-9 relative. --hourly-path times that path too (slow: tens of seconds per 365-day report).
//
// Latency is measured in-process around runReport + JSON serialization: everything the route handler
// does except resolving the API key (one indexed lookup). Runs against its own database
// (BENCH_REPORTS_DATABASE_URL, default burnrate_bench_reports), recreated unless --reuse finds the fleet.
// The fleet loader writes rates directly (a year of refreshRollups takes longer than the benchmark);
// the daily rollup is then built by the product's rebuildDailyRollups, month by month, and timed.
//
// Usage: npm run bench:reports [-- --reuse] [--days 365] [--runs 15] [--hourly-path] [--no-check] [--check-365]
import { performance } from "node:perf_hooks";
import pg from "pg";
import { migrate, recreateDatabase, urlFor } from "../tests/setup/test-db";
import { BENCH_SLUG, loadBenchFleet } from "./reports-fleet";
import { CASES, timeIt } from "./reports-cases";
import type { ReportQuery } from "../lib/domain/reports";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;

/** Differences between two report documents: money (strings) exactly, numbers to 1e-9 relative. */
function reportDifferences(a: unknown, b: unknown, path = ""): string[] {
  if (typeof a === "number" && typeof b === "number") {
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)) ? [] : [`${path}: ${a} vs ${b}`];
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}: ${a.length} vs ${b.length} items`];
    return a.flatMap((x, i) => reportDifferences(x, b[i], `${path}[${i}]`));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => reportDifferences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return a === b ? [] : [`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
}

async function main() {
  const days = Number(arg("days") ?? 365);
  const runs = Number(arg("runs") ?? 15);
  const reuse = process.argv.includes("--reuse");
  const url = process.env.BENCH_REPORTS_DATABASE_URL ?? urlFor("burnrate_bench_reports");
  process.env.DATABASE_URL = url;
  const { createPrisma } = await import("../lib/db/client");
  const { runReport } = await import("../lib/costs/run-report");
  const { HOURLY_SOURCES } = await import("../lib/costs/queries/common");
  const { rebuildDailyRollups } = await import("../lib/costs/daily-rollup");
  const { refreshRollups } = await import("../lib/costs/refresh-rollups");
  const os = await import("node:os");
  console.log(`bench:reports on ${new URL(url).pathname.slice(1)} (${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")})`);

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

  // ── the daily rollup: built once per loaded fleet (the fleet's days are all marked missing below) ──
  const [{ built }] = (await pool.query<{ built: boolean }>("SELECT EXISTS (SELECT 1 FROM gpu_daily WHERE org_id = $1) AS built", [orgId])).rows as [{ built: boolean }];
  if (!built) {
    const [{ min }] = (await pool.query<{ min: Date }>("SELECT min(hour) AS min FROM gpu_hourly WHERE org_id = $1", [orgId])).rows as [{ min: Date }];
    const first = new Date(Math.floor(min.getTime() / DAY) * DAY);
    const t0 = performance.now();
    for (let d = first; d < end; d = new Date(Math.min(end.getTime(), d.getTime() + 31 * DAY))) {
      const dayTo = new Date(Math.min(end.getTime(), d.getTime() + 31 * DAY));
      await prisma.$transaction((tx) => rebuildDailyRollups(tx, { orgId, dayFrom: d, dayTo }), { timeout: 600_000 });
    }
    console.log(`daily rollup built month by month (rebuildDailyRollups) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await pool.query("VACUUM ANALYZE gpu_daily, workload_daily, workload_latency_daily");
  }
  const [counts] = (await pool.query<{ g: string; w: string; l: string; size: string; stale: string }>(
    `SELECT (SELECT count(*) FROM gpu_daily WHERE org_id = $1) AS g, (SELECT count(*) FROM workload_daily WHERE org_id = $1) AS w,
            (SELECT count(*) FROM workload_latency_daily WHERE org_id = $1) AS l, (SELECT count(*) FROM rollup_stale_days WHERE org_id = $1) AS stale,
            pg_size_pretty(pg_total_relation_size('gpu_daily') + pg_total_relation_size('workload_daily') + pg_total_relation_size('workload_latency_daily')) AS size`,
    [orgId],
  )).rows;
  console.log(`daily rollup: ${Number(counts!.g).toLocaleString("en-US")} gpu_daily, ${Number(counts!.w).toLocaleString("en-US")} workload_daily, ${Number(counts!.l).toLocaleString("en-US")} latency rows, ${counts!.size}; ${counts!.stale} stale days`);
  // What an ingestion's refresh costs now: the hourly rollup of the last 6 hours plus the rebuild of their day.
  {
    const t0 = performance.now();
    const r = await refreshRollups(prisma, { orgId, from: new Date(end.getTime() - 6 * HOUR), to: end });
    console.log(`refreshRollups of the last 6 hours (hourly + the day's daily rollup): ${(performance.now() - t0).toFixed(0)} ms, ${r.gpuDailyRows} gpu_daily rows rewritten`);
  }

  const windows = [30, 365].filter((d) => d <= days);
  const rows: string[][] = [];
  const hourlyPath = process.argv.includes("--hourly-path");
  let differences = 0;
  for (const d of windows) {
    // A window ending 5 hours before the data's end, starting mid-day: edge hours on both sides.
    const to = new Date(end.getTime() - 5 * HOUR);
    const from = new Date(to.getTime() - d * DAY);
    for (const c of CASES) {
      const query: Omit<ReportQuery, "format"> = { from, to, groupBy: c.groupBy ?? [], filters: {}, costBasis: "effective" };
      const report = await timeIt(runs, async () => JSON.stringify(await runReport(prisma, { orgId, kind: c.kind, query })));
      // The baseline scans the raw hourly rows: fewer samples over a year (p95 of 3 = the slowest).
      const n = d > 30 ? Math.min(runs, 3) : runs;
      const baseline = await timeIt(n, () => pool.query(c.baseline, [orgId, from, to]));
      let same = "-";
      if (!process.argv.includes("--no-check") && (d <= 30 || process.argv.includes("--check-365"))) {
        const [viaDaily, viaHourly] = [await runReport(prisma, { orgId, kind: c.kind, query }), await runReport(prisma, { orgId, kind: c.kind, query, sources: HOURLY_SOURCES })];
        const diff = reportDifferences(JSON.parse(JSON.stringify(viaDaily)), JSON.parse(JSON.stringify(viaHourly)));
        differences += diff.length;
        same = diff.length ? `DIFFERENT (${diff.length}: ${diff.slice(0, 2).join("; ")})` : "same";
      }
      const old = hourlyPath ? await timeIt(n, async () => JSON.stringify(await runReport(prisma, { orgId, kind: c.kind, query, sources: HOURLY_SOURCES }))) : null;
      rows.push([
        `${d} d`,
        c.label,
        ms(report.p50),
        ms(report.p95),
        ms(baseline.p50),
        ms(baseline.p95),
        old ? ms(old.p95) : "        -",
        report.p95 < (d <= 30 ? 300 : 1000) ? "ok" : "MISSED",
        same,
      ]);
      console.log(rows.at(-1)!.join("  "));
    }
  }
  console.log(`\n(load average now ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}; the machine's 2 cores are shared with other work)`);
  console.log("window  report                          p50 report  p95 report  p50 baseline  p95 baseline  p95 hourly path  target  vs hourly path");
  for (const r of rows) console.log(`${r[0]!.padEnd(7)} ${r[1]!.padEnd(31)} ${r[2]}   ${r[3]}   ${r[4]}     ${r[5]}     ${r[6]}        ${r[7]!.padEnd(6)}  ${r[8]}`);
  await pool.end();
  await prisma.$disconnect();
  if (differences) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
