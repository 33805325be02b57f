// `npm run bench`: prints the figures behind every speed or memory target. Runs against its own
// database (BENCH_DATABASE_URL, default burnrate_bench on the local server), recreated each run.
// Usage: npm run bench [-- <name>...]   (names: copy-load, rollup-refresh, demo-seed)
import { performance } from "node:perf_hooks";
import { BENCHES } from "./benches";
import { migrate, recreateDatabase } from "../tests/setup/test-db";

async function main() {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const selected = BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.name));
  if (selected.length === 0) throw new Error(`No bench named ${wanted.join(", ")}; have ${BENCHES.map((b) => b.name).join(", ")}`);
  const url = process.env.BENCH_DATABASE_URL ?? (await recreateDatabase("burnrate_bench"));
  migrate(url);
  process.env.DATABASE_URL = url;
  console.log(`Burnrate benchmarks on ${new URL(url).pathname.slice(1)} (${process.version}, ${(await import("node:os")).cpus().length} cores)\n`);
  for (const b of selected) {
    const t0 = performance.now();
    const figures = await b.run(url);
    console.log(`■ ${b.name}: ${b.description}`);
    for (const [k, v] of Object.entries(figures)) console.log(`    ${k.padEnd(34)} ${v}`);
    console.log(`    ${"total wall time".padEnd(34)} ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const { shutdownCliResources } = await import("../lib/cli/resources");
  await shutdownCliResources();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
