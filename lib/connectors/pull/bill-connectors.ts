// Creating and listing bill pull connectors (BILL_S3, BILL_HTTPS): config validated by its schema,
// credentials sealed with ENCRYPTION_KEY and never returned.
import type { PrismaClient } from "../../db/client";
import { encryptSecret } from "../../crypto/secrets";
import { env } from "../../env";
import { conflict } from "../../http/errors";
import { httpsBillConfigSchema, httpsBillSecretSchema, s3BillConfigSchema, s3BillSecretSchema } from "./config";

export type NewBillConnector =
  | { kind: "BILL_S3"; name: string; config: unknown; secret?: unknown; everySeconds?: number }
  | { kind: "BILL_HTTPS"; name: string; config: unknown; secret?: unknown; everySeconds?: number };

function seal(secret: unknown): string | null {
  if (secret === undefined || secret === null) return null;
  const key = env().ENCRYPTION_KEY;
  if (!key) throw new Error("ENCRYPTION_KEY is not set: connector credentials cannot be stored");
  return encryptSecret(JSON.stringify(secret), key);
}

export async function createBillConnector(prisma: PrismaClient, orgId: string, input: NewBillConnector) {
  const config = input.kind === "BILL_S3" ? s3BillConfigSchema.parse(input.config) : httpsBillConfigSchema.parse(input.config);
  const secret =
    input.secret === undefined ? undefined : input.kind === "BILL_S3" ? s3BillSecretSchema.parse(input.secret) : httpsBillSecretSchema.parse(input.secret);
  if (await prisma.connector.findFirst({ where: { orgId, name: input.name } })) throw conflict(`A connector named "${input.name}" already exists`);
  const row = await prisma.connector.create({
    data: { orgId, kind: input.kind, name: input.name, config, secretCiphertext: seal(secret), everySeconds: input.everySeconds ?? 3600 },
  });
  return publicConnector(row);
}

export function publicConnector(row: { id: string; kind: string; name: string; config: unknown; everySeconds: number; enabled: boolean; status: string; lastRunAt: Date | null; lastSuccessAt: Date | null; lastError: string | null; secretCiphertext: string | null }) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    config: row.config,
    hasSecret: row.secretCiphertext !== null,
    everySeconds: row.everySeconds,
    enabled: row.enabled,
    status: row.status,
    lastRunAt: row.lastRunAt?.toISOString() ?? null,
    lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null,
    lastError: row.lastError,
  };
}

export async function listBillConnectors(prisma: PrismaClient, orgId: string) {
  const rows = await prisma.connector.findMany({ where: { orgId, kind: { in: ["BILL_S3", "BILL_HTTPS"] } }, orderBy: { name: "asc" } });
  return rows.map(publicConnector);
}
