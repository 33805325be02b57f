"use client";

// Settings → Unmapped GPU time: GPU-hours no workload claims, GPU time of workloads known only by their
// pod name, and GPUs without a rate (not linked to a bill), so an admin can fix labels or rules.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useCurrentOrg } from "../org-context";
import { apiGet } from "../api-fetch";
import { formatPercent } from "../format";

type UnmappedResponse = {
  from: string;
  to: string;
  hosts: Array<{ hostname: string | null; model: string; gpus: number; gpuHours: number; busyGpuHours: number; meanUtilization: number | null }>;
  unclassified: Array<{ workloadId: string; namespace: string; name: string; gpuHours: number; pods: string[] }>;
  unlinked: Array<{
    gpuId: string;
    uuid: string;
    migInstanceId: string;
    model: string;
    hostname: string | null;
    providerInstanceId: string | null;
    cluster: string | null;
    hours: number;
    gpuHours: number;
    reason: "no-instance-id" | "no-bill-for-instance" | "on-prem-without-rate";
  }>;
};

const REASONS: Record<UnmappedResponse["unlinked"][number]["reason"], string> = {
  "no-instance-id": "No instance id label (add instance_id / provider_id via relabeling, or a hostname that matches the bill's resource id)",
  "no-bill-for-instance": "No bill line for this instance in the window",
  "on-prem-without-rate": "On-prem cluster without a rate",
};

const hours = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });

export function UnmappedPanel() {
  const org = useCurrentOrg();
  const [days, setDays] = useState(7);
  const { data, error, isPending } = useQuery({
    queryKey: ["telemetry-unmapped", org.slug, days],
    queryFn: () => apiGet<UnmappedResponse>(`/api/v1/telemetry/unmapped?days=${days}`, org.slug),
  });

  return (
    <div>
      <section className="panel" aria-labelledby="unmapped-help-title">
        <h2 id="unmapped-help-title">Unmapped GPU time</h2>
        <p>GPU time is attributed to a workload from the labels telemetry carries. To fix what is listed below:</p>
        <ul>
          <li>
            <strong>Training runs</strong>: label pods with one of the org&apos;s run label keys (default <code>run_id</code>, <code>training.run-id</code>; in
            Prometheus/OpenCost spellings <code>training_run_id</code>, <code>label_training_run_id</code>). The first present names the run.
          </li>
          <li>
            <strong>Pod names</strong>: without a run label, the controller is taken from the pod name (<code>&lt;job&gt;-&lt;n&gt;-&lt;random&gt;</code> → Job →
            training run; <code>&lt;deployment&gt;-&lt;hash&gt;-&lt;random&gt;</code> → Deployment → inference service). Other names stay &ldquo;unclassified&rdquo;: add
            pod-name rules (<code>settings.telemetry.podNameRules</code>, or per connector <code>podNameRules</code>).
          </li>
          <li>
            <strong>GPUs without a pod</strong>: DCGM exporter must map pods to GPUs (<code>pod</code>, <code>namespace</code>, <code>container</code> labels, kubelet pod-resources
            enabled), or an OpenCost connector attributes the node&apos;s GPU-hours to the pods that requested GPUs.
          </li>
          <li>
            <strong>Unlinked GPUs</strong> have no rate: the GPU&apos;s instance id (<code>instance_id</code>, <code>provider_id</code>, <code>providerID</code>) or hostname
            (<code>Hostname</code>/<code>hostname</code>, <code>kubernetes_node</code>, <code>node</code>) must match a bill&apos;s resource id.
          </li>
        </ul>
        <div className="field">
          <label htmlFor="unmapped-days">Window</label>
          <select id="unmapped-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={1}>Last 24 hours</option>
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
          </select>
        </div>
      </section>

      {isPending ? (
        <p aria-busy="true">Loading…</p>
      ) : error ? (
        <p className="alert" role="alert">
          Could not load unmapped GPU time: {error.message}
        </p>
      ) : (
        <>
          <section className="panel" aria-labelledby="unmapped-hosts-title">
            <h2 id="unmapped-hosts-title">GPU-hours without a workload</h2>
            {data.hosts.length === 0 ? (
              <p className="muted">Every GPU-hour in the window is attributed to a workload.</p>
            ) : (
              <table className="data" aria-labelledby="unmapped-hosts-title">
                <thead>
                  <tr>
                    <th scope="col">Host</th>
                    <th scope="col">Model</th>
                    <th scope="col">GPUs</th>
                    <th scope="col">GPU-hours</th>
                    <th scope="col">Busy GPU-hours</th>
                    <th scope="col">Mean utilization</th>
                  </tr>
                </thead>
                <tbody>
                  {data.hosts.map((h) => (
                    <tr key={`${h.hostname ?? ""}|${h.model}`} data-testid="unmapped-host-row">
                      <td>{h.hostname ?? <span className="muted">unknown host</span>}</td>
                      <td>{h.model}</td>
                      <td>{h.gpus}</td>
                      <td>{hours(h.gpuHours)}</td>
                      <td>{hours(h.busyGpuHours)}</td>
                      <td>{h.meanUtilization === null ? "—" : formatPercent(h.meanUtilization)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section className="panel" aria-labelledby="unclassified-title">
            <h2 id="unclassified-title">Unclassified workloads (known only by pod name)</h2>
            {data.unclassified.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <table className="data" aria-labelledby="unclassified-title">
                <thead>
                  <tr>
                    <th scope="col">Namespace</th>
                    <th scope="col">Name</th>
                    <th scope="col">GPU-hours</th>
                    <th scope="col">Pods</th>
                  </tr>
                </thead>
                <tbody>
                  {data.unclassified.map((w) => (
                    <tr key={w.workloadId}>
                      <td>{w.namespace}</td>
                      <td>{w.name}</td>
                      <td>{hours(w.gpuHours)}</td>
                      <td>
                        <code>{w.pods.join(", ")}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section className="panel" aria-labelledby="unlinked-title">
            <h2 id="unlinked-title">GPUs not linked to a bill</h2>
            {data.unlinked.length === 0 ? (
              <p className="muted">Every GPU in the window has a rate.</p>
            ) : (
              <table className="data" aria-labelledby="unlinked-title">
                <thead>
                  <tr>
                    <th scope="col">GPU</th>
                    <th scope="col">Model</th>
                    <th scope="col">Host</th>
                    <th scope="col">Instance id</th>
                    <th scope="col">Cluster</th>
                    <th scope="col">GPU-hours</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {data.unlinked.map((g) => (
                    <tr key={g.gpuId}>
                      <td>
                        <code title={g.uuid}>{g.uuid.slice(0, 12)}…</code>
                        {g.migInstanceId ? ` MIG ${g.migInstanceId}` : ""}
                      </td>
                      <td>{g.model}</td>
                      <td>{g.hostname ?? "—"}</td>
                      <td>{g.providerInstanceId ?? "—"}</td>
                      <td>{g.cluster ?? "—"}</td>
                      <td>{hours(g.gpuHours)}</td>
                      <td>{REASONS[g.reason] ?? g.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </div>
  );
}
