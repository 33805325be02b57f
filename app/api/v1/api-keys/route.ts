import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { issueApiKey, listApiKeys } from "@/lib/auth/api-keys";
import { apiKeyInput } from "@/lib/actions/api-keys";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ ctx }) => ({ apiKeys: await listApiKeys(db(), ctx.orgId) }),
});

export const POST = orgRoute({
  permission: "apiKeys:manage",
  body: apiKeyInput,
  handler: async ({ ctx, body }) => {
    const created = await issueApiKey(db(), {
      orgId: ctx.orgId,
      name: body.name,
      role: body.role,
      creatorRole: ctx.role,
      createdById: ctx.actor.kind === "user" ? ctx.actor.userId : undefined,
      expiresAt: body.expiresAt ?? null,
    });
    return Response.json({ apiKey: created }, { status: 201 });
  },
});
