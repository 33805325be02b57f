// GET /api/v1/audit: the org's audit log, newest first (admins only).
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { listAudit } from "@/lib/audit/audit";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:manage",
  handler: async ({ ctx }) => ({ entries: await listAudit(db(), { orgId: ctx.orgId }) }),
});
