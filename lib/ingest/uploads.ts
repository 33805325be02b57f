// Uploaded bill files (web UI, POST /api/v1/bills) are streamed to disk, never held in memory, and kept
// under INGEST_STORAGE_DIR (default .burnrate/uploads) so the worker can read them and a re-run can read
// them again. The web server and the worker must share that directory (one host, or a shared volume).
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { DEFAULT_MAX_BILL_BYTES, formatBytes } from "../connectors/shared/bill-source";

export class UploadError extends Error {
  constructor(
    readonly status: 413 | 422,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Where uploads live. Read from process.env on each call rather than through lib/env.ts's cached
 * env(), because the worker tests point it at a per-test directory after the process has started.
 */
export function uploadRoot(): string {
  return path.resolve(process.env.INGEST_STORAGE_DIR ?? path.join(process.cwd(), ".burnrate", "uploads"));
}

export function maxUploadBytes(): number {
  const n = Number(process.env.INGEST_MAX_BYTES);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_MAX_BILL_BYTES;
}

/** A file name safe on disk that still reads like the original. */
export function safeFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, "/")).replace(/[^\w.\- ()]+/g, "_").trim();
  return (base || "bill.csv").slice(0, 180);
}

export async function saveUpload({
  orgId,
  body,
  fileName,
  maxBytes = maxUploadBytes(),
}: {
  orgId: string;
  body: WebReadableStream<Uint8Array> | ReadableStream<Uint8Array> | null;
  fileName: string;
  maxBytes?: number;
}): Promise<{ path: string; size: number }> {
  if (!body) throw new UploadError(422, `${fileName}: the file is empty`);
  const dir = path.join(uploadRoot(), orgId, randomUUID());
  await mkdir(dir, { recursive: true });
  const target = path.join(dir, safeFileName(fileName));
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > maxBytes) cb(new UploadError(413, `${fileName}: the file is over the limit of ${formatBytes(maxBytes)}`));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), limit, createWriteStream(target));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  if (size === 0) {
    await rm(dir, { recursive: true, force: true });
    throw new UploadError(422, `${fileName}: the file is empty`);
  }
  return { path: target, size };
}
