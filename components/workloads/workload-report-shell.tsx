"use client";
// The shell the inference page and the training-runs page share: the view's report and workload ids,
// the view controls, the loading / error / empty states, and the panel holding the table; plus the
// columns both tables have (a name linking to the workload's page, GPU-hours).
import Link from "next/link";
import { useMemo, type ReactNode } from "react";
import { reportParams } from "@/lib/domain/dashboard-view";
import { WORKLOAD_DIMENSIONS, type Report } from "@/lib/domain/reports";
import { formatNumber } from "../format";
import { useCurrentOrg } from "../org-context";
import type { Column } from "../dashboard/data-table";
import { Empty, ErrorState, Loading } from "../dashboard/states";
import { useReport } from "../dashboard/use-api";
import { useView } from "../dashboard/use-view";
import { ViewControls } from "../dashboard/view-controls";
import { useWorkloadIds } from "./use-workload-ids";

type Kind = "inference" | "training-runs";
const WORKLOAD_KIND = { inference: "inference", "training-runs": "training" } as const;

/** The report of the current view and a link from a row's (namespace, name) to its workload's page. */
export function useWorkloadReport<K extends Kind>(kind: K) {
  const org = useCurrentOrg();
  const { view, window, search } = useView();
  const params = useMemo(() => reportParams(window, view, { dimensions: WORKLOAD_DIMENSIONS }), [window, view]);
  const report = useReport(kind, params);
  const ids = useWorkloadIds(WORKLOAD_KIND[kind]);
  const q = search ? `?${search}` : "";
  const link = (namespace: string, name: string): ReactNode => {
    const id = ids.get(`${namespace}\u0000${name}`);
    return id ? <Link href={`/${org.slug}/${WORKLOAD_KIND[kind]}/${id}${q}`}>{name}</Link> : name;
  };
  return { report, search, link };
}

export function gpuHoursColumn<T extends { gpuHours: number }>(rows: T[]): Column<T> {
  return { key: "gpuHours", label: "GPU-hours", numeric: true, value: (r) => r.gpuHours, render: (r) => `${formatNumber(r.gpuHours, 1)} GPU-h`, total: `${formatNumber(rows.reduce((s, r) => s + r.gpuHours, 0), 1)} GPU-h` };
}

export function WorkloadReportShell<K extends Kind>({
  report,
  what,
  empty,
  title,
  controls,
  children,
}: {
  report: ReturnType<typeof useReport<K>>;
  /** "inference services": "Loading inference services…", "Could not load the inference services". */
  what: string;
  empty: { title: string; text: string };
  /** The panel's heading and its id. */
  title: { id: string; text: string };
  /** More controls under the view's (e.g. a search box). */
  controls?: ReactNode;
  children: (data: Report<K>) => ReactNode;
}) {
  const { data, error, isPending, refetch } = report;
  const body = isPending ? (
    <Loading label={`Loading ${what}…`} height={320} />
  ) : error ? (
    <ErrorState what={`the ${what}`} error={error} retry={() => refetch()} />
  ) : !data.rows.length ? (
    <Empty title={empty.title}>
      <p>{empty.text}</p>
    </Empty>
  ) : (
    <section className="panel" aria-labelledby={title.id}>
      <h2 id={title.id}>{title.text}</h2>
      {children(data)}
    </section>
  );
  return (
    <>
      <ViewControls filters={WORKLOAD_DIMENSIONS} />
      {controls}
      {body}
    </>
  );
}
