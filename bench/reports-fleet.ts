// The fleet behind `npm run bench:reports`: 1,024 GPUs (128 nodes × 8) for one year of hours, about
// 9 million gpu_hourly rows, with matching bills, ~18,000 training runs, 16 inference services with
// hourly traffic and latency histograms, idle nodes, idle weekends, telemetry gaps.
//
//   aws   p5.48xlarge  16 nodes committed (Savings Plan: $30.272/h effective, $0 billed), 40 on-demand ($55.04/h)
//         p4d.24xlarge  8 nodes spot ($21.96 × 0.38 × a daily factor)
//   gcp   a3-highgpu-8g 32 nodes on-demand (GPU SKU $78.40/h + VM $9.85/h): 16 services × 2 nodes
//   dc1   dgx-h100     32 nodes on-prem at the amortized rate of the demo ($1.68608904 per GPU-hour)
// Training nodes run single-node runs of 8-72 h separated by 1-12 h, none starting on a weekend; a third
// are input-starved (~40 %); 4 nodes are never scheduled. Each node loses telemetry for a few hours a month.
//
// Rows are generated hour by hour (as ingestion writes them, so the table is physically ordered by
// hour, which the (org_id, hour) index and the BRIN index rely on) and streamed through COPY. Rates are
// written directly, equal to what the rollup refresh derives from these bills (refreshing a year takes
// longer than the benchmark itself; the refresh has its own benchmark). Foreign-key triggers are off
// and secondary indexes are rebuilt after the load: bench-database-only shortcuts with the same end state.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { PrismaClient } from "../lib/db/client";
import { createOrg } from "../lib/orgs/create-org";

const HOUR = 3_600_000;
export const BENCH_SLUG = "bench-reports";
export const LATENCY_LE = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40];

type Category = "committed" | "on-demand" | "spot" | "on-prem";
type Node = {
  idx: number;
  cluster: "aws" | "gcp" | "dc1";
  instanceType: string;
  model: string;
  pid: string | null;
  hostname: string;
  category: Category;
  team: string;
  idleW: number;
  maxW: number;
  neverScheduled: boolean;
};

/** A deterministic uniform [0, 1) from integers, so both passes (GPU rows, workload rows) agree. */
function hash01(a: number, b: number, c = 0): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(c + 0x27d4eb2f, 0x165667b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

const TEAMS = ["llm-research", "vision", "speech"];

function buildNodes(): Node[] {
  const nodes: Node[] = [];
  const push = (n: Omit<Node, "idx" | "hostname">) => nodes.push({ ...n, idx: nodes.length, hostname: `node-${nodes.length}` });
  const h100 = { model: "H100", idleW: 70, maxW: 700 };
  for (let i = 0; i < 56; i++) {
    push({ cluster: "aws", instanceType: "p5.48xlarge", ...h100, pid: `i-bench-${i}`, category: i < 16 ? "committed" : "on-demand", team: TEAMS[i % 3]!, neverScheduled: i >= 50 && i < 54 });
  }
  for (let i = 56; i < 64; i++) {
    push({ cluster: "aws", instanceType: "p4d.24xlarge", model: "A100-40GB", idleW: 55, maxW: 400, pid: `i-bench-${i}`, category: "spot", team: "vision", neverScheduled: false });
  }
  for (let i = 0; i < 32; i++) {
    push({ cluster: "gcp", instanceType: "a3-highgpu-8g", ...h100, pid: `//compute.googleapis.com/projects/bench/zones/us-central1-a/instances/a3-${i}`, category: "on-demand", team: "inference-platform", neverScheduled: false });
  }
  for (let i = 0; i < 32; i++) {
    push({ cluster: "dc1", instanceType: "dgx-h100", ...h100, pid: null, category: "on-prem", team: "research", neverScheduled: false });
  }
  return nodes;
}

const ONPREM_RATE = "1.68608904";
function spotFactor(day: number) {
  return 0.92 + 0.16 * hash01(day, 77);
}
/** [effective rate, billed rate] of one GPU-hour, 8 decimals, and the instance's bill lines. */
function rates(n: Node, day: number): [string, string] {
  switch (n.category) {
    case "committed":
      return ["3.78400000", "0"];
    case "on-demand":
      return n.cluster === "gcp" ? ["11.03125000", "11.03125000"] : ["6.88000000", "6.88000000"];
    case "spot": {
      const r = ((21.96 * 0.38 * spotFactor(day)) / 8).toFixed(8);
      return [r, r];
    }
    case "on-prem":
      return [ONPREM_RATE, ONPREM_RATE];
  }
}

type Run = { from: number; to: number; efficiency: number; workload: number };

/** Diurnal request load 0..1 (US afternoon peak, lower on weekends). */
function diurnal(t: Date): number {
  const local = (t.getUTCHours() + 18) % 24;
  const day = Math.max(0, Math.sin((Math.PI * (local - 6)) / 16));
  return (0.12 + 0.88 * day) * (t.getUTCDay() === 0 || t.getUTCDay() === 6 ? 0.55 : 1);
}

export type BenchFleet = { orgId: string; start: Date; end: Date; gpus: number; rows: { gpuHourly: number; workloadHourly: number; bills: number; workloads: number } };

export async function loadBenchFleet({ prisma, url, end, days = 365, log }: { prisma: PrismaClient; url: string; end: Date; days?: number; log: (s: string) => void }): Promise<BenchFleet> {
  const hours = days * 24;
  const start = new Date(end.getTime() - hours * HOUR);
  const org = await createOrg(prisma, { slug: BENCH_SLUG, name: "Bench reports" });
  const orgId = org.id;
  const clusters = {
    aws: (await prisma.cluster.create({ data: { orgId, name: "aws-use1", provider: "aws" } })).id,
    gcp: (await prisma.cluster.create({ data: { orgId, name: "gcp-usc1", provider: "gcp" } })).id,
    dc1: (
      await prisma.cluster.create({
        data: { orgId, name: "dc1", provider: "onprem", capexPerServer: 325_000, lifeYears: 4, powerKwPerServer: 10.2, pue: 1.4, pricePerKwh: 0.12, colocationHourly: 2.5, gpusPerServer: 8 },
      })
    ).id,
  };
  const nodes = buildNodes();
  const gpuIds = (
    await prisma.gpu.createManyAndReturn({
      data: nodes.flatMap((n) =>
        Array.from({ length: 8 }, (_, i) => ({
          orgId,
          clusterId: clusters[n.cluster],
          uuid: `GPU-bench-${n.idx}-${i}`,
          gpuIndex: i,
          model: n.model,
          hostname: n.hostname,
          providerInstanceId: n.pid,
          instanceType: n.instanceType,
          firstSeenAt: start,
          lastSeenAt: end,
        })),
      ),
      select: { id: true, uuid: true },
    })
  ).reduce((m, g) => m.set(g.uuid, g.id), new Map<string, string>());
  const gpuId = (node: number, i: number) => gpuIds.get(`GPU-bench-${node}-${i}`)!;

  // Services: 16 on the 32 GCP nodes, 2 nodes each.
  const gcpNodes = nodes.filter((n) => n.cluster === "gcp");
  const services = Array.from({ length: 16 }, (_, s) => ({
    name: `svc-${String(s).padStart(2, "0")}`,
    nodes: [gcpNodes[2 * s]!.idx, gcpNodes[2 * s + 1]!.idx],
    efficiency: 0.35 + 0.5 * hash01(s, 5),
    peak: 20_000 + Math.round(80_000 * hash01(s, 6)),
    tokens: s % 4 !== 3, // every fourth service reports no tokens (a Triton model)
    medianS: 0.05 + 1.5 * hash01(s, 7),
  }));

  // Training schedule per node.
  const runsByNode = new Map<number, Run[]>();
  const runSpecs: Array<{ name: string; team: string; cluster: string }> = [];
  for (const n of nodes.filter((x) => x.cluster !== "gcp")) {
    const runs: Run[] = [];
    if (!n.neverScheduled) {
      let h = Math.floor(hash01(n.idx, 1) * 12);
      let k = 0;
      while (h < hours) {
        const dow = new Date(start.getTime() + h * HOUR).getUTCDay();
        if (dow === 0 || dow === 6) {
          h++;
          continue;
        }
        const len = 8 + Math.floor(hash01(n.idx, h, 2) * 65);
        const to = Math.min(hours, h + len);
        const starved = hash01(n.idx, h, 3) < 0.33;
        runs.push({ from: h, to, efficiency: starved ? 0.36 + 0.09 * hash01(n.idx, h, 4) : 0.82 + 0.11 * hash01(n.idx, h, 4), workload: runSpecs.length });
        runSpecs.push({ name: `run-${n.idx}-${k++}`, team: n.team, cluster: n.cluster });
        h = to + 1 + Math.floor(hash01(n.idx, h, 5) * 12);
      }
    }
    runsByNode.set(n.idx, runs);
  }
  const workloadIds: string[] = [];
  for (let i = 0; i < runSpecs.length; i += 5000) {
    const chunk = await prisma.workload.createManyAndReturn({
      data: runSpecs.slice(i, i + 5000).map((r) => ({ orgId, kind: "TRAINING_RUN" as const, name: r.name, namespace: r.team, team: r.team, clusterId: clusters[r.cluster as "aws"] })),
      select: { id: true, name: true },
    });
    const byName = new Map(chunk.map((c) => [c.name, c.id]));
    for (const r of runSpecs.slice(i, i + 5000)) workloadIds.push(byName.get(r.name)!);
  }
  const serviceIds = (
    await prisma.workload.createManyAndReturn({
      data: services.map((s) => ({ orgId, kind: "INFERENCE_SERVICE" as const, name: s.name, namespace: "serving", team: "inference-platform", clusterId: clusters.gcp, framework: "vllm" })),
      select: { id: true, name: true },
    })
  ).reduce((m, w) => m.set(w.name, w.id), new Map<string, string>());

  // Occupant per node and hour: a run index, a service index (−1 − s), or none.
  const occupant = nodes.map(() => new Int32Array(hours).fill(-100_000));
  for (const [idx, runs] of runsByNode) for (const r of runs) occupant[idx]!.fill(r.workload, r.from, r.to);
  services.forEach((s, i) => s.nodes.forEach((idx) => occupant[idx]!.fill(-1 - i)));
  const runEfficiency = new Float64Array(runSpecs.length);
  for (const runs of runsByNode.values()) for (const r of runs) runEfficiency[r.workload] = r.efficiency;
  // A telemetry outage of 2-8 hours per node every ~30 days.
  const outage = nodes.map((n) => {
    const o = new Uint8Array(hours);
    for (let m = 0; m * 720 < hours; m++) {
      const at = m * 720 + Math.floor(hash01(n.idx, m, 9) * 700);
      o.fill(1, at, Math.min(hours, at + 2 + Math.floor(hash01(n.idx, m, 10) * 7)));
    }
    return o;
  });

  /** Utilization of GPU i of node n in hour h (null in an outage). */
  const util = (n: Node, i: number, h: number, t: Date): number | null => {
    if (outage[n.idx]![h]) return null;
    const occ = occupant[n.idx]![h]!;
    const noise = (hash01(n.idx * 8 + i, h, 11) + hash01(n.idx * 8 + i, h, 12) - 1) * 0.08;
    let u: number;
    if (occ <= -100_000) u = 0.004 + 0.02 * hash01(n.idx * 8 + i, h, 13);
    else if (occ < 0) u = services[-1 - occ]!.efficiency * (0.15 + 0.85 * diurnal(t)) + noise;
    else u = runEfficiency[occ]! + noise;
    return Math.round(Math.min(0.99, Math.max(0, u)) * 10_000) / 10_000;
  };
  const power = (n: Node, u: number) => Math.round((n.idleW + (n.maxW - n.idleW) * Math.pow(u, 0.9)) * 10) / 10;

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const copy = async (table: string, columns: string[], lines: () => Generator<string>) => {
    const t0 = performance.now();
    let count = 0;
    await client.query("BEGIN");
    // Bench database only: no FK triggers, indexes rebuilt once at the end (same end state, minutes faster).
    await client.query("SET LOCAL session_replication_role = replica");
    await client.query("SET LOCAL maintenance_work_mem = '1GB'");
    const idx = await client.query<{ name: string; def: string; constraint: string | null }>(
      `SELECT i.indexname AS name, i.indexdef AS def, c.conname AS constraint
       FROM pg_indexes i LEFT JOIN pg_constraint c ON c.conname = i.indexname AND c.contype = 'p'
       WHERE i.schemaname = 'public' AND i.tablename = $1`,
      [table],
    );
    for (const i of idx.rows) await client.query(i.constraint ? `ALTER TABLE "${table}" DROP CONSTRAINT "${i.constraint}"` : `DROP INDEX "${i.name}"`);
    const sink = client.query(copyFrom(`COPY "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) FROM STDIN WITH (FORMAT csv)`));
    async function* chunks() {
      let buf: string[] = [];
      for (const line of lines()) {
        buf.push(line);
        count++;
        if (buf.length >= 2000) {
          yield buf.join("");
          buf = [];
        }
      }
      if (buf.length) yield buf.join("");
    }
    await pipeline(Readable.from(chunks()), sink);
    for (const i of idx.rows) {
      await client.query(i.def);
      if (i.constraint) await client.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${i.constraint}" PRIMARY KEY USING INDEX "${i.name}"`);
    }
    await client.query("COMMIT");
    log(`  ${table}: ${count.toLocaleString("en-US")} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return count;
  };

  const iso = (h: number) => new Date(start.getTime() + h * HOUR).toISOString();
  const gpuHourly = await copy(
    "gpu_hourly",
    ["org_id", "gpu_id", "hour", "utilization", "power_w", "energy_wh", "samples", "gpu_hours", "rate", "billed_rate", "currency", "pricing_category", "workload_id", "namespace"],
    function* () {
      for (let h = 0; h < hours; h++) {
        const t = new Date(start.getTime() + h * HOUR);
        const at = iso(h);
        const day = Math.floor(h / 24);
        for (const n of nodes) {
          const [rate, billed] = rates(n, day);
          const occ = occupant[n.idx]![h]!;
          const wid = occ <= -100_000 ? "" : occ < 0 ? serviceIds.get(services[-1 - occ]!.name)! : workloadIds[occ]!;
          const ns = occ <= -100_000 ? "" : occ < 0 ? "serving" : runSpecs[occ]!.team;
          for (let i = 0; i < 8; i++) {
            const u = util(n, i, h, t);
            const p = u === null ? "" : String(power(n, u));
            yield `${orgId},${gpuId(n.idx, i)},${at},${u ?? ""},${p},${p},${u === null ? 0 : 120},1,${rate},${billed},USD,${n.category},${wid},${ns}\n`;
          }
        }
      }
    },
  );

  // Workload facts (what the refresh writes) and service traffic (what the telemetry connector writes).
  const workloadHourly = await copy(
    "workload_hourly",
    ["org_id", "workload_id", "hour", "gpu_hours", "useful_gpu_hours", "gpu_cost", "currency", "energy_wh", "inferences", "failures", "prompt_tokens", "generation_tokens", "latency_histogram"],
    function* () {
      for (let h = 0; h < hours; h++) {
        const t = new Date(start.getTime() + h * HOUR);
        const at = iso(h);
        const day = Math.floor(h / 24);
        const sums = new Map<number, { gh: number; useful: number; cost: number; wh: number }>();
        for (const n of nodes) {
          const occ = occupant[n.idx]![h]!;
          if (occ <= -100_000) continue;
          const s = sums.get(occ) ?? { gh: 0, useful: 0, cost: 0, wh: 0 };
          const rate = Number(rates(n, day)[0]);
          for (let i = 0; i < 8; i++) {
            const u = util(n, i, h, t);
            s.gh += 1;
            s.cost += rate;
            if (u !== null) {
              s.useful += u;
              s.wh += power(n, u);
            }
          }
          sums.set(occ, s);
        }
        for (const [occ, s] of sums) {
          const wid = occ < 0 ? serviceIds.get(services[-1 - occ]!.name)! : workloadIds[occ]!;
          let traffic = "0,0,0,0,";
          if (occ < 0) {
            const svc = services[-1 - occ]!;
            const req = Math.round(svc.peak * diurnal(t) * (0.93 + 0.14 * hash01(occ, h, 20)));
            const fail = Math.round(req * 0.002 * hash01(occ, h, 21));
            const median = svc.medianS * (1 + 0.6 * diurnal(t));
            const counts = LATENCY_LE.map((b) => Math.round(req / (1 + Math.pow(median / b, 2.2))));
            const hist = JSON.stringify({ le: LATENCY_LE, counts: [...counts, req] }).replace(/"/g, '""');
            traffic = `${req - fail},${fail},${svc.tokens ? (req - fail) * 420 : 0},${svc.tokens ? (req - fail) * 230 : 0},"${hist}"`;
          }
          yield `${orgId},${wid},${at},${s.gh},${s.useful.toFixed(6)},${s.cost.toFixed(8)},USD,${s.wh.toFixed(1)},${traffic}\n`;
        }
      }
    },
  );

  const bills = await copy(
    "bill_line_items",
    ["org_id", "source_format", "provider_name", "billing_account_id", "billing_currency", "billing_period_start", "billing_period_end", "charge_period_start", "charge_period_end", "charge_category", "billed_cost", "effective_cost", "pricing_category", "resource_id", "instance_type", "gpu_model", "gpu_count", "tags"],
    function* () {
      for (let h = 0; h < hours; h++) {
        const from = new Date(start.getTime() + h * HOUR);
        const bp = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1)).toISOString();
        const bpEnd = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1)).toISOString();
        const a = from.toISOString();
        const b = new Date(from.getTime() + HOUR).toISOString();
        const day = Math.floor(h / 24);
        for (const n of nodes) {
          if (!n.pid) continue;
          const tags = `"{""team"": ""${n.team}""}"`;
          const common = `${n.pid},${n.instanceType},${n.model},8,${tags}`;
          if (n.cluster === "gcp") {
            yield `${orgId},focus-1.0,Google Cloud,bench-gcp,USD,${bp},${bpEnd},${a},${b},Usage,78.4,78.4,Standard,${common}\n`;
            yield `${orgId},focus-1.0,Google Cloud,bench-gcp,USD,${bp},${bpEnd},${a},${b},Usage,9.85,9.85,Standard,${common}\n`;
          } else if (n.category === "committed") yield `${orgId},focus-1.0,AWS,bench-aws,USD,${bp},${bpEnd},${a},${b},Usage,0,30.272,Committed,${common}\n`;
          else if (n.category === "spot") {
            const c = (21.96 * 0.38 * spotFactor(day)).toFixed(6);
            yield `${orgId},focus-1.0,AWS,bench-aws,USD,${bp},${bpEnd},${a},${b},Usage,${c},${c},Dynamic,${common}\n`;
          } else yield `${orgId},focus-1.0,AWS,bench-aws,USD,${bp},${bpEnd},${a},${b},Usage,55.04,55.04,Standard,${common}\n`;
        }
      }
    },
  );
  await client.query("ANALYZE gpu_hourly; ANALYZE workload_hourly; ANALYZE bill_line_items; ANALYZE gpus; ANALYZE workloads");
  await client.end();
  return { orgId, start, end, gpus: nodes.length * 8, rows: { gpuHourly, workloadHourly, bills, workloads: runSpecs.length + services.length } };
}
