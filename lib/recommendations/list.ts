import type { PrismaClient } from "../db/client";
import type { RecommendationRow } from "./api-types";

/** The org's stored recommendations, largest saving first. */
export async function listRecommendations(prisma: PrismaClient, { orgId, status }: { orgId: string; status?: RecommendationRow["status"] }): Promise<RecommendationRow[]> {
  const rows = await prisma.recommendation.findMany({ where: { orgId, ...(status ? { status } : {}) }, orderBy: [{ monthlySavings: "desc" }, { fingerprint: "asc" }] });
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    summary: r.summary,
    scope: r.scope,
    evidence: (r.evidence ?? {}) as Record<string, unknown>,
    monthlySavings: r.monthlySavings.toFixed(2),
    currency: r.currency,
    risk: r.risk,
    status: r.status,
    dismissReason: r.dismissReason,
    acceptedAt: r.acceptedAt?.toISOString() ?? null,
    realizedSavings: r.realizedSavings?.toFixed(2) ?? null,
    computedAt: r.computedAt.toISOString(),
  }));
}
