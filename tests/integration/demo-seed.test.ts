// `burnrate seed --demo` must build the realistic fleet the product is demonstrated with, the same
// way every time, with bills that reconcile with the fleet's GPU cost.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { demoFleetData, seedDemo, DEMO_SLUG, type DemoSummary } from "@/prisma/seed/demo";
import { SERVICES } from "@/prisma/seed/demo-fleet";
import { closePgPool } from "@/lib/db/pg";

const prisma = createPrisma(process.env.DATABASE_URL!, 4);
const NOW = new Date("2026-11-20T09:30:00Z");
const HOUR = 3_600_000;
let first: DemoSummary;
let orgId: string;

type Num = { n: string | number | null };
const num = async (q: Promise<Num[]>) => Number((await q)[0]?.n ?? NaN);

beforeAll(async () => {
  first = await seedDemo({ prisma, now: NOW });
  orgId = (await prisma.org.findUniqueOrThrow({ where: { slug: DEMO_SLUG } })).id;
}, 180_000);

afterAll(async () => {
  await prisma.$disconnect();
  await closePgPool();
});

describe("demo seed", () => {
  it("builds 3 clusters (AWS p5 + p4d, GCP a3, on-prem H100) and at least 96 GPUs", async () => {
    const clusters = await prisma.cluster.findMany({ where: { orgId }, include: { gpus: true } });
    expect(clusters.map((c) => c.provider).sort()).toEqual(["aws", "gcp", "onprem"]);
    const types = new Set(clusters.flatMap((c) => c.gpus.map((g) => g.instanceType)));
    for (const t of ["p5.48xlarge", "p4d.24xlarge", "a3-highgpu-8g", "dgx-h100"]) expect(types).toContain(t);
    expect(first.gpus).toBeGreaterThanOrEqual(96);
    expect(await prisma.gpu.count({ where: { orgId } })).toBe(first.gpus);
  });

  it("has 30 days of hourly rows for every GPU, ending at the last full hour", async () => {
    const r = await prisma.$queryRaw<Array<{ rows: bigint; gpus: bigint; min: Date; max: Date }>>`
      SELECT count(*) AS rows, count(DISTINCT gpu_id) AS gpus, min(hour) AS min, max(hour) AS max FROM gpu_hourly WHERE org_id = ${orgId}`;
    expect(Number(r[0]!.rows)).toBe(first.gpus * 720);
    expect(r[0]!.max.toISOString()).toBe("2026-11-20T08:00:00.000Z");
    expect(r[0]!.min.toISOString()).toBe("2026-10-21T09:00:00.000Z");
  });

  it("is deterministic: a second run gives identical bills and telemetry", async () => {
    const fingerprint = async () => {
      const id = (await prisma.org.findUniqueOrThrow({ where: { slug: DEMO_SLUG } })).id;
      return prisma.$queryRaw<Array<Record<string, string>>>`
        SELECT (SELECT sum(effective_cost)::text FROM bill_line_items WHERE org_id = ${id}) AS eff,
               (SELECT sum(billed_cost)::text FROM bill_line_items WHERE org_id = ${id}) AS billed,
               (SELECT round(sum(utilization)::numeric, 4)::text FROM gpu_hourly WHERE org_id = ${id}) AS util,
               (SELECT sum(inferences)::text FROM workload_hourly WHERE org_id = ${id}) AS inf,
               (SELECT string_agg(name, ',' ORDER BY name) FROM workloads WHERE org_id = ${id}) AS names`;
    };
    const a = await fingerprint();
    const second = await seedDemo({ prisma, now: NOW });
    orgId = (await prisma.org.findUniqueOrThrow({ where: { slug: DEMO_SLUG } })).id;
    expect(await fingerprint()).toEqual(a);
    expect(second.rows).toEqual(first.rows);
  }, 180_000);

  it("reconciles: GPU cost from rollups equals the bill's GPU instance usage cost, hour by hour, over the telemetry window", async () => {
    const from = new Date(first.window.from);
    const to = new Date(first.window.to);
    const billGpu = await num(prisma.$queryRaw<Num[]>`
      SELECT sum(effective_cost) AS n FROM bill_line_items WHERE org_id = ${orgId} AND gpu_model IS NOT NULL AND charge_category = 'Usage'
        AND charge_period_start >= ${from} AND charge_period_start < ${to}`);
    const rolled = await num(prisma.$queryRaw<Num[]>`
      SELECT sum(h.rate * h.gpu_hours) AS n FROM gpu_hourly h JOIN gpus g ON g.id = h.gpu_id
      WHERE h.org_id = ${orgId} AND g.provider_instance_id IS NOT NULL`);
    expect(billGpu).toBeGreaterThan(100_000);
    expect(Math.abs(rolled - billGpu)).toBeLessThan(0.01);
    const mismatched = await num(prisma.$queryRaw<Num[]>`
      WITH bill AS (
        SELECT resource_id, charge_period_start AS hour, sum(effective_cost) AS cost FROM bill_line_items
        WHERE org_id = ${orgId} AND gpu_model IS NOT NULL AND charge_category = 'Usage'
          AND charge_period_start >= ${from} AND charge_period_start < ${to} GROUP BY 1, 2
      ), fleet AS (
        SELECT g.provider_instance_id AS resource_id, h.hour, sum(h.rate * h.gpu_hours) AS cost
        FROM gpu_hourly h JOIN gpus g ON g.id = h.gpu_id WHERE h.org_id = ${orgId} AND g.provider_instance_id IS NOT NULL GROUP BY 1, 2
      )
      SELECT count(*) AS n FROM bill FULL JOIN fleet USING (resource_id, hour)
      WHERE bill.cost IS NULL OR fleet.cost IS NULL OR abs(bill.cost - fleet.cost) > 0.000001`);
    expect(mismatched).toBe(0);
    // p5.48xlarge on demand: $55.04 per instance-hour = $6.88 per GPU-hour.
    const p5 = await num(prisma.$queryRaw<Num[]>`
      SELECT max(h.rate) AS n FROM gpu_hourly h JOIN gpus g ON g.id = h.gpu_id
      WHERE h.org_id = ${orgId} AND g.instance_type = 'p5.48xlarge' AND h.pricing_category = 'on-demand'`);
    expect(p5).toBeCloseTo(6.88, 6);
  });

  it("bills the 30 days before the telemetry window too, at a like spend, so period-over-period compares two billed periods", async () => {
    const from = new Date(first.window.from);
    const to = new Date(first.window.to);
    const previousFrom = new Date(2 * from.getTime() - to.getTime());
    const [r] = await prisma.$queryRaw<Array<{ min: Date; max: Date; current: string; previous: string; days: bigint; outside: bigint }>>`
      SELECT min(charge_period_start) AS min, max(charge_period_start) AS max,
             sum(effective_cost) FILTER (WHERE charge_period_start >= ${from})::text AS current,
             sum(effective_cost) FILTER (WHERE charge_period_start < ${from})::text AS previous,
             count(DISTINCT date_trunc('day', charge_period_start)) FILTER (WHERE charge_period_start < ${from} AND charge_category = 'Usage') AS days,
             count(*) FILTER (WHERE charge_period_start < ${previousFrom} OR charge_period_start >= ${to}) AS outside
      FROM bill_line_items WHERE org_id = ${orgId}`;
    expect(r!.min.toISOString()).toBe(previousFrom.toISOString());
    expect(r!.max.toISOString()).toBe(new Date(to.getTime() - HOUR).toISOString());
    expect(Number(r!.outside)).toBe(0);
    expect(Number(r!.days)).toBe(31); // 30 × 24 hours from 09:00 touch 31 UTC days
    // The previous period costs about what the window costs (same fleet, other spot prices and no credit).
    const ratio = Number(r!.current) / Number(r!.previous);
    expect(ratio).toBeGreaterThan(0.9);
    expect(ratio).toBeLessThan(1.1);
    // and it has no telemetry: GPU-hours start with the window
    const before = await num(prisma.$queryRaw<Num[]>`SELECT count(*) AS n FROM gpu_hourly WHERE org_id = ${orgId} AND hour < ${from}`);
    expect(before).toBe(0);
  });

  it("prices on-prem GPUs from the amortization inputs", async () => {
    const rate = await num(prisma.$queryRaw<Num[]>`
      SELECT max(h.rate) AS n FROM gpu_hourly h JOIN gpus g ON g.id = h.gpu_id
      WHERE h.org_id = ${orgId} AND g.instance_type = 'dgx-h100'`);
    // (325000/(4·8760) + 10.2·1.4·0.12 + 2.5) / 8
    expect(rate).toBeCloseTo((325_000 / (4 * 8760) + 10.2 * 1.4 * 0.12 + 2.5) / 8, 6);
  });

  it("has idle nodes, idle weekends, starved and efficient runs, and telemetry gaps", async () => {
    const idleNode = await num(prisma.$queryRaw<Num[]>`
      SELECT avg(h.utilization) AS n FROM gpu_hourly h JOIN gpus g ON g.id = h.gpu_id
      WHERE h.org_id = ${orgId} AND g.instance_type = 'p5.48xlarge' AND h.workload_id IS NULL`);
    expect(idleNode).toBeLessThan(0.02);
    const weekend = await num(prisma.$queryRaw<Num[]>`
      SELECT avg(h.utilization) AS n FROM gpu_hourly h JOIN gpus g ON g.id = h.gpu_id
      WHERE h.org_id = ${orgId} AND g.instance_type = 'p4d.24xlarge' AND extract(isodow FROM h.hour) IN (6, 7)`);
    const weekday = await num(prisma.$queryRaw<Num[]>`
      SELECT avg(h.utilization) AS n FROM gpu_hourly h JOIN gpus g ON g.id = h.gpu_id
      WHERE h.org_id = ${orgId} AND g.instance_type = 'p4d.24xlarge' AND extract(isodow FROM h.hour) BETWEEN 1 AND 5`);
    expect(weekend).toBeLessThan(weekday * 0.7);
    const runs = await prisma.$queryRaw<Array<{ name: string; util: number }>>`
      SELECT w.name, sum(h.utilization) / count(h.utilization) AS util FROM gpu_hourly h JOIN workloads w ON w.id = h.workload_id
      WHERE h.org_id = ${orgId} AND w.kind = 'TRAINING_RUN' GROUP BY w.name`;
    expect(runs.length).toBeGreaterThanOrEqual(10);
    expect(runs.some((r) => r.util > 0.35 && r.util < 0.46)).toBe(true);
    expect(runs.some((r) => r.util > 0.84)).toBe(true);
    const gaps = await num(prisma.$queryRaw<Num[]>`
      SELECT count(*) AS n FROM gpu_hourly WHERE org_id = ${orgId} AND utilization IS NULL AND samples = 0`);
    expect(gaps).toBeGreaterThan(0);
  });

  it("has vLLM and Triton services with requests, tokens and latency histograms", async () => {
    const services = await prisma.workload.findMany({ where: { orgId, kind: "INFERENCE_SERVICE" } });
    expect(new Set(services.map((s) => s.framework))).toEqual(new Set(["vllm", "triton"]));
    const traffic = await prisma.$queryRaw<Array<{ inf: number; tok: number; hist: number }>>`
      SELECT sum(inferences) AS inf, sum(prompt_tokens + generation_tokens) AS tok, count(latency_histogram) AS hist
      FROM workload_hourly wh JOIN workloads w ON w.id = wh.workload_id WHERE wh.org_id = ${orgId} AND w.framework = 'vllm'`;
    expect(Number(traffic[0]!.inf)).toBeGreaterThan(1_000_000);
    expect(Number(traffic[0]!.tok)).toBeGreaterThan(100_000_000);
    expect(Number(traffic[0]!.hist)).toBe(2 * 720);
  });

  it("brings its telemetry in through one Prometheus connector run per cluster, then disables them", async () => {
    const connectors = await prisma.connector.findMany({ where: { orgId }, include: { ingestionRuns: true } });
    expect(connectors.map((c) => c.kind)).toEqual(["PROMETHEUS", "PROMETHEUS", "PROMETHEUS"]);
    for (const c of connectors) {
      expect(c.enabled).toBe(false);
      expect(c.status).toBe("DISABLED");
      expect(c.lastSuccessAt).not.toBeNull();
      // The backfill reached the end of the window: the watermark is at its last full hour's end.
      expect(c.watermark?.toISOString()).toBe("2026-11-20T09:00:00.000Z");
      expect(c.ingestionRuns.map((r) => [r.kind, r.source, r.status, r.windowStart?.toISOString()])).toEqual([["prometheus-telemetry", "DEMO", "SUCCEEDED", "2026-10-21T09:00:00.000Z"]]);
    }
    expect(first.connectors.map((c) => c.chunks)).toEqual([31, 31, 31]);
    const stored = await num(prisma.$queryRaw<Num[]>`SELECT count(*) AS n FROM gpu_hourly WHERE org_id = ${orgId}`);
    expect(first.rows.gpuHourly).toBe(stored);
  });

  it("stores the traffic the exporters' counters add up to, service by service and hour by hour", async () => {
    const fleet = demoFleetData({ now: NOW });
    const rows = await prisma.$queryRaw<Array<{ name: string; hour: Date; inferences: number; failures: number; prompt: number; generation: number }>>`
      SELECT w.name, wh.hour, wh.inferences::float8 AS inferences, wh.failures::float8 AS failures,
             wh.prompt_tokens::float8 AS prompt, wh.generation_tokens::float8 AS generation
      FROM workload_hourly wh JOIN workloads w ON w.id = wh.workload_id
      WHERE wh.org_id = ${orgId} AND w.kind = 'INFERENCE_SERVICE' ORDER BY w.name, wh.hour`;
    for (const s of SERVICES) {
      const expected = fleet.expectedTraffic.get(s.key)!.map((e, h) => ({
        hour: new Date(fleet.start.getTime() + h * 3_600_000).toISOString(),
        inferences: e.inferences,
        failures: e.failures,
        prompt: e.promptTokens,
        generation: e.generationTokens,
      }));
      const got = rows.filter((r) => r.name === s.name).map((r) => ({ hour: r.hour.toISOString(), inferences: r.inferences, failures: r.failures, prompt: r.prompt, generation: r.generation }));
      expect(got).toEqual(expected);
    }
  });

  it("stores each GPU-hour's utilization as the mean of the exporter's samples in that hour", async () => {
    const fleet = demoFleetData({ now: NOW });
    const series = [...fleet.series.values()].flat().filter((s) => s.labels.__name__ === "DCGM_FI_PROF_GR_ENGINE_ACTIVE");
    // A GPU of the node with the exporter outage, one serving, one training.
    const picks = ["dgx-01/0", "a3-01/3", "p5-02/5"].map((k) => fleet.gpus.find((g) => `${g.node.name}/${g.index}` === k)!);
    for (const g of picks) {
      const sums = new Map<number, { sum: number; n: number }>();
      for (const s of series.filter((x) => x.labels.UUID === g.uuid)) {
        for (let t = s.first; t <= s.last; t += s.intervalMs) {
          const v = s.value(t);
          if (v === null) continue;
          const hour = Math.floor(t / 3_600_000) * 3_600_000;
          const acc = sums.get(hour) ?? { sum: 0, n: 0 };
          acc.sum += v;
          acc.n++;
          sums.set(hour, acc);
        }
      }
      const rows = await prisma.$queryRaw<Array<{ hour: Date; utilization: number | null; samples: number }>>`
        SELECT h.hour, h.utilization, h.samples FROM gpu_hourly h JOIN gpus g ON g.id = h.gpu_id
        WHERE h.org_id = ${orgId} AND g.uuid = ${g.uuid} ORDER BY h.hour`;
      expect(rows).toHaveLength(720);
      for (const r of rows) {
        const e = sums.get(r.hour.getTime());
        if (!e) {
          expect(r.utilization).toBeNull();
          expect(r.samples).toBe(0);
          continue;
        }
        expect(r.samples).toBe(e.n);
        expect(r.utilization).toBeCloseTo(e.sum / e.n, 9);
      }
    }
  });

  it("has budgets, one of them overrun this month", async () => {
    const budgets = await prisma.budget.findMany({ where: { orgId } });
    expect(budgets.length).toBeGreaterThanOrEqual(3);
    const monthStart = new Date(Date.UTC(2026, 10, 1));
    const overrun = [];
    for (const b of budgets.filter((x) => x.period === "MONTH" && x.scopeKind === "TEAM")) {
      const spent = await num(prisma.$queryRaw<Num[]>`
        SELECT sum(effective_cost) AS n FROM bill_line_items
        WHERE org_id = ${orgId} AND tags->>'team' = ${b.scopeValue} AND charge_period_start >= ${monthStart}`);
      if (spent > Number(b.amount)) overrun.push(b.name);
    }
    expect(overrun).toEqual(["LLM research GPUs"]);
  });
});
