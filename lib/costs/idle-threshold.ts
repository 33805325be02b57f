// Changing an org's idle threshold changes which GPU-hours are idle on every day the daily rollup
// holds (its idle sums used the threshold at build time). The change and the stale marks of those days
// are one transaction: from the commit on, reports read those days from the hourly tables with the new
// threshold, until the rollups job (the refresh it is given, or the hourly fan-out) rebuilds them.
import type { PrismaClient } from "../db/client";
import { markOrgDaysStale, staleWindows } from "./daily-rollup";

export async function setIdleThreshold(
  prisma: PrismaClient,
  { orgId, idleThreshold }: { orgId: string; idleThreshold: number },
): Promise<{ staleDays: number; rebuild: { from: Date; to: Date }[] }> {
  if (!(idleThreshold >= 0 && idleThreshold <= 1)) throw new Error(`idle threshold must be a fraction 0-1 (got ${idleThreshold})`);
  return prisma.$transaction(async (tx) => {
    const updated = await tx.org.updateMany({ where: { id: orgId }, data: { idleThreshold: idleThreshold.toFixed(4) } });
    if (updated.count === 0) throw new Error(`org ${orgId} does not exist`);
    const staleDays = await markOrgDaysStale(tx, orgId);
    // Windows for the caller to queue (producers.enqueueRollupRefreshRange), or to rebuild inline.
    return { staleDays, rebuild: await staleWindows(tx, orgId) };
  });
}
