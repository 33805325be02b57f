// What the fleet telemetry could not account for, for the admin pages (time-bounded, org-scoped):
//  - unlinked GPUs: GPU time without a rate (no bill matches the GPU's instance id or hostname, or an
//    on-prem cluster without rate inputs), listed instead of dropped;
//  - unmapped GPU time: GPU-hours no workload claims (no pod on the GPU, or busy without a pod), and
//    GPU time of workloads only known by their pod name (kind OTHER), whose labels an admin can fix.
import type { PrismaClient } from "@/lib/db/client";

export type UnlinkedGpu = {
  gpuId: string;
  uuid: string;
  migInstanceId: string;
  model: string;
  hostname: string | null;
  providerInstanceId: string | null;
  cluster: string | null;
  clusterProvider: string | null;
  hours: number;
  gpuHours: number;
  reason: "no-instance-id" | "no-bill-for-instance" | "on-prem-without-rate";
};

export async function listUnlinkedGpus(prisma: PrismaClient, { orgId, from, to }: { orgId: string; from: Date; to: Date }): Promise<UnlinkedGpu[]> {
  const rows = await prisma.$queryRaw<Array<Omit<UnlinkedGpu, "hours" | "gpuHours"> & { hours: bigint; gpuHours: string }>>`
    SELECT g.id AS "gpuId", g.uuid, g.mig_instance_id AS "migInstanceId", g.model, g.hostname,
           g.provider_instance_id AS "providerInstanceId", c.name AS cluster, c.provider AS "clusterProvider",
           COUNT(*) AS hours, SUM(h.gpu_hours)::text AS "gpuHours",
           CASE WHEN c.provider = 'onprem' THEN 'on-prem-without-rate'
                WHEN g.provider_instance_id IS NULL THEN 'no-instance-id'
                ELSE 'no-bill-for-instance' END AS reason
    FROM gpu_hourly h
    JOIN gpus g ON g.id = h.gpu_id AND g.org_id = h.org_id
    LEFT JOIN clusters c ON c.id = g.cluster_id AND c.org_id = g.org_id
    WHERE h.org_id = ${orgId} AND h.hour >= ${from} AND h.hour < ${to} AND h.rate IS NULL
    GROUP BY g.id, c.name, c.provider
    ORDER BY SUM(h.gpu_hours) DESC, g.hostname NULLS LAST, g.uuid, g.mig_instance_id`;
  return rows.map((r) => ({ ...r, hours: Number(r.hours), gpuHours: Number(r.gpuHours) }));
}

export type UnmappedHost = {
  hostname: string | null;
  model: string;
  gpus: number;
  gpuHours: number;
  /** GPU-hours at or above the org's idle threshold: work that ran for nobody we know. */
  busyGpuHours: number;
  meanUtilization: number | null;
};

export type UnclassifiedWorkload = { workloadId: string; namespace: string; name: string; gpuHours: number; pods: string[] };

export async function listUnmappedGpuTime(
  prisma: PrismaClient,
  { orgId, from, to }: { orgId: string; from: Date; to: Date },
): Promise<{ hosts: UnmappedHost[]; unclassified: UnclassifiedWorkload[] }> {
  const hosts = await prisma.$queryRaw<Array<{ hostname: string | null; model: string; gpus: bigint; gpuHours: string; busyGpuHours: string; meanUtilization: number | null }>>`
    SELECT g.hostname, g.model, COUNT(DISTINCT g.id) AS gpus, SUM(h.gpu_hours)::text AS "gpuHours",
           COALESCE(SUM(h.gpu_hours) FILTER (WHERE h.utilization >= o.idle_threshold::float8), 0)::text AS "busyGpuHours",
           AVG(h.utilization) AS "meanUtilization"
    FROM gpu_hourly h
    JOIN gpus g ON g.id = h.gpu_id AND g.org_id = h.org_id
    JOIN orgs o ON o.id = h.org_id
    WHERE h.org_id = ${orgId} AND h.hour >= ${from} AND h.hour < ${to} AND h.workload_id IS NULL
    GROUP BY g.hostname, g.model
    ORDER BY 5 DESC, 4 DESC, g.hostname NULLS LAST`;
  const unclassified = await prisma.$queryRaw<Array<{ workloadId: string; namespace: string; name: string; gpuHours: string; pods: string[] }>>`
    SELECT w.id AS "workloadId", w.namespace, w.name, SUM(h.gpu_hours)::text AS "gpuHours",
           (ARRAY_AGG(DISTINCT h.pod) FILTER (WHERE h.pod IS NOT NULL))[1:10] AS pods
    FROM gpu_hourly h
    JOIN workloads w ON w.id = h.workload_id AND w.org_id = h.org_id
    WHERE h.org_id = ${orgId} AND h.hour >= ${from} AND h.hour < ${to} AND w.kind = 'OTHER'
    GROUP BY w.id
    ORDER BY SUM(h.gpu_hours) DESC, w.namespace, w.name`;
  return {
    hosts: hosts.map((r) => ({ ...r, gpus: Number(r.gpus), gpuHours: Number(r.gpuHours), busyGpuHours: Number(r.busyGpuHours) })),
    unclassified: unclassified.map((r) => ({ ...r, gpuHours: Number(r.gpuHours), pods: r.pods ?? [] })),
  };
}
