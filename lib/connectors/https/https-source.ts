// The HTTPS pull connector's transport: what version the server has (ETag / Last-Modified) and a
// streamed, size-limited download.
import { createWriteStream } from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { IngestError } from "../shared/ingest-error";
import { formatBytes } from "../shared/bill-source";

const TIMEOUT_MS = 120_000;

export async function remoteVersion(url: string, headers: Record<string, string>): Promise<string | null> {
  const res = await fetch(url, { method: "HEAD", headers, signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`HEAD ${url} answered ${res.status} ${res.statusText}`);
  return res.headers.get("etag") ?? res.headers.get("last-modified");
}

export async function downloadUrl({ url, headers, target, maxBytes, name }: { url: string; headers: Record<string, string>; target: string; maxBytes: number; name: string }) {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "follow" });
  if (!res.ok || !res.body) throw new Error(`GET ${url} answered ${res.status} ${res.statusText}`);
  const declared = Number(res.headers.get("content-length") ?? 0);
  const tooLarge = (n: number) => new IngestError({ code: "too_large", file: name, reason: `the file is ${formatBytes(n)}, over the limit of ${formatBytes(maxBytes)}` });
  if (declared > maxBytes) {
    await res.body.cancel();
    throw tooLarge(declared);
  }
  let seen = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      cb(seen > maxBytes ? tooLarge(seen) : null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>), limit, createWriteStream(target));
  return { version: res.headers.get("etag") ?? res.headers.get("last-modified") };
}
