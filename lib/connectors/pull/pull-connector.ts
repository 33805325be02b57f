// One pull of a bill connector: find what is new at the source and ingest it, one run per delivery.
//   S3: objects under the prefix, grouped by folder (AWS delivers a CUR / FOCUS export for a billing
//   period as several part files in one folder, which must replace the period together). A folder is
//   ingested again when any of its objects' ETags changed or a part was added: the version of a group
//   is a hash of its keys and ETags. Manifests are skipped.
//   HTTPS: one URL; its version is the ETag or Last-Modified, else the SHA-256 of its content.
// A run with the same source and version that succeeded, or failed on the file itself, is not repeated.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { PrismaClient } from "../../db/client";
import { logger } from "../../log";
import { executeIngestionRun, createIngestionRun } from "../../ingest/runs";
import type { IngestSummary } from "../../ingest/ingest-bills";
import { DEFAULT_MAX_BILL_BYTES } from "../shared/bill-source";
import { downloadUrl, remoteVersion } from "../https/https-source";
import { listObjects, s3Client, type S3Object } from "../s3/s3-source";
import { loadBillConnector, type LoadedBillConnector } from "./load-connector";

export type PullResult = {
  connectorId: string;
  found: number;
  ingested: Array<{ runId: string; rows: number; file: string }>;
  skipped: number;
  failed: Array<{ runId: string; file: string; error: string }>;
};

type Delivery = { sourceUri: string; fileName: string; version: string; files: Array<{ uri: string; name: string }> };

async function alreadyDone(prisma: PrismaClient, connectorId: string, d: Delivery): Promise<boolean> {
  const runs = await prisma.ingestionRun.findMany({
    where: { connectorId, sourceUri: d.sourceUri, sourceVersion: d.version },
    select: { status: true, errorDetail: true },
  });
  // A failure of the file itself (bad format, bad value) repeats on every try; anything else may not.
  return runs.some((r) => r.status !== "FAILED" || ((r.errorDetail as { code?: string } | null)?.code ?? "internal") !== "internal");
}

async function s3Deliveries(c: Extract<LoadedBillConnector, { kind: "BILL_S3" }>): Promise<Delivery[]> {
  const client = s3Client(c.config, c.secret);
  let objects: S3Object[];
  try {
    objects = await listObjects(client, { bucket: c.config.bucket, prefix: c.config.prefix });
  } finally {
    client.destroy();
  }
  const include = new RegExp(c.config.include, "i");
  const groups = new Map<string, S3Object[]>();
  for (const o of objects) {
    const base = path.posix.basename(o.key);
    if (!include.test(base) || /manifest|metadata/i.test(base)) continue;
    const dir = path.posix.dirname(o.key);
    groups.set(dir, [...(groups.get(dir) ?? []), o]);
  }
  const out: Array<Delivery & { newest: number }> = [];
  for (const [dir, list] of groups) {
    const sorted = [...list].sort((a, b) => a.key.localeCompare(b.key));
    const version = createHash("sha256")
      .update(sorted.map((o) => `${o.key}\u0000${o.etag}`).join("\n"))
      .digest("hex");
    const folder = dir === "." ? "" : `${dir}/`;
    out.push({
      sourceUri: `s3://${c.config.bucket}/${folder}`,
      fileName: sorted.length === 1 ? sorted[0]!.key : `${folder}(${sorted.length} files)`,
      version,
      files: sorted.map((o) => ({ uri: `s3://${c.config.bucket}/${o.key}`, name: o.key })),
      newest: Math.max(...sorted.map((o) => o.lastModified.getTime())),
    });
  }
  // Oldest delivery first, so a restated period ingested in the same pull ends with its latest version.
  return out.sort((a, b) => a.newest - b.newest);
}

async function httpsDeliveries(c: Extract<LoadedBillConnector, { kind: "BILL_HTTPS" }>): Promise<Delivery[]> {
  const headers = c.secret?.headers ?? {};
  const name = c.config.fileName ?? (new URL(c.config.url).pathname.split("/").pop() || "bill");
  let version = await remoteVersion(c.config.url, headers).catch(() => null);
  if (!version) {
    // No validator from the server: hash the content.
    const dir = await mkdtemp(path.join(os.tmpdir(), "burnrate-https-"));
    try {
      const target = path.join(dir, "probe");
      await downloadUrl({ url: c.config.url, headers, target, maxBytes: c.config.maxBytes ?? DEFAULT_MAX_BILL_BYTES, name });
      const hash = createHash("sha256");
      for await (const chunk of createReadStream(target)) hash.update(chunk as Buffer);
      version = `sha256:${hash.digest("hex")}`;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return [{ sourceUri: c.config.url, fileName: name, version, files: [{ uri: c.config.url, name }] }];
}

export async function pullBillConnector(
  prisma: PrismaClient,
  { orgId, connectorId, now = new Date(), onIngested }: { orgId: string; connectorId: string; now?: Date; onIngested?: (s: IngestSummary) => Promise<unknown> },
): Promise<PullResult> {
  const c = await loadBillConnector(prisma, { orgId, connectorId });
  const result: PullResult = { connectorId, found: 0, ingested: [], skipped: 0, failed: [] };
  if (!c.enabled) return result;
  await prisma.connector.update({ where: { id: c.id }, data: { status: "RUNNING", lastRunAt: now } });
  try {
    const deliveries = c.kind === "BILL_S3" ? await s3Deliveries(c) : await httpsDeliveries(c);
    result.found = deliveries.length;
    for (const d of deliveries) {
      if (await alreadyDone(prisma, c.id, d)) {
        result.skipped++;
        continue;
      }
      const run = await createIngestionRun(prisma, {
        orgId,
        source: "CONNECTOR",
        connectorId: c.id,
        fileName: d.fileName,
        sourceUri: d.sourceUri,
        sourceVersion: d.version,
        options: {
          ...(c.config.format ? { format: c.config.format } : {}),
          ...(c.config.maxBytes ? { maxBytes: c.config.maxBytes } : {}),
          ...(d.files.length > 1 || d.files[0]!.uri !== d.sourceUri ? { files: d.files } : {}),
        },
      });
      try {
        const s = await executeIngestionRun(prisma, { orgId, runId: run.id });
        result.ingested.push({ runId: run.id, rows: s.rows, file: d.fileName });
        await onIngested?.(s);
      } catch (err) {
        result.failed.push({ runId: run.id, file: d.fileName, error: (err as Error).message });
        logger.warn({ connectorId, runId: run.id, err }, "bill connector delivery failed");
      }
    }
    await prisma.connector.update({
      where: { id: c.id },
      data: result.failed.length
        ? { status: "FAILING", lastError: result.failed.map((f) => f.error).join("\n").slice(0, 2000) }
        : { status: "HEALTHY", lastSuccessAt: new Date(), lastError: null },
    });
    return result;
  } catch (err) {
    await prisma.connector.update({ where: { id: c.id }, data: { status: "FAILING", lastError: (err as Error).message.slice(0, 2000) } });
    throw err;
  }
}

/** Connectors due for a pull at `now`: enabled bill connectors whose last run is older than their interval. */
export async function dueBillConnectors(prisma: PrismaClient, now: Date, orgIds?: string[]) {
  const connectors = await prisma.connector.findMany({
    where: { kind: { in: ["BILL_S3", "BILL_HTTPS"] }, enabled: true, ...(orgIds ? { orgId: { in: orgIds } } : {}) },
    select: { id: true, orgId: true, everySeconds: true, lastRunAt: true, status: true },
  });
  // A pull still RUNNING after an hour died with its worker: it is due again.
  const age = (c: { lastRunAt: Date | null }) => (c.lastRunAt ? now.getTime() - c.lastRunAt.getTime() : Infinity);
  return connectors.filter((c) => (c.status !== "RUNNING" || age(c) > 3_600_000) && age(c) >= c.everySeconds * 1000);
}
