// A loopback HTTP server that answers the OpenCost allocation API (GET /allocation, Kubecost's
// /model/allocation) in OpenCost's exact response shape: { code, status, data: [ {name: Allocation} per step ] },
// every allocation carrying the full AllocationJSON field layout of the fixtures (values rounded to 5
// decimals as OpenCost does). Tests describe pod-hours; the server answers the requested window in
// hourly steps, aggregated by namespace/pod, and refuses requests OpenCost would answer differently.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type PodHourSpec = {
  hour: Date;
  namespace: string;
  pod: string;
  node?: string;
  cluster?: string;
  controller?: string;
  controllerKind?: string;
  providerID?: string;
  labels?: Record<string, string>;
  minutes?: number;
  gpuRequest?: number;
  gpuUsageAverage?: number;
  gpuCost?: number;
  cpuCores?: number;
  cpuCost?: number;
  ramBytes?: number;
  ramCost?: number;
};

export type OpenCostMode = "ok" | "garbage" | "daily";

const r5 = (x: number) => Math.round(x * 1e5) / 1e5;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");

function allocation(spec: PodHourSpec, start: number) {
  const minutes = spec.minutes ?? 60;
  const hours = minutes / 60;
  const gpu = spec.gpuRequest ?? 0;
  const cpu = spec.cpuCores ?? 1;
  const ram = spec.ramBytes ?? 8 * 2 ** 30;
  const gpuCost = spec.gpuCost ?? 0;
  const cpuCost = spec.cpuCost ?? 0;
  const ramCost = spec.ramCost ?? 0;
  return {
    name: `${spec.namespace}/${spec.pod}`,
    properties: {
      cluster: spec.cluster ?? "cluster-one",
      ...(spec.node ? { node: spec.node } : {}),
      ...(spec.controller ? { controller: spec.controller, controllerKind: spec.controllerKind ?? "deployment" } : {}),
      namespace: spec.namespace,
      pod: spec.pod,
      ...(spec.providerID ? { providerID: spec.providerID } : {}),
      labels: spec.labels ?? {},
    },
    window: { start: iso(start), end: iso(start + 3_600_000) },
    start: iso(start),
    end: iso(start + minutes * 60_000),
    minutes,
    cpuCores: cpu,
    cpuCoreRequestAverage: cpu,
    cpuCoreUsageAverage: r5(cpu * 0.4),
    cpuCoreHours: r5(cpu * hours),
    cpuCost: r5(cpuCost),
    cpuCostAdjustment: 0,
    cpuCostIdle: 0,
    cpuEfficiency: 0.4,
    gpuCount: gpu,
    gpuRequestAverage: gpu,
    gpuUsageAverage: spec.gpuUsageAverage ?? 0,
    gpuHours: r5(gpu * hours),
    gpuCost: r5(gpuCost),
    gpuCostAdjustment: 0,
    gpuCostIdle: 0,
    gpuEfficiency: gpu > 0 ? r5((spec.gpuUsageAverage ?? 0) / gpu) : 0,
    networkTransferBytes: 0,
    networkReceiveBytes: 0,
    networkCost: 0,
    networkCrossZoneCost: 0,
    networkCrossRegionCost: 0,
    networkInternetCost: 0,
    networkCostAdjustment: 0,
    loadBalancerCost: 0,
    loadBalancerCostAdjustment: 0,
    pvBytes: 0,
    pvByteHours: 0,
    pvCost: 0,
    pvs: null,
    pvCostAdjustment: 0,
    ramBytes: ram,
    ramByteRequestAverage: ram,
    ramByteUsageAverage: Math.round(ram * 0.375),
    ramByteHours: r5(ram * hours),
    ramCost: r5(ramCost),
    ramCostAdjustment: 0,
    ramCostIdle: 0,
    ramEfficiency: 0.375,
    externalCost: 0,
    sharedCost: 0,
    totalCost: r5(gpuCost + cpuCost + ramCost),
    totalEfficiency: 0.5,
    proportionalAssetResourceCosts: {},
    lbAllocations: null,
    sharedCostBreakdown: {},
  };
}

export type RunningOpenCost = { url: string; requests: URL[]; setMode(mode: OpenCostMode): void; close(): Promise<void> };

export async function startOpenCostServer(pods: PodHourSpec[]): Promise<RunningOpenCost> {
  let mode: OpenCostMode = "ok";
  const requests: URL[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(url);
    const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (url.pathname !== "/allocation" && url.pathname !== "/model/allocation") return json(404, { code: 404, message: "not found" });
    if (mode === "garbage") return res.writeHead(200, { "content-type": "text/html" }).end("<html>Bad gateway</html>");
    const p = url.searchParams;
    const [from, to] = (p.get("window") ?? "").split(",").map((s) => Date.parse(s));
    if (!Number.isFinite(from) || !Number.isFinite(to) || to! <= from!) return json(400, { code: 400, message: `invalid window: ${p.get("window")}` });
    if (p.get("aggregate") !== "namespace,pod" || p.get("accumulate") !== "false") return json(400, { code: 400, message: "this test server answers aggregate=namespace,pod&accumulate=false only" });
    const step = mode === "daily" ? 24 * 3_600_000 : p.get("step") === "1h" ? 3_600_000 : NaN;
    if (!Number.isFinite(step)) return json(400, { code: 400, message: `unsupported step ${p.get("step")}` });
    const data: Array<Record<string, unknown>> = [];
    for (let t = from!; t < to!; t += step) {
      const set: Record<string, unknown> = {};
      for (const spec of pods) {
        const h = spec.hour.getTime();
        if (h < t || h >= t + step) continue;
        const a = allocation(spec, h);
        if (mode === "daily") a.window = { start: iso(t), end: iso(t + step) };
        set[a.name] = a;
      }
      data.push(set);
    }
    json(200, { code: 200, status: "success", data });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    setMode(m) {
      mode = m;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
