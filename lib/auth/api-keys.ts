// API keys: "br_<prefix>_<secret>", shown once, stored as sha256 with scope, expiry and last use.
import type { PrismaClient } from "../db/client";
import type { RoleName } from "../domain/roles";
import { randomToken, sha256Hex } from "../crypto/secrets";
import { AppError, forbidden } from "../http/errors";
import { roleAtMost } from "./role-order";

export type CreatedApiKey = { id: string; name: string; prefix: string; key: string; role: RoleName; expiresAt: Date | null };

export async function createApiKey(
  prisma: PrismaClient,
  { orgId, name, role, createdById, expiresAt }: { orgId: string; name: string; role: RoleName; createdById?: string; expiresAt?: Date | null },
): Promise<CreatedApiKey> {
  const prefix = randomToken(6).replace(/[-_]/g, "x").slice(0, 8);
  const key = `br_${prefix}_${randomToken(32)}`;
  const row = await prisma.apiKey.create({
    data: { orgId, name, role, prefix: `br_${prefix}`, keyHash: sha256Hex(key), createdById, expiresAt: expiresAt ?? null },
  });
  return { id: row.id, name: row.name, prefix: row.prefix, key, role, expiresAt: row.expiresAt };
}

export type ApiKeyPrincipal = { keyId: string; orgId: string; role: RoleName };

/** Resolves a presented key to its org and role, or null if unknown, revoked or expired. */
export async function resolveApiKey(prisma: PrismaClient, presented: string): Promise<ApiKeyPrincipal | null> {
  if (!presented.startsWith("br_")) return null;
  const row = await prisma.apiKey.findUnique({ where: { keyHash: sha256Hex(presented) } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return null;
  // Last-used is informational; update at most once a minute to keep hot paths cheap.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { keyId: row.id, orgId: row.orgId, role: row.role };
}

export async function revokeApiKey(prisma: PrismaClient, { orgId, keyId }: { orgId: string; keyId: string }) {
  const { count } = await prisma.apiKey.updateMany({ where: { id: keyId, orgId, revokedAt: null }, data: { revokedAt: new Date() } });
  return count === 1;
}

export type ApiKeyRow = {
  id: string;
  name: string;
  prefix: string;
  role: RoleName;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdByEmail: string | null;
};

export async function listApiKeys(prisma: PrismaClient, orgId: string): Promise<ApiKeyRow[]> {
  const rows = await prisma.apiKey.findMany({
    where: { orgId },
    orderBy: { createdAt: "desc" },
    include: { createdBy: { select: { email: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    role: r.role,
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
    expiresAt: r.expiresAt,
    revokedAt: r.revokedAt,
    createdByEmail: r.createdBy?.email ?? null,
  }));
}

/** Creating a key on someone's behalf: the key's role may not exceed the creator's, and expiry is in the future. */
export async function issueApiKey(
  prisma: PrismaClient,
  {
    orgId,
    name,
    role,
    creatorRole,
    createdById,
    expiresAt,
    now = new Date(),
  }: { orgId: string; name: string; role: RoleName; creatorRole: RoleName; createdById?: string; expiresAt?: Date | null; now?: Date },
): Promise<CreatedApiKey> {
  if (!roleAtMost(role, creatorRole)) throw forbidden(`A ${creatorRole} cannot create a key with role ${role}`);
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw new AppError("unprocessable", "Expiry must be in the future");
  return createApiKey(prisma, { orgId, name, role, createdById, expiresAt });
}
