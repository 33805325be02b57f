import { performance } from "node:perf_hooks";
import { db } from "../lib/db/client";
import { copyRows } from "../lib/db/copy";
import { withPgTransaction } from "../lib/db/pg";
import { createOrg } from "../lib/orgs/create-org";
import { refreshRollups } from "../lib/costs/refresh-rollups";
import { createRng } from "../prisma/seed/random";

export type Bench = { name: string; description: string; run: (databaseUrl: string) => Promise<Record<string, string>> };

const HOUR = 3_600_000;
const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const mem = () => `${fmt(process.memoryUsage().rss / 2 ** 20)} MiB RSS`;

/** A synthetic fleet of p5.48xlarge nodes: one bill line per instance-hour, one telemetry row per GPU-hour. */
async function loadFleet({ gpus, days, slug }: { gpus: number; days: number; slug: string }) {
  const prisma = db();
  const org = await createOrg(prisma, { slug, name: `Bench ${gpus} GPUs` });
  const cluster = await prisma.cluster.create({ data: { orgId: org.id, name: "bench-aws", provider: "aws" } });
  const nodes = Math.ceil(gpus / 8);
  const rng = createRng(gpus * 31 + days);
  const created = await prisma.gpu.createManyAndReturn({
    data: Array.from({ length: nodes * 8 }, (_, i) => ({
      orgId: org.id,
      clusterId: cluster.id,
      uuid: `GPU-bench-${i}`,
      gpuIndex: i % 8,
      model: "H100",
      instanceType: "p5.48xlarge",
      providerInstanceId: `i-bench-${Math.floor(i / 8)}`,
    })),
    select: { id: true, providerInstanceId: true },
  });
  const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
  const start = new Date(end.getTime() - days * 24 * HOUR);
  const hours = days * 24;
  const t0 = performance.now();
  const copied = await withPgTransaction(async (client) => {
    const bill = await copyRows(client, {
      table: "bill_line_items",
      columns: ["org_id", "source_format", "provider_name", "billing_account_id", "billing_currency", "billing_period_start", "billing_period_end", "charge_period_start", "charge_period_end", "charge_category", "billed_cost", "effective_cost", "pricing_category", "resource_id", "instance_type", "gpu_model", "gpu_count"],
      rows: (function* () {
        for (let h = 0; h < hours; h++) {
          const from = new Date(start.getTime() + h * HOUR);
          const bp = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
          const bpEnd = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
          for (let n = 0; n < nodes; n++) yield [org.id, "focus-1.0", "AWS", "bench", "USD", bp, bpEnd, from, new Date(from.getTime() + HOUR), "Usage", 55.04, 55.04, "Standard", `i-bench-${n}`, "p5.48xlarge", "H100", 8];
        }
      })(),
    });
    const tele = await copyRows(client, {
      table: "gpu_hourly",
      columns: ["org_id", "gpu_id", "hour", "utilization", "power_w", "samples", "gpu_hours"],
      rows: (function* () {
        for (const g of created) for (let h = 0; h < hours; h++) {
          const u = rng.next();
          yield [org.id, g.id, new Date(start.getTime() + h * HOUR), Math.round(u * 1e4) / 1e4, Math.round(70 + 630 * u), 120, 1];
        }
      })(),
    });
    return { bill, tele };
  });
  const copySeconds = (performance.now() - t0) / 1000;
  await prisma.$executeRawUnsafe("ANALYZE bill_line_items, gpu_hourly, gpus");
  return { orgId: org.id, start, end, copied, copySeconds };
}

export const BENCHES: Bench[] = [
  {
    name: "copy-load",
    description: "COPY of hourly bill lines and GPU telemetry for 1,024 GPUs × 30 days",
    async run() {
      const f = await loadFleet({ gpus: 1024, days: 30, slug: "bench-copy" });
      const rows = f.copied.bill + f.copied.tele;
      return {
        "bill line rows": fmt(f.copied.bill),
        "gpu_hourly rows": fmt(f.copied.tele),
        "COPY time": `${fmt(f.copySeconds, 2)} s`,
        "COPY throughput": `${fmt(rows / f.copySeconds)} rows/s`,
        "memory after load": mem(),
      };
    },
  },
  {
    name: "rollup-refresh",
    description: "hourly rollup refresh (rates from bills, workload facts) for 1,024 GPUs",
    async run() {
      const f = await loadFleet({ gpus: 1024, days: 30, slug: "bench-refresh" });
      const figures: Record<string, string> = {};
      for (const hours of [1, 24, 7 * 24, 30 * 24]) {
        const from = new Date(f.end.getTime() - hours * HOUR);
        const t0 = performance.now();
        const r = await refreshRollups(db(), { orgId: f.orgId, from, to: f.end });
        figures[`refresh ${hours} h (${fmt(r.gpuHourRows)} GPU-hours)`] = `${fmt(performance.now() - t0)} ms`;
      }
      const t0 = performance.now();
      await refreshRollups(db(), { orgId: f.orgId, from: new Date(f.end.getTime() - 24 * HOUR), to: f.end });
      figures["repeat refresh 24 h (no changes)"] = `${fmt(performance.now() - t0)} ms`;
      figures["memory"] = mem();
      return figures;
    },
  },
  {
    name: "demo-seed",
    description: "burnrate seed --demo (112 GPUs × 30 days, bills, traffic, rollups)",
    async run() {
      const { seedDemo } = await import("../prisma/seed/demo");
      const t0 = performance.now();
      const s = await seedDemo({ prisma: db() });
      return { "seed time": `${fmt((performance.now() - t0) / 1000, 1)} s`, "rows": `${fmt(s.rows.billLineItems)} bill, ${fmt(s.rows.gpuHourly)} GPU-hours`, memory: mem() };
    },
  },
];
