// GET /api/v1/telemetry/unmapped?days=7: GPU time no workload claims, and GPUs without a rate.
import { z } from "zod";
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { listUnlinkedGpus, listUnmappedGpuTime } from "@/lib/telemetry/fleet-gaps";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  query: z.object({ org: z.string().optional(), days: z.coerce.number().int().min(1).max(90).default(7) }),
  handler: async ({ ctx, query }) => {
    const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
    const from = new Date(to.getTime() - query.days * 86_400_000);
    const [unmapped, unlinked] = await Promise.all([
      listUnmappedGpuTime(db(), { orgId: ctx.orgId, from, to }),
      listUnlinkedGpus(db(), { orgId: ctx.orgId, from, to }),
    ]);
    return { from: from.toISOString(), to: to.toISOString(), hosts: unmapped.hosts, unclassified: unmapped.unclassified, unlinked };
  },
});
