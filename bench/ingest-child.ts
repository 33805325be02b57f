// The measured side of `npm run bench:ingest`, in a process of its own so its peak RSS is ours alone:
// one ingestion of the given file into the given org, through the real pipeline.
import { createPrisma } from "../lib/db/client";
import { closePgPool } from "../lib/db/pg";
import { createIngestionRun } from "../lib/ingest/runs";
import { ingestBills } from "../lib/ingest/ingest-bills";

async function main() {
  const [file, orgId] = process.argv.slice(2);
  if (!file || !orgId) throw new Error("usage: ingest-child <file> <orgId>");
  const prisma = createPrisma(process.env.DATABASE_URL!, 2);
  const run = await createIngestionRun(prisma, { orgId, source: "CLI", fileName: "bench.csv", sourceUri: file });
  const t0 = performance.now();
  const s = await ingestBills({ prisma, orgId, runId: run.id, files: [{ path: file, name: "bench.csv" }] });
  const seconds = (performance.now() - t0) / 1000;
  await prisma.$disconnect();
  await closePgPool();
  process.stdout.write(
    JSON.stringify({ seconds, rows: s.rows, billedCost: s.billedCost, gpuRows: s.gpuRows, timings: s.timings, peakRssBytes: process.resourceUsage().maxRSS * 1024 }) + "\n",
  );
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
