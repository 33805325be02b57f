// The GPU fleet heatmap: one row per GPU, one column per hour (or UTC day), the cell its utilization.
//
// The payload stays compact at 1,024 GPUs × 720 hours (737,280 cells): the cells travel as one base64
// string of little-endian int16, row-major (GPU × column), each
//   0..10000  utilization in 1/10,000 (floored, so `cell < threshold × 10,000` is exactly "idle": the
//             threshold is numeric(5, 4)),
//   -1        provisioned but no utilization sample (a telemetry gap: unknown, never idle),
//   -2        no GPU-hour in the column (not provisioned, or outside the filters).
// A day column's utilization is Σ utilization × GPU-hours / Σ known GPU-hours of that day.
// Per GPU the sums the rows sort by (cost, idle cost, mean utilization) come in the same pass; they
// are the gpu-hours report's definitions over the same GPU-hours (docs/metrics.md).
import { Prisma, type PrismaClient } from "../../db/client";
import type { CostBasis, ReportFilters } from "../../domain/reports";
import type { HeatmapGpu, HeatmapResponse } from "../../domain/fleet";
import { filterConditions, gpuTeamCte, GPU_DIMENSION_SQL, inReportTransaction, loadReportOrg, rateColumn, UTILIZATION_SQL } from "./common";

const HOUR = 3_600_000;

type Input = { orgId: string; from: Date; to: Date; costBasis: CostBasis; filters: ReportFilters; bucket: "hour" | "day" };

type SqlRow = {
  gpu_id: string;
  uuid: string;
  mig_profile: string | null;
  gpu_index: number | null;
  hostname: string | null;
  model: string;
  cluster: string;
  instance_type: string | null;
  cells: Uint8Array;
  gpu_hours: number;
  known_gpu_hours: number;
  idle_gpu_hours: number;
  useful: number | null;
  currency: string | null;
  cost: string | null;
  idle_cost: string | null;
};

export async function fleetHeatmap(prisma: PrismaClient, { orgId, from, to, costBasis, filters, bucket }: Input): Promise<HeatmapResponse> {
  const org = await loadReportOrg(prisma, orgId);
  const rate = rateColumn(costBasis);
  const thr = Prisma.sql`${org.idleThreshold}::float8`;
  const bucketMs = bucket === "hour" ? HOUR : 24 * HOUR;
  const columns = Math.ceil((to.getTime() - from.getTime()) / bucketMs);
  const needTeam = Boolean(filters.team?.length);
  const anyFilter = Object.values(filters).some((v) => v?.length);
  // Only what a filter reads is joined: without filters the query is one pass over gpu_hourly.
  const joins = anyFilter
    ? Prisma.sql`
      JOIN gpus g ON g.id = h.gpu_id AND g.org_id = ${orgId}
      LEFT JOIN clusters c ON c.id = g.cluster_id AND c.org_id = ${orgId}
      LEFT JOIN workloads w ON w.id = h.workload_id AND w.org_id = ${orgId}
      ${needTeam ? Prisma.sql`LEFT JOIN gpu_team gt ON gt.pid = g.provider_instance_id` : Prisma.sql`LEFT JOIN (SELECT NULL::text AS pid, NULL::text AS team) gt ON false`}`
    : Prisma.empty;
  // GPU_DIMENSION_SQL reads the facts as `f` (gpu_model, pricing_category, namespace).
  const facts = Prisma.sql`
    SELECT h.gpu_id, h.hour, ${UTILIZATION_SQL} AS u, h.gpu_hours AS gh, ${rate} * h.gpu_hours AS cost,
           CASE WHEN ${rate} IS NOT NULL THEN h.currency END AS cur
    FROM gpu_hourly h
    ${joins}
    ${anyFilter ? Prisma.sql`CROSS JOIN LATERAL (SELECT g.model AS gpu_model, h.pricing_category, h.namespace) f` : Prisma.empty}
    WHERE h.org_id = ${orgId} AND h.hour >= ${from}::timestamptz AND h.hour < ${to}::timestamptz
      ${filterConditions(filters, GPU_DIMENSION_SQL)}`;
  // Cells travel as one bytea per GPU: 4 bytes per column with data, big-endian int4 of
  // column × 65536 + (value + 2). Unordered (a hash aggregate, no sort); decoded below.
  const pack = (col: Prisma.Sql, val: Prisma.Sql) => Prisma.sql`string_agg(int4send(${col} * 65536 + ${val} + 2), ''::bytea)`;
  const hourCol = Prisma.sql`floor(extract(epoch FROM hour - ${from}::timestamptz) / 3600)::int`;
  const perGpu =
    bucket === "hour"
      ? Prisma.sql`
        SELECT gpu_id, ${pack(hourCol, Prisma.sql`CASE WHEN u IS NULL THEN -1 ELSE floor(u * 10000)::int END`)} AS cells,
               SUM(gh)::float8 AS gpu_hours,
               COALESCE(SUM(gh) FILTER (WHERE u IS NOT NULL), 0)::float8 AS known_gpu_hours,
               COALESCE(SUM(gh) FILTER (WHERE u < ${thr}), 0)::float8 AS idle_gpu_hours,
               SUM(u * gh::float8) AS useful, MAX(cur) AS currency,
               trim_scale(SUM(cost))::text AS cost,
               trim_scale(COALESCE(SUM(cost) FILTER (WHERE u < ${thr}), CASE WHEN MAX(cur) IS NOT NULL THEN 0 END))::text AS idle_cost
        FROM facts GROUP BY gpu_id`
      : Prisma.sql`
        SELECT gpu_id, ${pack(Prisma.sql`col`, Prisma.sql`CASE WHEN known > 0 THEN floor(useful / known * 10000)::int ELSE -1 END`)} AS cells,
               SUM(gh)::float8 AS gpu_hours, SUM(known)::float8 AS known_gpu_hours, SUM(idle_gh)::float8 AS idle_gpu_hours,
               SUM(useful) AS useful, MAX(cur) AS currency, trim_scale(SUM(cost))::text AS cost,
               trim_scale(COALESCE(SUM(idle_cost), CASE WHEN MAX(cur) IS NOT NULL THEN 0 END))::text AS idle_cost
        FROM (
          SELECT gpu_id, floor(extract(epoch FROM hour - ${from}::timestamptz) / 86400)::int AS col,
                 SUM(gh) AS gh, COALESCE(SUM(gh) FILTER (WHERE u IS NOT NULL), 0)::float8 AS known,
                 COALESCE(SUM(gh) FILTER (WHERE u < ${thr}), 0) AS idle_gh, SUM(u * gh::float8) AS useful, MAX(cur) AS cur,
                 SUM(cost) AS cost, SUM(cost) FILTER (WHERE u < ${thr}) AS idle_cost
          FROM facts GROUP BY 1, 2
        ) d GROUP BY gpu_id`;
  const rows = await inReportTransaction(prisma, (tx) =>
    tx.$queryRaw<SqlRow[]>`
      WITH ${needTeam ? Prisma.sql`${gpuTeamCte(org, { from, to })},` : Prisma.empty}
      facts AS (${facts}),
      per_gpu AS (${perGpu})
      SELECT g.id AS gpu_id, g.uuid, g.mig_profile, g.gpu_index, g.hostname, g.model, COALESCE(c.name, 'unassigned') AS cluster, g.instance_type,
             p.cells, p.gpu_hours, p.known_gpu_hours, p.idle_gpu_hours, p.useful, p.currency, p.cost, p.idle_cost
      FROM per_gpu p
      JOIN gpus g ON g.id = p.gpu_id AND g.org_id = ${orgId}
      LEFT JOIN clusters c ON c.id = g.cluster_id AND c.org_id = ${orgId}`,
  );

  const grid = new Int16Array(rows.length * columns).fill(-2);
  const gpus: HeatmapGpu[] = rows.map((r, i) => {
    const base = i * columns;
    const bytes = r.cells;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let k = 0; k + 4 <= bytes.byteLength; k += 4) {
      const packed = view.getInt32(k);
      const col = Math.floor(packed / 65536);
      if (col >= 0 && col < columns) grid[base + col] = (packed % 65536) - 2;
    }
    return {
      id: r.gpu_id,
      uuid: r.uuid,
      label: gpuLabel(r),
      node: r.hostname ?? "unknown host",
      cluster: r.cluster,
      model: r.model,
      migProfile: r.mig_profile,
      instanceType: r.instance_type,
      gpuHours: round6(r.gpu_hours),
      knownGpuHours: round6(r.known_gpu_hours),
      idleGpuHours: round6(r.idle_gpu_hours),
      meanUtilization: r.known_gpu_hours > 0 && r.useful !== null ? Math.min(1, round6(r.useful / r.known_gpu_hours)) : null,
      currency: r.currency,
      cost: r.cost,
      idleCost: r.idle_cost,
    };
  });
  // Stable default order: cluster, node, GPU index (the client re-sorts).
  const order = gpus.map((_, i) => i).sort((a, b) => cmp(gpus[a]!, gpus[b]!));
  const sortedGrid = new Int16Array(grid.length);
  order.forEach((src, dst) => sortedGrid.set(grid.subarray(src * columns, (src + 1) * columns), dst * columns));
  return {
    window: { from: from.toISOString(), to: to.toISOString() },
    bucket,
    columns,
    costBasis,
    idleThreshold: org.idleThreshold,
    orgCurrency: org.currency,
    gpus: order.map((i) => gpus[i]!),
    cells: Buffer.from(sortedGrid.buffer).toString("base64"),
  };
}

function gpuLabel(r: Pick<SqlRow, "hostname" | "gpu_index" | "uuid" | "mig_profile">): string {
  const base = r.hostname ? `${r.hostname}/${r.gpu_index ?? r.uuid.slice(-6)}` : r.uuid;
  return r.mig_profile ? `${base} ${r.mig_profile}` : base;
}

function cmp(a: HeatmapGpu, b: HeatmapGpu): number {
  return a.cluster.localeCompare(b.cluster) || a.node.localeCompare(b.node, "en", { numeric: true }) || a.label.localeCompare(b.label, "en", { numeric: true });
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
