import type { Command } from "../command";
import { stringOpt } from "../command";
import { UsageError } from "../output";
import { db } from "../../db/client";
import { AppError } from "../../http/errors";
import { billTotals } from "../../ingest/bill-totals";

function dateOpt(values: Record<string, unknown>, name: string): Date | undefined {
  const raw = stringOpt(values, name);
  if (raw === undefined) return undefined;
  const d = new Date(raw);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--${name} "${raw}" is not an ISO date or date-time`);
  return d;
}

export const billsTotalsCommand: Command = {
  usage: "burnrate bills totals --org <slug> [--from <iso>] [--to <iso>] [--json]",
  summary: "Rows and Σ BilledCost / EffectiveCost / ListCost held for the org, in total and per billing account and period",
  options: { org: { type: "string" }, from: { type: "string" }, to: { type: "string" } },
  async run({ values }) {
    const slug = stringOpt(values, "org");
    if (!slug) throw new UsageError(`Usage: ${this.usage}`);
    const from = dateOpt(values, "from");
    const to = dateOpt(values, "to");
    if (from && to && from >= to) throw new UsageError("--from must be before --to");
    const org = await db().org.findUnique({ where: { slug } });
    if (!org) throw new AppError("not_found", `No organization with slug "${slug}"`);
    const t = await billTotals(db(), { orgId: org.id, from, to });
    const money = (c: { currency: string; billedCost: string; effectiveCost: string; listCost: string }) =>
      `billed ${c.billedCost} ${c.currency}, effective ${c.effectiveCost}, list ${c.listCost}`;
    const human = [
      `${org.slug}: ${t.rows} bill rows${from || to ? ` (billing periods from ${t.from ?? "the start"} to ${t.to ?? "now"})` : ""}`,
      ...t.byCurrency.map((c) => `  total: ${money(c)} (${c.rows} rows)`),
      ...t.byBillingPeriod.map((p) => `  ${p.billingAccountId} ${p.billingPeriodStart.slice(0, 10)}: ${p.rows} rows, ${money(p)}`),
    ];
    return { human: human.join("\n"), json: { org: org.slug, ...t } };
  },
};
