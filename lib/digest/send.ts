// Sending one weekly digest exactly once per user, org and week, even when the job is retried or two
// workers race: the delivery row "digest:<userId>:<week>" is the claim.
//   1. INSERT the row (ON CONFLICT DO NOTHING), then take the claim with a conditional UPDATE: only a
//      row not sent, not being handed to SMTP, and unclaimed (or claimed by this same job, or by a
//      holder silent for longer than the lease) can be taken. Whoever loses sends nothing.
//   2. Build the message, then mark send_started_at (still under the claim) and hand it to SMTP.
//   3. Mark SENT.
// A crash between 2 and 3 leaves send_started_at set: the message may already be in the inbox, so a
// retry records FAILED ("interrupted during the SMTP hand-off") instead of sending a second copy. A crash
// before 2 leaves a claim without send_started_at: the retry (same job id) takes it back and sends.
// An SMTP error before acceptance clears send_started_at and rethrows, so BullMQ retries the send.
import type { Transporter } from "nodemailer";
import type { PrismaClient } from "../db/client";
import { buildDigest } from "./content";
import { renderDigest } from "./render";
import { ensureUnsubscribeToken, oneClickUrl, unsubscribeUrl } from "./unsubscribe";

export type DigestMailer = { transport: Transporter; from: string };

export type SendDigestInput = {
  orgId: string;
  subscriptionId: string;
  week: string;
  now: Date;
  /** Identifies the claimant: the BullMQ job id (stable across its retries). */
  claimant: string;
  mailer: DigestMailer;
  appUrl: string;
  /** Claims older than this with no send started may be taken over (a worker that died). */
  leaseMs?: number;
  /** Test seam: runs after SMTP accepted the message, before it is marked SENT. */
  afterHandOff?: () => Promise<void>;
};

export type SendDigestResult =
  | { outcome: "sent"; deliveryId: string; messageId: string }
  | { outcome: "skipped"; reason: string; deliveryId?: string };

export function digestDedupKey(userId: string, week: string): string {
  return `digest:${userId}:${week}`;
}

export async function sendDigest(prisma: PrismaClient, input: SendDigestInput): Promise<SendDigestResult> {
  const { orgId, subscriptionId, week, now, claimant } = input;
  const sub = await prisma.digestSubscription.findFirst({ where: { id: subscriptionId, orgId }, include: { user: { select: { id: true, email: true } } } });
  if (!sub) return { outcome: "skipped", reason: "subscription not found" };
  if (!sub.enabled) return { outcome: "skipped", reason: "unsubscribed" };
  const member = await prisma.membership.findUnique({ where: { orgId_userId: { orgId, userId: sub.userId } }, select: { id: true } });
  if (!member) return { outcome: "skipped", reason: "no longer a member" };

  const dedupKey = digestDedupKey(sub.userId, week);
  await prisma.delivery.createMany({ data: [{ orgId, kind: "EMAIL", target: sub.user.email, dedupKey, status: "PENDING" }], skipDuplicates: true });
  const leaseMs = input.leaseMs ?? 15 * 60_000;
  const claimed = await prisma.$executeRaw`
    UPDATE deliveries SET claim_token = ${claimant}, claimed_at = ${now}, updated_at = ${now}
     WHERE org_id = ${orgId} AND dedup_key = ${dedupKey}
       AND status IN ('PENDING', 'RETRYING') AND send_started_at IS NULL
       AND (claim_token IS NULL OR claim_token = ${claimant} OR claimed_at < ${new Date(now.getTime() - leaseMs)})`;
  const row = await prisma.delivery.findUniqueOrThrow({ where: { orgId_dedupKey: { orgId, dedupKey } } });
  if (claimed === 0) {
    if (row.status === "PENDING" || row.status === "RETRYING") {
      if (row.sendStartedAt && row.claimToken === claimant) {
        await prisma.delivery.update({
          where: { id: row.id },
          data: { status: "FAILED", lastError: "interrupted during the SMTP hand-off; not resent, to avoid a duplicate" },
        });
        return { outcome: "skipped", reason: "interrupted after hand-off", deliveryId: row.id };
      }
      return { outcome: "skipped", reason: "claimed by another worker", deliveryId: row.id };
    }
    return { outcome: "skipped", reason: `already ${row.status}`, deliveryId: row.id };
  }

  const token = await ensureUnsubscribeToken(prisma, sub.id);
  const content = await buildDigest(prisma, { orgId, userId: sub.userId, now, week, appUrl: input.appUrl });
  const mail = renderDigest(content, { unsubscribeUrl: unsubscribeUrl(input.appUrl, token) });
  const started = await prisma.delivery.updateMany({
    where: { id: row.id, claimToken: claimant, sendStartedAt: null, status: { in: ["PENDING", "RETRYING"] } },
    data: { sendStartedAt: new Date(), subject: mail.subject, attempts: { increment: 1 } },
  });
  if (started.count === 0) return { outcome: "skipped", reason: "claim lost", deliveryId: row.id };

  let messageId: string;
  try {
    const info = await input.mailer.transport.sendMail({
      from: input.mailer.from,
      to: sub.user.email,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: {
        "List-Unsubscribe": `<${oneClickUrl(input.appUrl, token)}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "X-Burnrate-Digest": `${orgId}/${week}`,
      },
    });
    messageId = String(info.messageId ?? "");
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await prisma.delivery.update({ where: { id: row.id }, data: { status: "RETRYING", sendStartedAt: null, lastError: message.slice(0, 500) } });
    throw err;
  }
  await input.afterHandOff?.();
  await prisma.delivery.update({ where: { id: row.id }, data: { status: "SENT", sentAt: new Date(), lastError: null, responseCode: 250 } });
  return { outcome: "sent", deliveryId: row.id, messageId };
}
