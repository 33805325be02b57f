// `npm run bench:ingest [-- --rows 4000000] [-- --keep]`: generates a FOCUS 1.0 CSV (1,000,000 rows by
// default), ingests it end to end (parse, normalize, validate, GPU recognition, COPY, swap, commit) in a
// process of its own, and times a plain `psql \copy` of the same file into an equivalent bare table
// (same columns, typed, no index or constraint): the floor any loader pays. Prints both, their ratio
// and our peak RSS. Targets: ratio ≤ 2.0, peak RSS < 400 MB and flat as the file grows.
// Runs against its own database (BENCH_INGEST_DATABASE_URL, default burnrate_bench_ingest, recreated).
// `--without-resource-index` drops bill_line_items (org_id, resource_id, charge_period_start) in the bench
// database first: the measurement behind the index decision in docs/ingestion.md (§ Performance).
// The load average is printed before and after: the machine is shared, read absolute times with it,
// and with the CPU times (user+sys) of our process, of its Postgres backend and of the floor's backend.
import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import pg from "pg";
import { createPrisma } from "../lib/db/client";
import { createOrg } from "../lib/orgs/create-org";
import { migrate, recreateDatabase } from "../tests/setup/test-db";
import { BENCH_HEADER, generateFocusCsv } from "./ingest-generate";
import { backendCpuSeconds } from "./proc-cpu";

const exec = promisify(execFile);
const MiB = 2 ** 20;
const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

/** The bare table's column types: what a hand-written loader of this export would declare. */
function bareType(column: string): string {
  if (/Cost$|Quantity$/.test(column)) return "numeric";
  if (/PeriodStart$|PeriodEnd$/.test(column)) return "timestamptz";
  if (column === "Tags") return "jsonb";
  return "text";
}

async function psql(url: string, command: string) {
  const t0 = performance.now();
  await exec("psql", [url, "-v", "ON_ERROR_STOP=1", "-q", "-c", command], { maxBuffer: 1 << 20 });
  return (performance.now() - t0) / 1000;
}

/**
 * The floor's \copy, with the CPU time of the psql session's backend: sampled every 50 ms from /proc
 * while it runs (the backend exits with psql), so it is a lower bound by at most one interval.
 */
async function floorCopy(url: string, command: string) {
  const watcher = new pg.Client({ connectionString: url });
  await watcher.connect();
  let pid: number | null = null;
  let cpu: number | null = null;
  let running = true;
  const poll = (async () => {
    while (running) {
      if (pid === null) {
        const r = await watcher.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'psql' AND pid <> pg_backend_pid()",
        );
        pid = r.rows[0]?.pid ?? null;
      }
      if (pid !== null) cpu = backendCpuSeconds(pid) ?? cpu;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    const seconds = await psql(url, command);
    return { seconds, backendCpu: cpu as number | null };
  } finally {
    running = false;
    await poll;
    await watcher.end();
  }
}

async function ours(url: string, file: string, orgId: string) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "ingest-child.ts"), file, orgId], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  const code = await new Promise<number | null>((r) => child.once("exit", r));
  if (code !== 0) throw new Error(`ingestion child exited with ${code}`);
  return JSON.parse(out.trim().split("\n").pop()!) as { seconds: number; rows: number; billedCost: string; gpuRows: number; peakRssBytes: number; nodeCpu: number; backendCpu: number | null; timings: Record<string, number> };
}

async function main() {
  const { values } = parseArgs({ options: { rows: { type: "string", default: "1000000" }, keep: { type: "boolean" }, "without-resource-index": { type: "boolean" } } });
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 1000) throw new Error("--rows must be an integer ≥ 1000");
  const url = process.env.BENCH_INGEST_DATABASE_URL ?? (await recreateDatabase("burnrate_bench_ingest"));
  migrate(url);
  const withoutResourceIndex = Boolean(values["without-resource-index"]);
  if (withoutResourceIndex) await psql(url, "DROP INDEX bill_line_items_org_id_resource_id_charge_period_start_idx");
  const load = () => os.loadavg().map((l) => l.toFixed(1)).join(" ");
  const loadBefore = load();
  const dir = await mkdtemp(path.join(os.tmpdir(), "burnrate-bench-ingest-"));
  try {
    const file = path.join(dir, `focus-${rows}.csv`);
    let t0 = performance.now();
    await generateFocusCsv(file, rows);
    const size = (await stat(file)).size;
    console.log(`Bill ingestion benchmark (${process.version}, ${os.cpus().length} cores, ${new URL(url).pathname.slice(1)})`);
    if (withoutResourceIndex) console.log("  (experiment: bill_line_items WITHOUT its (org_id, resource_id, charge_period_start) index)");
    console.log(`  generated ${fmt(rows)} FOCUS 1.0 rows, ${fmt(size / MiB, 1)} MiB, in ${fmt((performance.now() - t0) / 1000, 1)} s`);

    // The floor: psql \copy into a bare table with the file's columns.
    await psql(url, `CREATE TABLE bare_focus (${BENCH_HEADER.map((c) => `"${c}" ${bareType(c)}`).join(", ")})`);
    const { seconds: floor, backendCpu: floorCpu } = await floorCopy(url, `\\copy bare_focus FROM '${file}' WITH (FORMAT csv, HEADER true, NULL 'NULL')`);
    await psql(url, "DROP TABLE bare_focus");
    await psql(url, "CHECKPOINT");

    const prisma = createPrisma(url, 2);
    const org = await createOrg(prisma, { slug: "bench-ingest", name: "Bench ingest" });
    await prisma.$disconnect();
    t0 = performance.now();
    const r = await ours(url, file, org.id);
    const wall = (performance.now() - t0) / 1000;

    const line = (k: string, v: string) => console.log(`  ${k.padEnd(36)} ${v}`);
    line("our ingestion (end to end)", `${fmt(r.seconds, 2)} s, ${fmt(r.rows / r.seconds)} rows/s (process wall ${fmt(wall, 1)} s)`);
    line("  of which", Object.entries(r.timings).map(([k, v]) => `${k.replace(/Ms$/, "")} ${fmt(v / 1000, 2)} s`).join(", "));
    line("  CPU time (user+sys)", `ingestion process ${fmt(r.nodeCpu, 2)} s, its Postgres backend ${r.backendCpu === null ? "n/a" : `${fmt(r.backendCpu, 2)} s`}`);
    line("psql \\copy into a bare table (floor)", `${fmt(floor, 2)} s, ${fmt(rows / floor)} rows/s`);
    line("  CPU time (user+sys)", `its Postgres backend ${floorCpu === null ? "n/a" : `${fmt(floorCpu, 2)} s`} (sampled every 50 ms)`);
    line("ratio (ours / floor)", `${fmt(r.seconds / floor, 2)} (target ≤ 2.0)`);
    line("our peak RSS", `${fmt(r.peakRssBytes / MiB)} MiB (target < 400 MiB, flat in the row count)`);
    line("load average (1/5/15 min)", `${loadBefore} before, ${load()} after (2 cores shared with other work)`);
    line("check", `${fmt(r.rows)} rows, Σ BilledCost ${r.billedCost}, ${fmt(r.gpuRows)} GPU rows`);
  } finally {
    if (!values.keep) await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
