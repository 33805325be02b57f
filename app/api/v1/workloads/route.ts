// GET /api/v1/workloads?kind=training|inference: id, name and namespace of the org's runs or services,
// so the report tables (one row per name and namespace) can link to each one's detail.
import { z } from "zod";
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  query: z.object({ org: z.string().optional(), kind: z.enum(["training", "inference"]) }).strict(),
  handler: async ({ ctx, query }) => ({
    workloads: await db().workload.findMany({
      where: { orgId: ctx.orgId, kind: query.kind === "training" ? "TRAINING_RUN" : "INFERENCE_SERVICE" },
      select: { id: true, name: true, namespace: true },
    }),
  }),
});
