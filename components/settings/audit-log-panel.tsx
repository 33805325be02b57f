"use client";

// Settings → Audit log (admins): every admin action, who took it, on what, and when (in the viewer's
// locale and time zone, with its UTC offset). Sortable, exportable as CSV (times in UTC, ISO 8601).
import { useQuery } from "@tanstack/react-query";
import type { AuditEntryJson } from "@/lib/audit/audit";
import { useCurrentOrg } from "../org-context";
import { apiGet } from "../api-fetch";
import { DataTable } from "../dashboard/data-table";

const when = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "longOffset" });

function targetText(e: AuditEntryJson): string {
  const what = e.targetType?.replace(/_/g, " ") ?? "";
  return e.target ? `${what} ${e.target}` : e.targetId ? `${what} ${e.targetId}` : what || "—";
}

export function AuditLogPanel() {
  const org = useCurrentOrg();
  const { data, error, isPending } = useQuery({ queryKey: ["audit", org.slug], queryFn: () => apiGet<{ entries: AuditEntryJson[] }>("/api/v1/audit", org.slug) });
  if (isPending) return <p aria-busy="true">Loading the audit log…</p>;
  if (error) return <p className="alert" role="alert">Could not load the audit log: {error.message}</p>;
  return (
    <section className="panel" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      {data.entries.length === 0 ? (
        <p className="muted">No admin actions recorded yet.</p>
      ) : (
        <DataTable<AuditEntryJson>
          caption="Audit log"
          testId="audit-table"
          csvName={`audit-${org.slug}.csv`}
          rows={data.entries}
          rowKey={(e) => e.id}
          initialSort={{ key: "at", desc: true }}
          columns={[
            { key: "at", label: "Time", value: (e) => e.at, render: (e) => <time dateTime={e.at}>{when.format(new Date(e.at))}</time> },
            { key: "actor", label: "Actor", value: (e) => e.actor },
            { key: "action", label: "Action", value: (e) => e.action },
            { key: "target", label: "Target", value: targetText },
          ]}
        />
      )}
    </section>
  );
}
