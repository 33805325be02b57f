// What the database holds, as a finance lead reconciles it against invoices: rows and the sums of
// BilledCost, EffectiveCost and ListCost, in total (per currency: currencies are never added) and per
// billing account and billing period. Exact decimals as text. The window filters on the billing period
// start (invoices are per billing period): [from, to).
import type { PrismaClient } from "../db/client";

export type BillTotalsRow = {
  billingAccountId: string;
  billingPeriodStart: string;
  billingPeriodEnd: string;
  currency: string;
  rows: number;
  billedCost: string;
  effectiveCost: string;
  listCost: string;
};

export type CurrencyTotals = { currency: string; rows: number; billedCost: string; effectiveCost: string; listCost: string };

export type BillTotals = {
  from: string | null;
  to: string | null;
  rows: number;
  /** The single currency of the window, or null when it holds several (see byCurrency). */
  currency: string | null;
  billedCost: string | null;
  effectiveCost: string | null;
  listCost: string | null;
  byCurrency: CurrencyTotals[];
  byBillingPeriod: BillTotalsRow[];
};

export async function billTotals(prisma: PrismaClient, { orgId, from, to }: { orgId: string; from?: Date; to?: Date }): Promise<BillTotals> {
  const lo = from ?? new Date("1970-01-01T00:00:00Z");
  const hi = to ?? new Date("9999-01-01T00:00:00Z");
  const rows = await prisma.$queryRaw<
    Array<{ account: string; start: Date; end: Date; currency: string; rows: bigint; billed: string; effective: string; list: string }>
  >`
    SELECT billing_account_id AS account, billing_period_start AS start, max(billing_period_end) AS "end", billing_currency AS currency,
           count(*) AS rows,
           COALESCE(trim_scale(sum(billed_cost)), 0)::text AS billed,
           COALESCE(trim_scale(sum(effective_cost)), 0)::text AS effective,
           COALESCE(trim_scale(sum(list_cost)), 0)::text AS list
    FROM bill_line_items
    WHERE org_id = ${orgId} AND billing_period_start >= ${lo} AND billing_period_start < ${hi}
    GROUP BY billing_account_id, billing_period_start, billing_currency
    ORDER BY billing_period_start, billing_account_id, billing_currency`;
  const byCur = await prisma.$queryRaw<Array<{ currency: string; rows: bigint; billed: string; effective: string; list: string }>>`
    SELECT billing_currency AS currency, count(*) AS rows,
           COALESCE(trim_scale(sum(billed_cost)), 0)::text AS billed,
           COALESCE(trim_scale(sum(effective_cost)), 0)::text AS effective,
           COALESCE(trim_scale(sum(list_cost)), 0)::text AS list
    FROM bill_line_items
    WHERE org_id = ${orgId} AND billing_period_start >= ${lo} AND billing_period_start < ${hi}
    GROUP BY billing_currency ORDER BY billing_currency`;
  const byCurrency = byCur.map((c) => ({ currency: c.currency, rows: Number(c.rows), billedCost: c.billed, effectiveCost: c.effective, listCost: c.list }));
  const single = byCurrency.length === 1 ? byCurrency[0]! : null;
  return {
    from: from?.toISOString() ?? null,
    to: to?.toISOString() ?? null,
    rows: byCurrency.reduce((n, c) => n + c.rows, 0),
    currency: single?.currency ?? null,
    billedCost: single ? single.billedCost : byCurrency.length === 0 ? "0" : null,
    effectiveCost: single ? single.effectiveCost : byCurrency.length === 0 ? "0" : null,
    listCost: single ? single.listCost : byCurrency.length === 0 ? "0" : null,
    byCurrency,
    byBillingPeriod: rows.map((r) => ({
      billingAccountId: r.account,
      billingPeriodStart: r.start.toISOString(),
      billingPeriodEnd: r.end.toISOString(),
      currency: r.currency,
      rows: Number(r.rows),
      billedCost: r.billed,
      effectiveCost: r.effective,
      listCost: r.list,
    })),
  };
}
