import type { QueryClient, QueryKey } from "@tanstack/react-query";

/**
 * Refetch a query after a write (create, edit, delete), so what it shows includes the write.
 *
 * `invalidateQueries` alone is not enough: when the query has no data yet (its first load still in
 * flight, e.g. a slow first request on a cold server), react-query reuses the fetch in flight instead
 * of starting a new one (`cancelRefetch` only applies to a query that already has data). That fetch
 * may have read before the write, so the list kept its old rows until a reload. Cancelling first
 * (reverting to the state before that fetch) makes the invalidation start a fetch issued after the write.
 * Only a form usable before its list's first load answers can hit it (Budgets); every other list
 * uses it too, so a form shown earlier one day cannot bring the defect back.
 */
export async function refetchAfterWrite(qc: QueryClient, queryKey: QueryKey): Promise<void> {
  await qc.cancelQueries({ queryKey });
  await qc.invalidateQueries({ queryKey });
}
