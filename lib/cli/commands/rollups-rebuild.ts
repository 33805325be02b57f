import type { Command } from "../command";
import { stringOpt } from "../command";
import { UsageError } from "../output";
import { db } from "../../db/client";
import { AppError } from "../../http/errors";
import { rebuildRollups } from "../../costs/rebuild-rollups";

function hourOpt(values: Record<string, unknown>, name: string): Date | undefined {
  const s = stringOpt(values, name);
  if (s === undefined) return undefined;
  const d = new Date(s);
  if (!Number.isFinite(d.getTime()) || d.getTime() % 3_600_000 !== 0) throw new UsageError(`--${name} must be an ISO time on a whole UTC hour`);
  return d;
}

export const rollupsRebuildCommand: Command = {
  usage: "burnrate rollups rebuild --org <slug> [--from <iso> --to <iso>] [--json]",
  summary: "Recompute an org's hourly and daily rollups (default: all its history), month by month; backfills the daily rollup",
  options: { org: { type: "string" }, from: { type: "string" }, to: { type: "string" } },
  async run({ values }) {
    const slug = stringOpt(values, "org");
    if (!slug) throw new UsageError(`Usage: ${this.usage}`);
    const [from, to] = [hourOpt(values, "from"), hourOpt(values, "to")];
    if ((from === undefined) !== (to === undefined)) throw new UsageError("--from and --to go together");
    if (from && to && from >= to) throw new UsageError("--from must be before --to");
    const org = await db().org.findUnique({ where: { slug }, select: { id: true } });
    if (!org) throw new AppError("not_found", `No organization with slug "${slug}"`);
    const r = await rebuildRollups(db(), { orgId: org.id, from, to });
    const json = { org: slug, from: r.from?.toISOString() ?? null, to: r.to?.toISOString() ?? null, chunks: r.chunks, gpuHourRows: r.gpuHourRows, gpuDailyRows: r.gpuDailyRows, staleDaysCleared: r.staleDaysCleared, durationMs: r.durationMs };
    const human = r.from
      ? `rebuilt ${slug} ${json.from} → ${json.to}: ${r.chunks} chunk(s), ${r.gpuHourRows} GPU-hours, ${r.gpuDailyRows} daily rows, ${r.staleDaysCleared} stale day(s) cleared in ${(r.durationMs / 1000).toFixed(1)} s`
      : `${slug} has no hourly data: nothing to rebuild`;
    return { human, json };
  },
};
