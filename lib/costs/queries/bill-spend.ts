// All spend from the bills (not only GPUs) for a window and the window before it, per currency, in
// the chosen cost basis: the Overview's "spend this period vs last" and "GPU share of spend". A bill
// line counts in the window its charge period starts in (as on the Overview's cards). GPU spend is
// the lines recognized as GPU instances or SKUs (bill_line_items.gpu_model).
import { Prisma, type PrismaClient } from "../../db/client";
import type { CostBasis } from "../../domain/reports";
import type { BillSpend } from "../../domain/dashboard-data";

export async function billSpend(prisma: PrismaClient, { orgId, from, to, previousFrom, costBasis }: { orgId: string; from: Date; to: Date; previousFrom: Date; costBasis: CostBasis }): Promise<BillSpend> {
  const col = costBasis === "billed" ? Prisma.sql`billed_cost` : Prisma.sql`effective_cost`;
  const rows = await prisma.$queryRaw<Array<{ currency: string; current: string; previous: string; gpu_current: string; gpu_previous: string }>>`
    SELECT billing_currency AS currency,
           COALESCE(trim_scale(SUM(${col}) FILTER (WHERE charge_period_start >= ${from}::timestamptz)), 0)::text AS current,
           COALESCE(trim_scale(SUM(${col}) FILTER (WHERE charge_period_start < ${from}::timestamptz)), 0)::text AS previous,
           COALESCE(trim_scale(SUM(${col}) FILTER (WHERE charge_period_start >= ${from}::timestamptz AND gpu_model IS NOT NULL)), 0)::text AS gpu_current,
           COALESCE(trim_scale(SUM(${col}) FILTER (WHERE charge_period_start < ${from}::timestamptz AND gpu_model IS NOT NULL)), 0)::text AS gpu_previous
    FROM bill_line_items
    WHERE org_id = ${orgId} AND charge_period_start >= ${previousFrom}::timestamptz AND charge_period_start < ${to}::timestamptz
    GROUP BY billing_currency ORDER BY billing_currency`;
  return {
    window: { from: from.toISOString(), to: to.toISOString(), previousFrom: previousFrom.toISOString() },
    costBasis,
    byCurrency: rows.map((r) => ({ currency: r.currency, current: r.current, previous: r.previous, gpuCurrent: r.gpu_current, gpuPrevious: r.gpu_previous })),
  };
}
