"use client";

import { useQuery } from "@tanstack/react-query";
import type { Overview } from "@/lib/costs/queries/overview";
import { apiGet } from "../api-fetch";

export type OverviewResponse = Overview & { org: { slug: string; name: string; currency: string } };

export function useOverview(orgSlug: string) {
  return useQuery({
    queryKey: ["overview", orgSlug],
    queryFn: () => apiGet<OverviewResponse>("/api/v1/overview", orgSlug),
  });
}
