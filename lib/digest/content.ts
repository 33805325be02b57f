// What a weekly digest says, computed from the database for one user and org: spend this week vs the
// week before and vs each budget, GPU utilization and idle cost, the top 3 open recommendations, and
// the SLO breaches of the week. "This week" is the 7 UTC days before the digest's day: [day − 7, day).
import { Prisma, type PrismaClient } from "../db/client";
import { runReport } from "../costs/run-report";
import { budgetStatus } from "../budgets/status";
import { scopeTotal } from "../budgets/spend";
import { scopeLabel } from "../budgets/evaluate";
import { describeObjective, formatSli } from "../slo/describe";

const DAY_MS = 86_400_000;

export type DigestContent = {
  org: { name: string; slug: string; currency: string };
  recipient: { email: string; name: string | null };
  week: string;
  window: { from: string; to: string };
  spend: { currency: string; thisWeek: string; lastWeek: string; change: string; changePercent: number | null; otherCurrencies: string[] };
  budgets: Array<{ name: string; scope: string; amount: string; currency: string; actual: string; percentUsed: number; projected: string; forecastPercent: number; periodKey: string }>;
  gpu: { meanUtilization: number | null; gpuHours: number; idleGpuHours: number; idleCost: string | null; currency: string | null };
  recommendations: Array<{ title: string; monthlySavings: string; currency: string; kind: string }>;
  breaches: Array<{ slo: string; objective: string; startedAt: string; endedAt: string | null; worst: string; errorBudgetConsumed: number }>;
  links: { overview: string; budgets: string; slos: string; recommendations: string; alerts: string; preferences: string };
};

export async function buildDigest(prisma: PrismaClient, { orgId, userId, now, week, appUrl }: { orgId: string; userId: string; now: Date; week: string; appUrl: string }): Promise<DigestContent> {
  const org = await prisma.org.findUniqueOrThrow({ where: { id: orgId }, select: { name: true, slug: true, currency: true } });
  const user = await prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, name: true } });
  const to = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const from = new Date(to.getTime() - 7 * DAY_MS);
  const prevFrom = new Date(from.getTime() - 7 * DAY_MS);
  const orgScope = { orgId, scopeKind: "ORG" as const, scopeValue: null, currency: org.currency, costBasis: "EFFECTIVE" as const };

  const [thisWeek, lastWeek, budgets, gpuReport, recs, breaches] = await Promise.all([
    scopeTotal(prisma, orgScope, { from, to }),
    scopeTotal(prisma, orgScope, { from: prevFrom, to: from }),
    prisma.budget.findMany({ where: { orgId }, orderBy: { name: "asc" } }),
    runReport(prisma, { orgId, kind: "gpu-hours", query: { from, to, groupBy: [], filters: {}, costBasis: "effective" } }),
    prisma.recommendation.findMany({ where: { orgId, status: "OPEN" }, orderBy: [{ monthlySavings: "desc" }, { id: "asc" }], take: 3 }),
    prisma.sloBreach.findMany({
      where: { orgId, startedAt: { lt: to }, OR: [{ endedAt: null }, { endedAt: { gt: from } }] },
      include: { slo: true },
      orderBy: { startedAt: "asc" },
      take: 20,
    }),
  ]);
  const budgetViews = [];
  for (const b of budgets) {
    const v = await budgetStatus(prisma, b, now);
    budgetViews.push({
      name: b.name,
      scope: scopeLabel(b.scopeKind, b.scopeValue),
      amount: v.amount,
      currency: v.currency,
      actual: v.actual,
      percentUsed: v.percentUsed,
      projected: v.forecast.projected,
      forecastPercent: v.forecast.percentOfBudget,
      periodKey: v.periodKey,
    });
  }
  const tw = new Prisma.Decimal(thisWeek.total);
  const lw = new Prisma.Decimal(lastWeek.total);
  const t = gpuReport.totals;
  const link = (p: string) => new URL(`/${org.slug}${p}`, appUrl).toString();
  return {
    org,
    recipient: user,
    week,
    window: { from: from.toISOString(), to: to.toISOString() },
    spend: {
      currency: org.currency,
      thisWeek: tw.toFixed(2),
      lastWeek: lw.toFixed(2),
      change: tw.minus(lw).toFixed(2),
      changePercent: lw.isZero() ? null : tw.minus(lw).div(lw).mul(100).toDecimalPlaces(1).toNumber(),
      otherCurrencies: [...new Set([...thisWeek.excludedCurrencies, ...lastWeek.excludedCurrencies])].sort(),
    },
    budgets: budgetViews,
    gpu: { meanUtilization: t.meanUtilization, gpuHours: t.gpuHours, idleGpuHours: t.idleGpuHours, idleCost: t.idleCost, currency: t.currency },
    recommendations: recs.map((r) => ({ title: r.title, monthlySavings: new Prisma.Decimal(r.monthlySavings).toFixed(2), currency: r.currency, kind: r.kind })),
    breaches: breaches.map((b) => ({
      slo: b.slo.name,
      objective: describeObjective(b.slo),
      startedAt: b.startedAt.toISOString(),
      endedAt: b.endedAt?.toISOString() ?? null,
      worst: formatSli(b.slo, b.worstValue),
      errorBudgetConsumed: b.errorBudgetConsumed,
    })),
    links: {
      overview: link("/overview"),
      budgets: link("/budgets"),
      slos: link("/slos"),
      recommendations: link("/recommendations"),
      alerts: link("/alerts"),
      preferences: link("/settings?tab=digest"),
    },
  };
}
