// Runs what the worker does for one org, once, against the e2e database: the alerts evaluation job
// (budgets and SLOs) and then a deliveries worker until every delivery it queued is settled.
// Usage: tsx e2e/alerts-evaluate.ts <org slug>   (env: DATABASE_URL, ENCRYPTION_KEY, APP_URL, QUEUE_PREFIX)
import { createPrisma } from "../lib/db/client";
import { createProducers } from "../lib/queue/producers";
import { QUEUES } from "../lib/queue/contracts";
import { evaluateOrg } from "../workers/processors/alerts";
import { startWorker } from "../workers/start-worker";

async function main() {
  const slug = process.argv[2];
  if (!slug) throw new Error("usage: alerts-evaluate.ts <org slug>");
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const prefix = process.env.QUEUE_PREFIX!;
  const prisma = createPrisma(process.env.DATABASE_URL!, 4);
  const producers = createProducers({ redisUrl, prefix });
  const worker = await startWorker({ redisUrl, prefix, prisma, queues: [{ queue: QUEUES.deliveries, concurrency: 2 }], healthPort: 0, healthHost: "127.0.0.1", registerSchedules: false });
  try {
    const org = await prisma.org.findUniqueOrThrow({ where: { slug } });
    const result = await evaluateOrg({ prisma, producers, now: () => new Date() }, org.id);
    const deadline = Date.now() + 30_000;
    while ((await prisma.delivery.count({ where: { orgId: org.id, status: { in: ["PENDING", "RETRYING"] } } })) > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await worker.close();
    await producers.close();
    await prisma.$disconnect();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
