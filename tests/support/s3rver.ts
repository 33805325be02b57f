// A loopback S3-compatible server (s3rver) with one bucket, and an AWS SDK v3 client for it.
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

// __filename, not import.meta.url: Playwright loads this file as CommonJS, Vitest as ESM (both define __filename).
const require = createRequire(__filename);
// s3rver ships no types; only its constructor, run() and close() are used.
const S3rver = require("s3rver") as new (o: Record<string, unknown>) => { run(): Promise<AddressInfo>; close(): Promise<void> };

/** s3rver accepts any key pair that matches its own. */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export type LoopbackS3 = {
  endpoint: string;
  bucket: string;
  client: S3Client;
  put(key: string, body: Buffer | string): Promise<void>;
  close(): Promise<void>;
};

export async function startS3rver({ directory, bucket = "bills" }: { directory: string; bucket?: string }): Promise<LoopbackS3> {
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({
    region: "us-east-1",
    endpoint,
    forcePathStyle: true,
    // A copy: the SDK annotates the credentials object it is given.
    credentials: { ...S3RVER_CREDENTIALS },
    // s3rver predates the SDK's default request checksums.
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
  return {
    endpoint,
    bucket,
    client,
    put: async (key, body) => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
}
