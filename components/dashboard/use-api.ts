"use client";
// TanStack Query hooks over the org-scoped API (reports and the dashboard's own endpoints).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Report, ReportKind } from "@/lib/domain/reports";
import { apiGet } from "../api-fetch";
import { useCurrentOrg } from "../org-context";

/** GET path?params as JSON for the current org, cached by path and params. */
export function useApi<T>(path: string, params: URLSearchParams | null, { enabled = true }: { enabled?: boolean } = {}) {
  const org = useCurrentOrg();
  const qs = params?.toString() ?? "";
  return useQuery({
    queryKey: [org.slug, path, qs],
    queryFn: () => apiGet<T>(qs ? `${path}?${qs}` : path, org.slug),
    enabled: enabled && params !== null,
    placeholderData: keepPreviousData,
  });
}

export function useReport<K extends ReportKind>(kind: K, params: URLSearchParams | null, opts?: { enabled?: boolean }) {
  return useApi<Report<K>>(`/api/v1/reports/${kind}`, params, opts);
}
