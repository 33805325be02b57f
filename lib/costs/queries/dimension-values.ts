// The values each report dimension can take, for the filter pickers: read from the small tables
// (clusters, GPUs, workloads, the team tag of recent GPU instance bills) rather than the hourly facts,
// so it costs milliseconds on any fleet. The names are the reports' (unassigned, unattributed,
// unpriced included), so a picked value filters exactly as the report API does.
import { type PrismaClient } from "../../db/client";
import { UNASSIGNED_CLUSTER, UNATTRIBUTED, UNPRICED_CATEGORY, type ReportDimension } from "../../domain/reports";
import { loadReportOrg } from "./common";

const PRICING_CATEGORIES = ["on-demand", "spot", "committed", "on-prem", "other", UNPRICED_CATEGORY];

export async function dimensionValues(prisma: PrismaClient, { orgId, from, to }: { orgId: string; from: Date; to: Date }): Promise<Record<ReportDimension, string[]>> {
  const org = await loadReportOrg(prisma, orgId);
  const [clusters, models, teams, namespaces, tagTeams] = await Promise.all([
    prisma.cluster.findMany({ where: { orgId }, select: { name: true } }),
    prisma.gpu.findMany({ where: { orgId }, select: { model: true }, distinct: ["model"] }),
    prisma.workload.findMany({ where: { orgId, team: { not: null } }, select: { team: true }, distinct: ["team"] }),
    prisma.workload.findMany({ where: { orgId }, select: { namespace: true }, distinct: ["namespace"] }),
    prisma.$queryRaw<Array<{ team: string }>>`
      SELECT DISTINCT tags ->> ${org.teamTagKey}::text AS team FROM bill_line_items
      WHERE org_id = ${orgId} AND charge_category = 'Usage' AND gpu_model IS NOT NULL
        AND charge_period_start >= ${from}::timestamptz - '32 days'::interval AND charge_period_start < ${to}::timestamptz
        AND tags ? ${org.teamTagKey}::text`,
  ]);
  const sorted = (xs: Iterable<string>) => [...new Set(xs)].filter(Boolean).sort((a, b) => a.localeCompare(b));
  return {
    cluster: sorted([...clusters.map((c) => c.name), UNASSIGNED_CLUSTER]),
    gpuModel: sorted(models.map((m) => m.model)),
    pricingCategory: PRICING_CATEGORIES,
    team: sorted([...teams.map((t) => t.team!), ...tagTeams.map((t) => t.team), UNATTRIBUTED]),
    namespace: sorted([...namespaces.map((n) => n.namespace), UNATTRIBUTED]),
  };
}
