// The org's stale rollup days (rollup_stale_days) touching a window, as ISO days: the days the
// dashboard queries read from the hourly tables instead of the daily rollup (daily-rollup.ts planWindow).
import type { PrismaClient } from "../../db/client";

export async function loadStaleDays(prisma: PrismaClient, { orgId, from, to }: { orgId: string; from: Date; to: Date }): Promise<Set<string>> {
  const rows = await prisma.$queryRaw<{ day: string }[]>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day FROM rollup_stale_days
    WHERE org_id = ${orgId} AND day >= ${from.toISOString().slice(0, 10)}::date AND day <= ${to.toISOString().slice(0, 10)}::date`;
  return new Set(rows.map((r) => r.day));
}
