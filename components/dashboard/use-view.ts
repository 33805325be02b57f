"use client";
// The dashboard's view (window, cost basis, group-by, filters) read from and written to the URL.
import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { currentSearch, replaceSearch } from "./replace-search";
import { parseView, resolveWindow, viewToSearch, type DashboardView, type ResolvedWindow } from "@/lib/domain/dashboard-view";

export function useView(defaults: Partial<DashboardView> = {}): {
  view: DashboardView;
  window: ResolvedWindow;
  setView: (patch: Partial<DashboardView>) => void;
  search: string;
} {
  const params = useSearchParams();
  const router = useRouter();
  const search = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- defaults are literals per page
  const view = useMemo(() => parseView(new URLSearchParams(search), defaults), [search]);
  // The clock is read per URL change (not per render), so a view's window stays put while it is shown.
  const window = useMemo(() => resolveWindow(view), [view]);
  const setView = useCallback(
    (patch: Partial<DashboardView>) => {
      // Read the URL as it is now (not as rendered): two quick changes must not undo each other.
      const current = currentSearch();
      const next = viewToSearch({ ...parseView(current, defaults), ...patch });
      // Keep parameters a page owns (e.g. sort) that the shared view does not know.
      for (const [k, v] of current) if (!["window", "from", "to", "basis", "groupBy", "cluster", "gpuModel", "pricingCategory", "team", "namespace"].includes(k)) next.set(k, v);
      replaceSearch(router, next);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- defaults are literals per page
    [router],
  );
  return { view, window, setView, search };
}
