// Settings of the bill pull connectors (Connector.config, validated here) and their secrets
// (Connector.secretCiphertext: AES-GCM sealed JSON, see lib/crypto/secrets.ts).
import { z } from "zod";
import { BILL_FORMATS } from "../shared/bill-row";

const common = {
  /** Force a format instead of detecting it from each file's header. */
  format: z.enum(BILL_FORMATS).optional(),
  /** Per-file size limit in bytes. */
  maxBytes: z.number().int().positive().optional(),
};

export const s3BillConfigSchema = z.object({
  bucket: z.string().min(3),
  /** Key prefix the exports are delivered under (a CUR / FOCUS export's S3 path prefix). */
  prefix: z.string().default(""),
  region: z.string().default("us-east-1"),
  /** S3-compatible endpoint (MinIO, a test server); AWS when absent. */
  endpoint: z.string().url().optional(),
  forcePathStyle: z.boolean().optional(),
  /** Regular expression (case-insensitive) a key must match to be ingested. */
  include: z.string().default("\\.(csv|csv\\.gz|gz|parquet|jsonl|ndjson|json)$"),
  ...common,
});
export type S3BillConfig = z.infer<typeof s3BillConfigSchema>;

export const s3BillSecretSchema = z.object({
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  sessionToken: z.string().optional(),
});
export type S3BillSecret = z.infer<typeof s3BillSecretSchema>;

export const httpsBillConfigSchema = z.object({
  url: z.string().url(),
  /** A name for the file in messages and history (default: the URL's last path segment). */
  fileName: z.string().optional(),
  ...common,
});
export type HttpsBillConfig = z.infer<typeof httpsBillConfigSchema>;

/** Request headers that carry credentials (Authorization: Bearer …), kept encrypted. */
export const httpsBillSecretSchema = z.object({ headers: z.record(z.string(), z.string()).default({}) });
export type HttpsBillSecret = z.infer<typeof httpsBillSecretSchema>;
