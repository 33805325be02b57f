// The S3 side of the S3 pull connector (AWS SDK v3): list the export prefix, download one object.
import { createWriteStream } from "node:fs";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { IngestError } from "../shared/ingest-error";
import { formatBytes } from "../shared/bill-source";
import type { S3BillConfig, S3BillSecret } from "../pull/config";

export type S3Object = { key: string; etag: string; size: number; lastModified: Date };

export function s3Client(config: S3BillConfig, secret: S3BillSecret | null): S3Client {
  return new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.forcePathStyle !== undefined ? { forcePathStyle: config.forcePathStyle } : config.endpoint ? { forcePathStyle: true } : {}),
    // Without a stored secret: the SDK's default chain (env, instance or task role).
    ...(secret ? { credentials: { accessKeyId: secret.accessKeyId, secretAccessKey: secret.secretAccessKey, sessionToken: secret.sessionToken } } : {}),
    maxAttempts: 3,
  });
}

/** Every object under the prefix (all pages), oldest first. */
export async function listObjects(client: S3Client, { bucket, prefix }: { bucket: string; prefix: string }): Promise<S3Object[]> {
  const out: S3Object[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      if (!o.Key || o.Key.endsWith("/")) continue;
      out.push({ key: o.Key, etag: (o.ETag ?? "").replace(/"/g, ""), size: Number(o.Size ?? 0), lastModified: o.LastModified ?? new Date(0) });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out.sort((a, b) => a.lastModified.getTime() - b.lastModified.getTime() || a.key.localeCompare(b.key));
}

export async function downloadObject(
  client: S3Client,
  { bucket, key, target, maxBytes }: { bucket: string; key: string; target: string; maxBytes: number },
): Promise<void> {
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const size = Number(res.ContentLength ?? 0);
  if (size > maxBytes) {
    (res.Body as Readable | undefined)?.destroy();
    throw new IngestError({ code: "too_large", file: key, reason: `the file is ${formatBytes(size)}, over the limit of ${formatBytes(maxBytes)}` });
  }
  if (!res.Body) throw new Error(`s3://${bucket}/${key}: empty response body`);
  await pipeline(res.Body as Readable, createWriteStream(target));
}

/** s3://bucket/some/key → { bucket, key } */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!m) throw new Error(`Not an s3:// URI: ${uri}`);
  return { bucket: m[1]!, key: m[2]! };
}
