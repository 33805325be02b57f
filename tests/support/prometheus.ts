// A real Prometheus for tests and the bench: history written as OpenMetrics, backfilled into a fresh
// data directory with `promtool tsdb create-blocks-from openmetrics`, then served by Debian's
// `prometheus` on a free loopback port with retention long enough to keep any past data. No scrape
// targets: the backfilled blocks are all it knows. stop() kills it (by its own pid) and removes the
// directory.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import { promisify } from "node:util";

const run = promisify(execFile);

export type Sample = { t: number; v: number };
/** One series: metric name, labels, samples in time order (epoch ms). */
export type OmSeries = { name: string; labels: Record<string, string>; samples: Sample[] };

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

export function seriesLine(name: string, labels: Record<string, string>): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(",");
  return l ? `${name}{${l}}` : name;
}

/** OpenMetrics text: series of one metric together, samples in time order, timestamps in seconds, `# EOF` last. */
export function toOpenMetrics(series: OmSeries[]): string {
  const sorted = [...series].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const s of sorted) {
    const head = seriesLine(s.name, s.labels);
    for (const p of s.samples) out.push(`${head} ${p.v} ${(p.t / 1000).toFixed(3)}`);
  }
  out.push("# EOF", "");
  return out.join("\n");
}

/** Streams OpenMetrics to a file without building it in memory (the bench's millions of lines). */
export async function writeOpenMetricsFile(file: string, produce: (write: (line: string) => Promise<void>) => Promise<void>): Promise<void> {
  const stream = createWriteStream(file);
  let buffer: string[] = [];
  const flush = async () => {
    if (!buffer.length) return;
    const text = buffer.join("\n") + "\n";
    buffer = [];
    if (!stream.write(text)) await once(stream, "drain");
  };
  await produce(async (line) => {
    buffer.push(line);
    if (buffer.length >= 20_000) await flush();
  });
  buffer.push("# EOF");
  await flush();
  stream.end();
  await once(stream, "finish");
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

export type RunningPrometheus = { url: string; port: number; dir: string; pid: number; stop(): Promise<void> };

export async function startPrometheus({
  openMetrics,
  openMetricsFile,
  maxBlockDuration = "24h",
  startupTimeoutMs = 60_000,
}: {
  /** OpenMetrics text (tests), or a file already written (bench). */
  openMetrics?: string;
  openMetricsFile?: string;
  maxBlockDuration?: string;
  startupTimeoutMs?: number;
}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(path.join(tmpdir(), "burnrate-prom-"));
  const dataDir = path.join(dir, "data");
  let child: ChildProcess | undefined;
  try {
    let input = openMetricsFile;
    if (!input) {
      input = path.join(dir, "history.om");
      writeFileSync(input, openMetrics ?? "# EOF\n");
    }
    // Bigger blocks than the 2 h default: promtool reads the whole input once per block.
    await run("promtool", ["tsdb", "create-blocks-from", "openmetrics", "--quiet", `--max-block-duration=${maxBlockDuration}`, input, dataDir], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const config = path.join(dir, "prometheus.yml");
    writeFileSync(config, "global:\n  scrape_interval: 1m\n");
    const port = await freePort();
    child = spawn(
      "prometheus",
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${dataDir}`,
        "--storage.tsdb.retention.time=100y",
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=error",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr?.on("data", (c) => (stderr = (stderr + String(c)).slice(-4000)));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + startupTimeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${stderr}`);
      const ready = await fetch(`${url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`prometheus not ready after ${startupTimeoutMs} ms: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const proc = child;
    return {
      url,
      port,
      dir,
      pid: proc.pid!,
      async stop() {
        if (proc.exitCode === null) {
          proc.kill("SIGTERM");
          const exited = once(proc, "exit");
          const timeout = new Promise((r) => setTimeout(r, 10_000));
          await Promise.race([exited, timeout]);
          if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
