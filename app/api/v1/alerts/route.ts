// GET /api/v1/alerts?days=30: every alert and digest of the org in the last days, with deliveries.
import { z } from "zod";
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { alertHistory } from "@/lib/alerts/history";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  query: z.object({ org: z.string().optional(), days: z.coerce.number().int().min(1).max(366).default(30) }),
  handler: async ({ ctx, query }) => {
    const to = new Date(Date.now() + 60_000);
    const from = new Date(to.getTime() - query.days * 86_400_000);
    return { items: await alertHistory(db(), { orgId: ctx.orgId, from, to }), window: { from: from.toISOString(), to: to.toISOString() } };
  },
});
