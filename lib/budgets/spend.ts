// Spend of a budget's scope, from bill_line_items (a line counts on the UTC day its charge period
// starts, as on the Overview). Only lines in the budget's currency count: amounts in other currencies
// are never added without a conversion; the status lists them as excluded. Sums are SQL numeric and
// leave the database as exact decimal strings.
import { Prisma, type PrismaClient } from "../db/client";
import type { ScopeKindName, TopMover } from "../domain/alerting";

export type SpendScope = {
  orgId: string;
  scopeKind: ScopeKindName;
  scopeValue: string | null;
  currency: string;
  costBasis: "EFFECTIVE" | "BILLED";
};

function costColumn(basis: SpendScope["costBasis"]): Prisma.Sql {
  return basis === "BILLED" ? Prisma.sql`b.billed_cost` : Prisma.sql`b.effective_cost`;
}

/** The cluster a bill line belongs to: its instance's GPUs' cluster, else a `cluster` tag. */
function clusterOf(orgId: string): Prisma.Sql {
  return Prisma.sql`COALESCE(
    (SELECT c.name FROM gpus g JOIN clusters c ON c.id = g.cluster_id AND c.org_id = ${orgId}
      WHERE g.org_id = ${orgId} AND g.provider_instance_id = b.resource_id AND b.resource_id IS NOT NULL LIMIT 1),
    NULLIF(b.tags ->> 'cluster', ''))`;
}

async function teamKey(prisma: PrismaClient, orgId: string): Promise<string> {
  const org = await prisma.org.findUniqueOrThrow({ where: { id: orgId }, select: { teamTagKey: true } });
  return org.teamTagKey;
}

function scopeCondition(scope: SpendScope, teamTagKey: string): Prisma.Sql {
  const v = scope.scopeValue ?? "";
  switch (scope.scopeKind) {
    case "ORG":
      return Prisma.empty;
    case "TEAM":
      return Prisma.sql`AND b.tags ->> ${teamTagKey}::text = ${v}`;
    case "SERVICE":
      return Prisma.sql`AND b.service_name = ${v}`;
    case "GPU_MODEL":
      return Prisma.sql`AND b.gpu_model = ${v}`;
    case "CLUSTER":
      return Prisma.sql`AND ${clusterOf(scope.orgId)} = ${v}`;
  }
}

export type DailySpendRow = { day: string; amount: string };

/** Daily spend of the scope in [from, to), in the scope's currency; days without spend are absent. */
export async function scopeDailySpend(prisma: PrismaClient, scope: SpendScope, { from, to }: { from: Date; to: Date }): Promise<DailySpendRow[]> {
  const team = await teamKey(prisma, scope.orgId);
  return prisma.$queryRaw<DailySpendRow[]>`
    SELECT to_char(date_trunc('day', b.charge_period_start AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
           trim_scale(SUM(${costColumn(scope.costBasis)}))::text AS amount
      FROM bill_line_items b
     WHERE b.org_id = ${scope.orgId}
       AND b.charge_period_start >= ${from}::timestamptz AND b.charge_period_start < ${to}::timestamptz
       AND b.billing_currency = ${scope.currency}
       ${scopeCondition(scope, team)}
     GROUP BY 1 ORDER BY 1`;
}

/** Exact total of the scope in [from, to), and the other currencies that had spend there. */
export async function scopeTotal(prisma: PrismaClient, scope: SpendScope, { from, to }: { from: Date; to: Date }): Promise<{ total: string; excludedCurrencies: string[] }> {
  const team = await teamKey(prisma, scope.orgId);
  const rows = await prisma.$queryRaw<Array<{ currency: string; total: string }>>`
    SELECT b.billing_currency AS currency, COALESCE(trim_scale(SUM(${costColumn(scope.costBasis)})), 0)::text AS total
      FROM bill_line_items b
     WHERE b.org_id = ${scope.orgId}
       AND b.charge_period_start >= ${from}::timestamptz AND b.charge_period_start < ${to}::timestamptz
       ${scopeCondition(scope, team)}
     GROUP BY 1`;
  return {
    total: rows.find((r) => r.currency === scope.currency)?.total ?? "0",
    excludedCurrencies: rows.filter((r) => r.currency !== scope.currency && r.total !== "0").map((r) => r.currency).sort(),
  };
}

/**
 * What drove the spend: the teams, clusters and services whose spend in the scope grew most in the
 * last 7 days [now − 7 d, now) against the 7 days before. Top `limit` by increase, across the three.
 */
export async function topMovers(prisma: PrismaClient, scope: SpendScope, { now, limit = 3 }: { now: Date; limit?: number }): Promise<TopMover[]> {
  const team = await teamKey(prisma, scope.orgId);
  const mid = new Date(now.getTime() - 7 * 86_400_000);
  const from = new Date(now.getTime() - 14 * 86_400_000);
  const cost = costColumn(scope.costBasis);
  const rows = await prisma.$queryRaw<Array<{ dimension: TopMover["dimension"]; key: string; current: string; previous: string; delta: string }>>`
    WITH lines AS (
      SELECT ${cost} AS cost, b.charge_period_start >= ${mid}::timestamptz AS is_current,
             COALESCE(NULLIF(b.tags ->> ${team}::text, ''), 'unattributed') AS team,
             COALESCE(${clusterOf(scope.orgId)}, 'unassigned') AS cluster,
             COALESCE(NULLIF(b.service_name, ''), 'unknown') AS service
        FROM bill_line_items b
       WHERE b.org_id = ${scope.orgId}
         AND b.charge_period_start >= ${from}::timestamptz AND b.charge_period_start < ${now}::timestamptz
         AND b.billing_currency = ${scope.currency}
         ${scopeCondition(scope, team)}
    ), grouped AS (
      SELECT 'team' AS dimension, team AS key, SUM(cost) FILTER (WHERE is_current) AS cur, SUM(cost) FILTER (WHERE NOT is_current) AS prev FROM lines GROUP BY team
      UNION ALL
      SELECT 'cluster', cluster, SUM(cost) FILTER (WHERE is_current), SUM(cost) FILTER (WHERE NOT is_current) FROM lines GROUP BY cluster
      UNION ALL
      SELECT 'service', service, SUM(cost) FILTER (WHERE is_current), SUM(cost) FILTER (WHERE NOT is_current) FROM lines GROUP BY service
    )
    SELECT dimension, key,
           trim_scale(COALESCE(cur, 0))::text AS current,
           trim_scale(COALESCE(prev, 0))::text AS previous,
           trim_scale(COALESCE(cur, 0) - COALESCE(prev, 0))::text AS delta
      FROM grouped
     WHERE COALESCE(cur, 0) - COALESCE(prev, 0) > 0
     ORDER BY COALESCE(cur, 0) - COALESCE(prev, 0) DESC, dimension, key
     LIMIT ${limit}`;
  return rows;
}
