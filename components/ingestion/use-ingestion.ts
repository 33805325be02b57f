"use client";

import { useQuery } from "@tanstack/react-query";
import type { IngestionRunView } from "@/lib/ingest/run-view";
import { apiGet } from "../api-fetch";

export type RunsResponse = { runs: IngestionRunView[]; nextBefore: string | null };

export const isBusy = (r: Pick<IngestionRunView, "status">) => r.status === "QUEUED" || r.status === "RUNNING";

/** The ingestion history; refreshed every 2 s while a run is queued or running. */
export function useIngestionRuns(orgSlug: string) {
  return useQuery({
    queryKey: ["ingestion-runs", orgSlug],
    queryFn: () => apiGet<RunsResponse>("/api/v1/ingestion-runs?limit=100", orgSlug),
    refetchInterval: (q) => (q.state.data?.runs.some(isBusy) ? 2_000 : false),
  });
}

/** One run, polled every second until it finishes. */
export function useIngestionRun(orgSlug: string, runId: string | null) {
  return useQuery({
    queryKey: ["ingestion-run", orgSlug, runId],
    queryFn: () => apiGet<IngestionRunView>(`/api/v1/ingestion-runs/${runId}`, orgSlug),
    enabled: runId !== null,
    refetchInterval: (q) => (!q.state.data || isBusy(q.state.data) ? 1_000 : false),
  });
}

/** The org-scoped API with a method and an optional body; throws the API's error message. */
export async function apiSend<T>(method: "POST" | "DELETE", path: string, orgSlug: string): Promise<T> {
  const res = await fetch(path, { method, headers: { "x-burnrate-org": orgSlug, accept: "application/json" } });
  const body = (await res.json().catch(() => null)) as T & { error?: { message?: string } };
  if (!res.ok) throw new Error(body?.error?.message ?? `Request failed (${res.status})`);
  return body;
}
