// Links fleet GPUs to the billed resources that pay for them, so their hours get a rate from the
// bills (refresh-rollups joins gpus.provider_instance_id = bill_line_items.resource_id exactly).
//
// A GPU's keys are the instance id it already carries (from an exporter label, or the node's
// providerID given by OpenCost) and its hostname. A bill line matches a key when its ResourceId equals
// it or ends in "/<key>" (GCP //compute.googleapis.com/.../instances/<name>, Azure .../virtualMachines/<name>),
// case-insensitively. The GPU then carries the bill's exact ResourceId. GPUs on on-prem clusters are
// priced by their cluster and are left alone; what stays unmatched is listed by listUnlinkedGpus.
import type pg from "pg";

/** Bill lines are looked up from this long before the window: a charge period spans at most a billing month. */
const BILL_LOOKBACK = "32 days";

export async function linkGpusToBilledResources(pool: pg.Pool | pg.PoolClient, { orgId, from, to }: { orgId: string; from: Date; to: Date }): Promise<number> {
  const res = await pool.query(
    `WITH candidates AS (
       SELECT g.id, g.provider_instance_id AS pid, g.hostname
       FROM gpus g
       LEFT JOIN clusters c ON c.id = g.cluster_id AND c.org_id = g.org_id
       WHERE g.org_id = $1 AND c.provider IS DISTINCT FROM 'onprem'
         AND (g.provider_instance_id IS NOT NULL OR g.hostname IS NOT NULL)
         AND EXISTS (SELECT 1 FROM gpu_hourly h WHERE h.gpu_id = g.id AND h.hour >= $2 AND h.hour < $3)
         AND NOT EXISTS (
           SELECT 1 FROM bill_line_items b
           WHERE b.org_id = $1 AND b.resource_id = g.provider_instance_id AND b.gpu_model IS NOT NULL
             AND b.charge_period_start >= $2::timestamptz - $4::interval AND b.charge_period_start < $3)
     ),
     keys AS (
       SELECT c.id, lower(k.key) AS key, k.pos
       FROM candidates c CROSS JOIN LATERAL unnest(ARRAY[c.pid, c.hostname]) WITH ORDINALITY AS k(key, pos)
       WHERE k.key IS NOT NULL AND k.key <> ''
     ),
     resources AS (
       SELECT DISTINCT b.resource_id, lower(b.resource_id) AS full_id, lower(regexp_replace(b.resource_id, '^.*/', '')) AS tail
       FROM bill_line_items b
       WHERE b.org_id = $1 AND b.resource_id IS NOT NULL AND b.gpu_model IS NOT NULL AND (SELECT COUNT(*) FROM keys) > 0
         AND b.charge_period_start >= $2::timestamptz - $4::interval AND b.charge_period_start < $3
     ),
     matches AS (
       SELECT DISTINCT ON (id) id, resource_id
       FROM (
         SELECT k.id, k.pos, 0 AS exactness, r.resource_id FROM keys k JOIN resources r ON r.full_id = k.key
         UNION ALL
         SELECT k.id, k.pos, 1, r.resource_id FROM keys k JOIN resources r ON r.tail = k.key
       ) m
       ORDER BY id, pos, exactness, resource_id
     )
     UPDATE gpus g SET provider_instance_id = m.resource_id
     FROM matches m
     WHERE g.id = m.id AND g.org_id = $1 AND g.provider_instance_id IS DISTINCT FROM m.resource_id`,
    [orgId, from, to, BILL_LOOKBACK],
  );
  return res.rowCount ?? 0;
}
