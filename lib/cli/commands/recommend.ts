import type { Command } from "../command";
import { stringOpt } from "../command";
import { UsageError } from "../output";
import { db } from "../../db/client";
import { AppError } from "../../http/errors";
import { LOOKBACK_DAYS, TERM_LABELS } from "../../recommendations/inputs";
import type { RecommendationsResponse } from "../../recommendations/api-types";
import { recommendationsResponse } from "../../recommendations/response";
import { recomputeRecommendations } from "../../recommendations/run";

export const recommendCommand: Command = {
  usage: `burnrate recommend --org <slug> [--lookback ${LOOKBACK_DAYS.join("|")}] [--recompute] [--json]`,
  summary: "Capacity split per GPU type (on-prem / committed / spot / on-demand) and efficiency actions (the same JSON as GET /api/v1/recommendations)",
  options: { org: { type: "string" }, lookback: { type: "string" }, recompute: { type: "boolean" } },
  async run({ values }) {
    const slug = stringOpt(values, "org");
    if (!slug) throw new UsageError(`Usage: ${this.usage}`);
    const lookback = Number(stringOpt(values, "lookback") ?? 30);
    if (!(LOOKBACK_DAYS as readonly number[]).includes(lookback)) throw new UsageError(`--lookback must be one of ${LOOKBACK_DAYS.join(", ")}`);
    const org = await db().org.findUnique({ where: { slug }, select: { id: true, slug: true } });
    if (!org) throw new AppError("not_found", `No organization with slug "${slug}"`);
    if (values.recompute) await recomputeRecommendations(db(), { orgId: org.id, lookbackDays: lookback });
    const json: RecommendationsResponse = await recommendationsResponse(db(), { orgId: org.id, orgSlug: org.slug, lookbackDays: lookback });
    const cur = json.org.currency;
    const human = [
      ...(json.defaults.global || json.defaults.gpuTypes.length ? [`Default inputs (not saved): ${[...(json.defaults.global ? ["org-wide"] : []), ...json.defaults.gpuTypes].join(", ")}`] : []),
      json.window ? `Lookback ${lookback} days: ${json.window.from} → ${json.window.to} (${json.window.hours} h)` : "No GPU data in the lookback.",
      ...json.plan.splits.map((s) =>
        [
          `${s.key}: on-prem ${s.onPrem.gpus}, committed ${s.commitment?.committedGpus ?? 0}${s.commitment ? ` (${TERM_LABELS[s.commitment.term]})` : ""}, spot mean ${s.spot.meanGpus.toFixed(1)}, on-demand mean ${s.onDemand.meanGpus.toFixed(1)}`,
          `  monthly ${s.monthly.projected} ${cur} vs current ${s.monthly.current} → saves ${s.monthly.savings} ${cur}`,
        ].join("\n"),
      ),
      `Total: projected ${json.plan.totals.projectedMonthly} ${cur}/month vs current ${json.plan.totals.currentMonthly}, saves ${json.plan.totals.savingsMonthly}`,
      "",
      `${json.recommendations.length} recommendation(s):`,
      ...json.recommendations.map((r) => `  [${r.status}] ${r.monthlySavings} ${r.currency}/month  ${r.title}`),
    ].join("\n");
    return { human, json };
  },
};
