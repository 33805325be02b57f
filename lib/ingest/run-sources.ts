// Where a run's input lives → local files to read. Uploads are stored files (a path or file:// URL);
// connector runs name s3://bucket/key or an https URL and are downloaded to a temporary directory with
// the connector's credentials, removed again by cleanup().
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { IngestionRun, PrismaClient } from "../db/client";
import type { BillFileInput } from "../connectors/shared/bill-source";
import { downloadConnectorObject } from "../connectors/pull/download";
import type { RunOptions } from "./runs";

export type ResolvedSource = { files: BillFileInput[]; cleanup: () => Promise<void> };

function localPath(uri: string): string | null {
  if (uri.startsWith("file://")) return fileURLToPath(uri);
  if (path.isAbsolute(uri)) return uri;
  return null;
}

export async function resolveRunSources(
  prisma: PrismaClient,
  { run, options }: { run: Pick<IngestionRun, "id" | "orgId" | "sourceUri" | "fileName" | "connectorId">; options: RunOptions },
): Promise<ResolvedSource> {
  const wanted = options.files ?? (run.sourceUri ? [{ uri: run.sourceUri, name: run.fileName ?? path.basename(run.sourceUri) }] : []);
  if (wanted.length === 0) throw new Error(`Ingestion run ${run.id} has no source to read`);
  let tmp: string | undefined;
  const files: BillFileInput[] = [];
  const cleanup = async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  };
  try {
    for (const w of wanted) {
      const local = localPath(w.uri);
      if (local) {
        files.push({ path: local, name: w.name });
        continue;
      }
      if (!run.connectorId) throw new Error(`Ingestion run ${run.id}: ${w.uri} is remote but the run has no connector to fetch it with`);
      tmp ??= await mkdtemp(path.join(os.tmpdir(), "burnrate-pull-"));
      const target = path.join(tmp, `${files.length}-${path.basename(w.name).replace(/[^\w.-]/g, "_")}`);
      await downloadConnectorObject(prisma, { orgId: run.orgId, connectorId: run.connectorId, uri: w.uri, target, maxBytes: options.maxBytes });
      files.push({ path: target, name: w.name });
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { files, cleanup };
}
