// Connector credentials at rest: a small JSON document sealed with AES-256-GCM under ENCRYPTION_KEY
// (lib/crypto/secrets.ts). Only the worker and the CLI open it, right before a run.
import { z } from "zod";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secrets";
import { env } from "@/lib/env";
import type { HttpAuth } from "./http-transport";

export const connectorSecretSchema = z
  .object({
    bearerToken: z.string().min(1).optional(),
    basicAuth: z.object({ username: z.string().min(1), password: z.string() }).optional(),
  })
  .refine((s) => !(s.bearerToken && s.basicAuth), "use a bearer token or basic auth, not both");

export type ConnectorSecret = z.infer<typeof connectorSecretSchema>;

function keyMaterial(explicit?: string): string {
  const key = explicit ?? env().ENCRYPTION_KEY;
  if (!key) throw new Error("ENCRYPTION_KEY is not set: connector credentials cannot be encrypted or read");
  return key;
}

/** null when there is nothing secret to store. */
export function sealConnectorSecret(secret: ConnectorSecret, key?: string): string | null {
  const parsed = connectorSecretSchema.parse(secret);
  if (!parsed.bearerToken && !parsed.basicAuth) return null;
  return encryptSecret(JSON.stringify(parsed), keyMaterial(key));
}

export function openConnectorSecret(ciphertext: string | null | undefined, key?: string): ConnectorSecret {
  if (!ciphertext) return {};
  let plain: string;
  try {
    plain = decryptSecret(ciphertext, keyMaterial(key));
  } catch (err) {
    throw new Error(`Connector credentials cannot be decrypted (was ENCRYPTION_KEY changed?): ${(err as Error).message}`);
  }
  return connectorSecretSchema.parse(JSON.parse(plain));
}

export function authFromSecret(secret: ConnectorSecret): HttpAuth {
  if (secret.bearerToken) return { kind: "bearer", token: secret.bearerToken };
  if (secret.basicAuth) return { kind: "basic", ...secret.basicAuth };
  return { kind: "none" };
}
