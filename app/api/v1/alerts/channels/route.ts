// GET /api/v1/alerts/channels: Slack channels (never their webhook URL) with their last delivery.
// POST: add one (body: slackChannelInputSchema; the URL is stored encrypted).
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { createSlackChannel, listChannels } from "@/lib/alerts/channels-store";
import { slackChannelInputSchema } from "@/lib/domain/alerting";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ ctx }) => ({ channels: await listChannels(db(), ctx.orgId) }),
});

export const POST = orgRoute({
  permission: "alerts:manage",
  body: slackChannelInputSchema,
  handler: async ({ ctx, body }) => Response.json({ channel: await createSlackChannel(db(), { orgId: ctx.orgId, input: body }) }, { status: 201 }),
});
