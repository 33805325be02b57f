// Slack channels of an org: the webhook URL is sealed with ENCRYPTION_KEY on the way in and never
// leaves the server again (views show only its host). Every function takes the org id.
import { decryptSecret, encryptSecret } from "../crypto/secrets";
import type { PrismaClient } from "../db/client";
import { channelRoutingSchema, type SlackChannelInput } from "../domain/alerting";
import { env } from "../env";
import { notFound, conflict } from "../http/errors";
import { postToSlack, type PostResult } from "./channels/slack";

export type ChannelView = {
  id: string;
  name: string;
  kind: "SLACK";
  webhookHost: string;
  minSeverity: "INFO" | "WARNING" | "CRITICAL";
  routing: { scopes: Array<{ kind: string; value?: string | null }> };
  enabled: boolean;
  createdAt: string;
  lastDelivery: { status: string; at: string; error: string | null; responseCode: number | null } | null;
  failedLast7Days: number;
};

function key(explicit?: string): string {
  const k = explicit ?? env().ENCRYPTION_KEY;
  if (!k) throw new Error("ENCRYPTION_KEY is not set: webhook URLs cannot be stored");
  return k;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "invalid URL";
  }
}

export async function listChannels(prisma: PrismaClient, orgId: string, now = new Date()): Promise<ChannelView[]> {
  const channels = await prisma.alertChannel.findMany({ where: { orgId, kind: "SLACK" }, orderBy: { createdAt: "asc" } });
  const since = new Date(now.getTime() - 7 * 86_400_000);
  return Promise.all(
    channels.map(async (c) => {
      const [last, failed] = await Promise.all([
        prisma.delivery.findFirst({ where: { orgId, channelId: c.id }, orderBy: { updatedAt: "desc" } }),
        prisma.delivery.count({ where: { orgId, channelId: c.id, status: "FAILED", updatedAt: { gte: since } } }),
      ]);
      let host = "unreadable";
      try {
        host = c.secretCiphertext ? hostOf(decryptSecret(c.secretCiphertext, key())) : "none";
      } catch {
        // shown as unreadable
      }
      const routing = channelRoutingSchema.safeParse(c.config);
      return {
        id: c.id,
        name: c.name,
        kind: "SLACK" as const,
        webhookHost: host,
        minSeverity: c.minSeverity,
        routing: routing.success ? routing.data : { scopes: [] },
        enabled: c.enabled,
        createdAt: c.createdAt.toISOString(),
        lastDelivery: last ? { status: last.status, at: last.updatedAt.toISOString(), error: last.lastError, responseCode: last.responseCode } : null,
        failedLast7Days: failed,
      };
    }),
  );
}

export async function createSlackChannel(prisma: PrismaClient, { orgId, input, encryptionKey }: { orgId: string; input: SlackChannelInput; encryptionKey?: string }) {
  const exists = await prisma.alertChannel.findFirst({ where: { orgId, name: input.name }, select: { id: true } });
  if (exists) throw conflict(`A channel named "${input.name}" already exists`);
  const c = await prisma.alertChannel.create({
    data: {
      orgId,
      kind: "SLACK",
      name: input.name,
      secretCiphertext: encryptSecret(input.webhookUrl, key(encryptionKey)),
      minSeverity: input.minSeverity,
      config: { scopes: input.routing.scopes },
    },
  });
  return { id: c.id, name: c.name };
}

export async function updateSlackChannel(
  prisma: PrismaClient,
  { orgId, channelId, input }: { orgId: string; channelId: string; input: Partial<SlackChannelInput> & { enabled?: boolean } },
) {
  const c = await prisma.alertChannel.findFirst({ where: { id: channelId, orgId } });
  if (!c) throw notFound("Channel not found");
  await prisma.alertChannel.update({
    where: { id: c.id },
    data: {
      ...(input.name ? { name: input.name } : {}),
      ...(input.webhookUrl ? { secretCiphertext: encryptSecret(input.webhookUrl, key()) } : {}),
      ...(input.minSeverity ? { minSeverity: input.minSeverity } : {}),
      ...(input.routing ? { config: { scopes: input.routing.scopes } } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    },
  });
  return { id: c.id };
}

export async function deleteChannel(prisma: PrismaClient, { orgId, channelId }: { orgId: string; channelId: string }) {
  const { count } = await prisma.alertChannel.deleteMany({ where: { id: channelId, orgId } });
  if (count === 0) throw notFound("Channel not found");
  return { deleted: channelId };
}

/**
 * "Send test message": posts a short Block Kit message now (no queue, the person is waiting for the
 * answer) and records it as a delivery, so a failing webhook shows up in the history like any other.
 */
export async function sendTestMessage(prisma: PrismaClient, { orgId, channelId, appUrl, now = new Date() }: { orgId: string; channelId: string; appUrl: string; now?: Date }): Promise<PostResult> {
  const c = await prisma.alertChannel.findFirst({ where: { id: channelId, orgId }, include: { org: { select: { slug: true, name: true } } } });
  if (!c || !c.secretCiphertext) throw notFound("Channel not found");
  const url = decryptSecret(c.secretCiphertext, key());
  const link = new URL(`/${c.org.slug}/alerts`, appUrl).toString();
  const res = await postToSlack(url, {
    text: `Burnrate test message for ${c.org.name}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `:white_check_mark: *Burnrate test message*\nAlerts for *${c.org.name}* will arrive in this channel.` } },
      { type: "context", elements: [{ type: "mrkdwn", text: `Channel "${c.name}" · <${link}|alert history>` }] },
    ],
  });
  await prisma.delivery.create({
    data: {
      orgId,
      channelId: c.id,
      kind: "SLACK",
      target: c.name,
      dedupKey: `test:${c.id}:${now.getTime()}:${Math.random().toString(36).slice(2, 8)}`,
      status: res.ok ? "SENT" : "FAILED",
      attempts: 1,
      responseCode: res.status,
      lastError: res.error,
      sentAt: res.ok ? now : null,
    },
  });
  return res;
}
