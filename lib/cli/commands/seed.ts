import type { Command } from "../command";
import { stringOpt } from "../command";
import { UsageError } from "../output";
import { db } from "../../db/client";

export const seedCommand: Command = {
  usage: "burnrate seed --demo [--now <iso>] [--days 30] [--json]",
  summary: "Build the deterministic demo org \"demo\" (replaces it if present)",
  options: { demo: { type: "boolean" }, now: { type: "string" }, days: { type: "string" } },
  async run({ values }) {
    if (!values.demo) throw new UsageError(`Usage: ${this.usage}`);
    const nowRaw = stringOpt(values, "now");
    const now = nowRaw ? new Date(nowRaw) : new Date();
    if (Number.isNaN(now.getTime())) throw new UsageError(`--now "${nowRaw}" is not an ISO date-time`);
    const days = Number(stringOpt(values, "days") ?? 30);
    if (!Number.isInteger(days) || days < 1 || days > 400) throw new UsageError("--days must be an integer from 1 to 400");
    const started = Date.now();
    // Loaded on demand: the generator is only needed by this command.
    const { seedDemo } = await import("../../../prisma/seed/demo");
    const s = await seedDemo({ prisma: db(), now, days });
    // The demo org opens with recommendations already computed (the worker recomputes them later).
    await (await import("../../recommendations/run")).recomputeRecommendations(db(), { orgId: (await db().org.findUniqueOrThrow({ where: { slug: s.org } })).id, now });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    return {
      human: [
        `Seeded org "${s.org}" in ${seconds}s: ${s.clusters} clusters, ${s.gpus} GPUs, ${s.workloads.trainingRuns} training runs, ${s.workloads.inferenceServices} inference services`,
        `  window ${s.window.from} → ${s.window.to}`,
        `  rows: ${s.rows.billLineItems} bill lines, ${s.rows.gpuHourly} GPU-hours, ${s.rows.workloadHourly} service-hours`,
        `  logins (password "${s.password}"): ${s.logins.map((l) => `${l.email} (${l.role})`).join(", ")}`,
      ].join("\n"),
      json: { ...s, seconds: Number(seconds) },
    };
  },
};
