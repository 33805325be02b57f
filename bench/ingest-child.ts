// The measured side of `npm run bench:ingest`, in a process of its own so its peak RSS is ours alone:
// one ingestion of the given file into the given org, through the real pipeline.
import { createPrisma } from "../lib/db/client";
import { closePgPool, pgPool } from "../lib/db/pg";
import { backendCpuSeconds } from "./proc-cpu";
import { createIngestionRun } from "../lib/ingest/runs";
import { ingestBills } from "../lib/ingest/ingest-bills";

async function main() {
  const [file, orgId] = process.argv.slice(2);
  if (!file || !orgId) throw new Error("usage: ingest-child <file> <orgId>");
  const prisma = createPrisma(process.env.DATABASE_URL!, 2);
  const run = await createIngestionRun(prisma, { orgId, source: "CLI", fileName: "bench.csv", sourceUri: file });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const s = await ingestBills({ prisma, orgId, runId: run.id, files: [{ path: file, name: "bench.csv" }] });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // The pool's one connection is the one the ingestion ran on (released idle): its backend's CPU time.
  const pid = (await pgPool().query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
  const backendCpu = backendCpuSeconds(pid);
  await prisma.$disconnect();
  await closePgPool();
  process.stdout.write(
    JSON.stringify({ seconds, rows: s.rows, billedCost: s.billedCost, gpuRows: s.gpuRows, timings: s.timings, nodeCpu: (cpu.user + cpu.system) / 1e6, backendCpu, peakRssBytes: process.resourceUsage().maxRSS * 1024 }) + "\n",
  );
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
