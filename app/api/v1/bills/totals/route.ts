// GET /api/v1/bills/totals?from=&to=: rows and Σ Billed / Effective / List cost the org holds, in total
// (per currency) and per billing account and billing period (the window filters billing period starts).
import { z } from "zod";
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { billTotals } from "@/lib/ingest/bill-totals";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  query: z.object({ org: z.string().optional(), from: z.coerce.date().optional(), to: z.coerce.date().optional() }),
  handler: async ({ ctx, query }) => billTotals(db(), { orgId: ctx.orgId, from: query.from, to: query.to }),
});
