"use client";
// Workload ids by (namespace, name), so report rows (one per run or service) can link to their detail.
import { useMemo } from "react";
import { useApi } from "../dashboard/use-api";

const PARAMS = { training: new URLSearchParams({ kind: "training" }), inference: new URLSearchParams({ kind: "inference" }) };

export function useWorkloadIds(kind: "training" | "inference") {
  const { data } = useApi<{ workloads: Array<{ id: string; name: string; namespace: string }> }>("/api/v1/workloads", PARAMS[kind]);
  return useMemo(() => new Map((data?.workloads ?? []).map((w) => [`${w.namespace}\u0000${w.name}`, w.id])), [data]);
}
