import type { Command } from "../command";
import { stringOpt } from "../command";
import { UsageError } from "../output";
import { db } from "../../db/client";
import { AppError } from "../../http/errors";
import type { ScenarioListResponse } from "../../recommendations/scenario-types";
import { listScenarios } from "../../recommendations/scenarios";

export const recommendScenariosCommand: Command = {
  usage: "burnrate recommend scenarios --org <slug> [--json]",
  summary: "Saved what-if scenarios with the inputs that differ and their figures next to the current plan (the same JSON as GET /api/v1/recommendations/scenarios)",
  options: { org: { type: "string" } },
  async run({ values }) {
    const slug = stringOpt(values, "org");
    if (!slug) throw new UsageError(`Usage: ${this.usage}`);
    const org = await db().org.findUnique({ where: { slug }, select: { id: true, slug: true } });
    if (!org) throw new AppError("not_found", `No organization with slug "${slug}"`);
    // The operator running the CLI has the database: an admin (canDelete is true for every row).
    const json: ScenarioListResponse = await listScenarios(db(), { orgId: org.id, orgSlug: org.slug, actor: { role: "ADMIN", userId: null } });
    const cur = json.org.currency;
    const human = json.scenarios.length
      ? [
          `${json.scenarios.length} scenario(s) of ${org.slug}, figures per month in ${cur} on the current demand:`,
          ...json.scenarios.map((s) =>
            [
              `${s.name}  (${s.id}, by ${s.createdBy?.name ?? "unknown"} on ${s.createdAt.slice(0, 10)}, ${s.lookbackDays}-day lookback)`,
              `  projected ${s.projectedMonthly}, saves ${s.savingsMonthly} vs the current mix, ${s.savingsVsCurrentPlanMonthly} vs the current plan (${s.currentPlanMonthly}); up front ${s.risk.upfront}`,
              ...(s.differences.length ? s.differences.map((d) => `  ${d.label}: ${d.scenario} (current ${d.current})`) : ["  same inputs as current"]),
            ].join("\n"),
          ),
        ].join("\n")
      : `No saved scenarios in ${org.slug}.`;
    return { human, json };
  },
};
