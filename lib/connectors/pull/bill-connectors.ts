// Creating, listing, editing, testing and deleting bill pull connectors (BILL_S3, BILL_HTTPS): config
// validated by its schema, credentials sealed with ENCRYPTION_KEY and never returned (only whether some
// are stored). Used by the API, the CLI and the Settings page.
import { z } from "zod";
import type { PrismaClient } from "../../db/client";
import { encryptSecret } from "../../crypto/secrets";
import { env } from "../../env";
import { AppError, conflict, notFound } from "../../http/errors";
import { BILL_CONNECTOR_KINDS, type BillConnectorJson, type BillConnectorKind } from "../../domain/connectors";
import { remoteVersion } from "../https/https-source";
import { listObjects, s3Client } from "../s3/s3-source";
import { httpsBillConfigSchema, httpsBillSecretSchema, s3BillConfigSchema, s3BillSecretSchema } from "./config";

export type NewBillConnector =
  | { kind: "BILL_S3"; name: string; config: unknown; secret?: unknown; everySeconds?: number }
  | { kind: "BILL_HTTPS"; name: string; config: unknown; secret?: unknown; everySeconds?: number };

export const DEFAULT_BILL_EVERY_SECONDS = 3600;

function seal(secret: unknown): string | null {
  if (secret === undefined || secret === null) return null;
  const key = env().ENCRYPTION_KEY;
  if (!key) throw new Error("ENCRYPTION_KEY is not set: connector credentials cannot be stored");
  return encryptSecret(JSON.stringify(secret), key);
}

function invalid(what: string, err: z.ZodError): AppError {
  return new AppError("unprocessable", `Invalid ${what}: ${z.prettifyError(err)}`);
}

/** Validates a connector's config (defaults applied) for its kind; an AppError "unprocessable" names the fields. */
export function parseBillConfig(kind: BillConnectorKind, config: unknown) {
  const r = kind === "BILL_S3" ? s3BillConfigSchema.safeParse(config) : httpsBillConfigSchema.safeParse(config);
  if (!r.success) throw invalid(kind === "BILL_S3" ? "S3 settings" : "HTTPS settings", r.error);
  return r.data;
}

export function parseBillSecret(kind: BillConnectorKind, secret: unknown) {
  const r = kind === "BILL_S3" ? s3BillSecretSchema.safeParse(secret) : httpsBillSecretSchema.safeParse(secret);
  if (!r.success) throw invalid("credentials", r.error);
  return r.data;
}

function checkEvery(everySeconds: number | undefined) {
  if (everySeconds !== undefined && (!Number.isInteger(everySeconds) || everySeconds < 60 || everySeconds > 7 * 86_400)) {
    throw new AppError("unprocessable", "everySeconds must be a whole number of seconds from 60 to 604800");
  }
}

export async function createBillConnector(prisma: PrismaClient, orgId: string, input: NewBillConnector): Promise<BillConnectorJson> {
  const config = parseBillConfig(input.kind, input.config);
  const secret = input.secret === undefined || input.secret === null ? undefined : parseBillSecret(input.kind, input.secret);
  checkEvery(input.everySeconds);
  if (await prisma.connector.findFirst({ where: { orgId, name: input.name } })) throw conflict(`A connector named "${input.name}" already exists`);
  const row = await prisma.connector.create({
    data: { orgId, kind: input.kind, name: input.name, config, secretCiphertext: seal(secret), everySeconds: input.everySeconds ?? DEFAULT_BILL_EVERY_SECONDS },
  });
  return publicConnector(row);
}

export function publicConnector(row: {
  id: string;
  kind: string;
  name: string;
  config: unknown;
  everySeconds: number;
  enabled: boolean;
  status: string;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  secretCiphertext: string | null;
}): BillConnectorJson {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    config: (row.config ?? {}) as Record<string, unknown>,
    hasSecret: row.secretCiphertext !== null,
    everySeconds: row.everySeconds,
    enabled: row.enabled,
    status: row.status,
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
    lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null,
    lastError: row.lastError,
  };
}

export async function listBillConnectors(prisma: PrismaClient, orgId: string): Promise<BillConnectorJson[]> {
  const rows = await prisma.connector.findMany({ where: { orgId, kind: { in: [...BILL_CONNECTOR_KINDS] } }, orderBy: { name: "asc" } });
  return rows.map(publicConnector);
}

/** A bill connector of this org (never one of another org: the id alone does not find it). */
export async function findBillConnector(prisma: PrismaClient, orgId: string, connectorId: string) {
  const row = await prisma.connector.findFirst({ where: { id: connectorId, orgId, kind: { in: [...BILL_CONNECTOR_KINDS] } } });
  if (!row) throw notFound("Bill connector not found");
  return row;
}

export type BillConnectorUpdate = {
  name?: string;
  /** Replaces the whole config (validated for the connector's kind). */
  config?: unknown;
  /** New credentials; null removes them; undefined keeps them. */
  secret?: unknown;
  everySeconds?: number;
  enabled?: boolean;
};

export async function updateBillConnector(prisma: PrismaClient, orgId: string, connectorId: string, input: BillConnectorUpdate): Promise<BillConnectorJson> {
  const current = await findBillConnector(prisma, orgId, connectorId);
  const kind = current.kind as BillConnectorKind;
  const config = input.config === undefined ? undefined : parseBillConfig(kind, input.config);
  const secret = input.secret === undefined || input.secret === null ? input.secret : parseBillSecret(kind, input.secret);
  checkEvery(input.everySeconds);
  if (input.name !== undefined && input.name !== current.name) {
    if (await prisma.connector.findFirst({ where: { orgId, name: input.name, id: { not: current.id } }, select: { id: true } })) {
      throw conflict(`A connector named "${input.name}" already exists`);
    }
  }
  const row = await prisma.connector.update({
    where: { id: current.id },
    data: {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(config ? { config } : {}),
      ...(secret !== undefined ? { secretCiphertext: secret === null ? null : seal(secret) } : {}),
      ...(input.everySeconds !== undefined ? { everySeconds: input.everySeconds } : {}),
      // Re-enabled: back to the status its history says.
      ...(input.enabled !== undefined
        ? { enabled: input.enabled, status: !input.enabled ? "DISABLED" : current.status !== "DISABLED" ? current.status : current.lastError ? "FAILING" : current.lastSuccessAt ? "HEALTHY" : "NEVER_RUN" }
        : {}),
    },
  });
  return publicConnector(row);
}

/** Deletes the connector; its ingestion runs (and their bill lines) stay, no longer linked to it. */
export async function deleteBillConnector(prisma: PrismaClient, orgId: string, connectorId: string): Promise<{ id: string; name: string }> {
  const current = await findBillConnector(prisma, orgId, connectorId);
  await prisma.connector.delete({ where: { id: current.id } });
  return { id: current.id, name: current.name };
}

export type BillConnectionTest = { ok: true; details: Record<string, unknown>; ms: number } | { ok: false; error: string; ms: number };

/**
 * "Test connection" for a bill source, without ingesting anything: S3 lists the prefix (objects, how many
 * the include pattern keeps, the newest keys); HTTPS asks for the URL's headers (HEAD) with the stored
 * request headers. Secrets are already decrypted (or given by the form).
 */
export async function testBillSource(
  source: { kind: "BILL_S3"; config: unknown; secret: unknown } | { kind: "BILL_HTTPS"; config: unknown; secret: unknown },
): Promise<BillConnectionTest> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    if (source.kind === "BILL_S3") {
      const config = s3BillConfigSchema.parse(source.config);
      const secret = source.secret ? s3BillSecretSchema.parse(source.secret) : null;
      const client = s3Client({ ...config }, secret);
      try {
        const objects = await listObjects(client, { bucket: config.bucket, prefix: config.prefix });
        const include = new RegExp(config.include, "i");
        // The files a pull would ingest: matching the include pattern, manifests and metadata left out.
        const matching = objects.filter((o) => {
          const base = o.key.split("/").pop() ?? "";
          return include.test(base) && !/manifest|metadata/i.test(base);
        });
        return { ok: true, ms: ms(), details: { objects: objects.length, matching: matching.length, newest: matching.slice(-3).map((o) => o.key) } };
      } finally {
        client.destroy();
      }
    }
    const config = httpsBillConfigSchema.parse(source.config);
    const secret = source.secret ? httpsBillSecretSchema.parse(source.secret) : null;
    const version = await remoteVersion(config.url, secret?.headers ?? {});
    return { ok: true, ms: ms(), details: { version: version ?? "none (the content's hash will be used)" } };
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number }; Code?: string };
    const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : "";
    return { ok: false, error: `${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message || e.Code || "failed"}${status}`, ms: ms() };
  }
}
