// API key actions. Definitions only: app/[org]/settings/actions.ts exposes them to the browser.
import { z } from "zod";
import { db } from "../db/client";
import { ROLES } from "../domain/roles";
import { orgAction } from "../http/org-action";
import { issueApiKey, revokeApiKey } from "../auth/api-keys";
import { notFound } from "../http/errors";

export const apiKeyInput = z.object({
  name: z.string().trim().min(1).max(80),
  role: z.enum(ROLES),
  expiresAt: z.coerce.date().nullish(),
});

export const createOrgApiKey = orgAction({
  permission: "apiKeys:manage",
  input: apiKeyInput,
  handler: ({ ctx, input, user }) =>
    issueApiKey(db(), { orgId: ctx.orgId, name: input.name, role: input.role, creatorRole: ctx.role, createdById: user.id, expiresAt: input.expiresAt ?? null }),
  audit: ({ input, result }) => ({ action: "api_key.create", targetType: "api_key", targetId: result.id, details: { name: input.name, role: input.role } }),
});

export const revokeOrgApiKey = orgAction({
  permission: "apiKeys:manage",
  input: z.object({ keyId: z.string().min(1).max(64) }),
  handler: async ({ ctx, input }) => {
    if (!(await revokeApiKey(db(), { orgId: ctx.orgId, keyId: input.keyId }))) throw notFound("API key not found");
    return { revoked: input.keyId };
  },
  audit: ({ input }) => ({ action: "api_key.revoke", targetType: "api_key", targetId: input.keyId }),
});
