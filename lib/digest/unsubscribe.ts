// One-click unsubscribe tokens: HMAC of the subscription id under NEXTAUTH_SECRET, so every digest
// of a subscription carries the same working link without storing the token; its sha256 is stored
// (digest_subscriptions.unsubscribe_token_hash) to find the subscription from a link.
import { createHmac } from "node:crypto";
import { sha256Hex } from "../crypto/secrets";
import type { PrismaClient } from "../db/client";
import { env } from "../env";

function secret(explicit?: string): string {
  const s = explicit ?? env().NEXTAUTH_SECRET;
  if (!s) throw new Error("NEXTAUTH_SECRET is not set: unsubscribe links cannot be signed");
  return s;
}

export function unsubscribeToken(subscriptionId: string, explicitSecret?: string): string {
  return createHmac("sha256", secret(explicitSecret)).update(`digest-unsubscribe:${subscriptionId}`).digest("base64url");
}

export function unsubscribeUrl(appUrl: string, token: string): string {
  return new URL(`/unsubscribe/${encodeURIComponent(token)}`, appUrl).toString();
}

/** The RFC 8058 one-click endpoint (POST), also the List-Unsubscribe target. */
export function oneClickUrl(appUrl: string, token: string): string {
  return new URL(`/unsubscribe/${encodeURIComponent(token)}/one-click`, appUrl).toString();
}

/** Makes sure the subscription's token hash is stored; returns the token. */
export async function ensureUnsubscribeToken(prisma: PrismaClient, subscriptionId: string, explicitSecret?: string): Promise<string> {
  const token = unsubscribeToken(subscriptionId, explicitSecret);
  const hash = sha256Hex(token);
  await prisma.digestSubscription.updateMany({ where: { id: subscriptionId, NOT: { unsubscribeTokenHash: hash } }, data: { unsubscribeTokenHash: hash } });
  await prisma.digestSubscription.updateMany({ where: { id: subscriptionId, unsubscribeTokenHash: null }, data: { unsubscribeTokenHash: hash } });
  return token;
}

export async function findByUnsubscribeToken(prisma: PrismaClient, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  return prisma.digestSubscription.findUnique({
    where: { unsubscribeTokenHash: sha256Hex(token) },
    include: { org: { select: { name: true, slug: true } }, user: { select: { email: true } } },
  });
}

export async function unsubscribeByToken(prisma: PrismaClient, token: string): Promise<{ orgName: string; email: string } | null> {
  const sub = await findByUnsubscribeToken(prisma, token);
  if (!sub) return null;
  await prisma.digestSubscription.update({ where: { id: sub.id }, data: { enabled: false } });
  return { orgName: sub.org.name, email: sub.user.email };
}
