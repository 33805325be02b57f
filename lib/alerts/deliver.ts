// Sends one delivery (an alert event to one Slack channel) and records the outcome on its row.
// 2xx → SENT. 429 and 5xx (and network errors) → RETRYING with a delay: Retry-After when Slack gives
// one, else exponential from retryBaseMs, capped at 15 minutes; after maxAttempts → FAILED. Any
// other 4xx (a revoked webhook: 403/404/410 "no_service", "invalid_payload") → FAILED at once.
// The row is the source of truth: a job for a SENT or FAILED row does nothing.
import { decryptSecret } from "../crypto/secrets";
import type { PrismaClient } from "../db/client";
import type { AlertPayload } from "./payload";
import { postToSlack, slackMessage } from "./channels/slack";

export type DeliverConfig = { encryptionKey: string; appUrl: string; retryBaseMs: number; maxAttempts: number };

export type DeliverOutcome =
  | { outcome: "sent"; status: number }
  | { outcome: "skipped"; reason: string }
  | { outcome: "failed"; error: string }
  | { outcome: "retry"; delayMs: number; error: string };

const MAX_DELAY_MS = 15 * 60_000;

export function retryDelay({ attempt, retryAfterMs, baseMs }: { attempt: number; retryAfterMs: number | null; baseMs: number }): number {
  if (retryAfterMs !== null) return Math.min(Math.max(retryAfterMs, 0), MAX_DELAY_MS);
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), MAX_DELAY_MS);
}

export async function deliverOne(prisma: PrismaClient, { orgId, deliveryId, now, config }: { orgId: string; deliveryId: string; now: () => Date; config: DeliverConfig }): Promise<DeliverOutcome> {
  const delivery = await prisma.delivery.findFirst({ where: { id: deliveryId, orgId }, include: { alertEvent: true, channel: true } });
  if (!delivery) return { outcome: "skipped", reason: "delivery not found" };
  if (delivery.status === "SENT" || delivery.status === "FAILED") return { outcome: "skipped", reason: `already ${delivery.status}` };
  const fail = async (error: string, responseCode: number | null = null) => {
    await prisma.delivery.update({ where: { id: delivery.id }, data: { status: "FAILED", lastError: error, responseCode, attempts: { increment: 1 } } });
    return { outcome: "failed" as const, error };
  };
  if (!delivery.channel || !delivery.channel.secretCiphertext) return fail("channel deleted");
  if (!delivery.channel.enabled) return fail("channel disabled");
  if (!delivery.alertEvent) return fail("alert event deleted");

  let url: string;
  try {
    url = decryptSecret(delivery.channel.secretCiphertext, config.encryptionKey);
  } catch {
    return fail("webhook URL cannot be decrypted (ENCRYPTION_KEY changed?)");
  }
  const message = slackMessage({
    title: delivery.alertEvent.title,
    severity: delivery.alertEvent.severity,
    payload: delivery.alertEvent.payload as unknown as AlertPayload,
    appUrl: config.appUrl,
  });
  const res = await postToSlack(url, message);
  const attempts = delivery.attempts + 1;
  if (res.ok) {
    await prisma.delivery.update({ where: { id: delivery.id }, data: { status: "SENT", responseCode: res.status, lastError: null, attempts, sentAt: now() } });
    return { outcome: "sent", status: res.status! };
  }
  const retryable = res.status === null || res.status === 429 || res.status >= 500;
  if (!retryable || attempts >= config.maxAttempts) {
    await prisma.delivery.update({ where: { id: delivery.id }, data: { status: "FAILED", responseCode: res.status, lastError: res.error, attempts } });
    return { outcome: "failed", error: res.error ?? "failed" };
  }
  const delayMs = retryDelay({ attempt: attempts, retryAfterMs: res.retryAfterMs, baseMs: config.retryBaseMs });
  await prisma.delivery.update({
    where: { id: delivery.id },
    data: { status: "RETRYING", responseCode: res.status, lastError: `${res.error} (retry ${attempts}/${config.maxAttempts - 1} in ${Math.round(delayMs / 1000)} s)`, attempts },
  });
  return { outcome: "retry", delayMs, error: res.error ?? "retry" };
}
