// A bill pull connector with its config validated and its secret decrypted.
import type { PrismaClient } from "../../db/client";
import { decryptSecret } from "../../crypto/secrets";
import { env } from "../../env";
import {
  type HttpsBillConfig,
  type HttpsBillSecret,
  httpsBillConfigSchema,
  httpsBillSecretSchema,
  type S3BillConfig,
  type S3BillSecret,
  s3BillConfigSchema,
  s3BillSecretSchema,
} from "./config";

export type LoadedBillConnector =
  | { id: string; orgId: string; name: string; kind: "BILL_S3"; enabled: boolean; everySeconds: number; config: S3BillConfig; secret: S3BillSecret | null }
  | { id: string; orgId: string; name: string; kind: "BILL_HTTPS"; enabled: boolean; everySeconds: number; config: HttpsBillConfig; secret: HttpsBillSecret | null };

function openSecret(ciphertext: string | null): unknown {
  if (!ciphertext) return null;
  const key = env().ENCRYPTION_KEY;
  if (!key) throw new Error("ENCRYPTION_KEY is not set: cannot read the connector's stored credentials");
  return JSON.parse(decryptSecret(ciphertext, key));
}

export async function loadBillConnector(prisma: PrismaClient, { orgId, connectorId }: { orgId: string; connectorId: string }): Promise<LoadedBillConnector> {
  const row = await prisma.connector.findFirst({ where: { id: connectorId, orgId } });
  if (!row) throw new Error(`Connector ${connectorId} does not exist in this organization`);
  const base = { id: row.id, orgId: row.orgId, name: row.name, enabled: row.enabled, everySeconds: row.everySeconds };
  const secret = openSecret(row.secretCiphertext);
  if (row.kind === "BILL_S3") {
    return { ...base, kind: "BILL_S3", config: s3BillConfigSchema.parse(row.config), secret: secret === null ? null : s3BillSecretSchema.parse(secret) };
  }
  if (row.kind === "BILL_HTTPS") {
    return { ...base, kind: "BILL_HTTPS", config: httpsBillConfigSchema.parse(row.config), secret: secret === null ? null : httpsBillSecretSchema.parse(secret) };
  }
  throw new Error(`Connector ${connectorId} is a ${row.kind} connector, not a bill connector`);
}
