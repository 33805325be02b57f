import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { revokeApiKey } from "@/lib/auth/api-keys";
import { notFound } from "@/lib/http/errors";

export const DELETE = orgRoute({
  permission: "apiKeys:manage",
  handler: async ({ ctx, params }) => {
    const id = typeof params.id === "string" ? params.id : "";
    if (!(await revokeApiKey(db(), { orgId: ctx.orgId, keyId: id }))) throw notFound("API key not found");
    return { revoked: id };
  },
});
