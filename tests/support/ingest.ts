// Helpers shared by the bill ingestion tests (ingest-worker, ingest-pull, ingest-cli-connectors).
import type { PrismaClient } from "@/lib/db/client";

/** Rows and exact Σ BilledCost the database holds for one billing account of an org. */
export async function accountTotals(prisma: PrismaClient, orgId: string, account: string): Promise<{ rows: number; billed: string | null }> {
  const [t] = await prisma.$queryRaw<Array<{ n: bigint; billed: string | null }>>`
    SELECT count(*) AS n, trim_scale(sum(billed_cost))::text AS billed FROM bill_line_items WHERE org_id = ${orgId} AND billing_account_id = ${account}`;
  return { rows: Number(t!.n), billed: t!.billed };
}

/** Polls `fn` every 100 ms until it returns something truthy; fails after `timeoutMs`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
