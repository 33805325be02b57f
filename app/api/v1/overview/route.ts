import { db } from "@/lib/db/client";
import { getOverview } from "@/lib/costs/queries/overview";
import { orgRoute } from "@/lib/http/org-route";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ ctx }) => ({
    org: { slug: ctx.orgSlug, name: ctx.orgName, currency: ctx.currency },
    ...(await getOverview(db(), { orgId: ctx.orgId, now: new Date() })),
  }),
});
