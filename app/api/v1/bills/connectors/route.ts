// GET /api/v1/bills/connectors: the org's bill pull connectors (S3 prefix, HTTPS URL), without secrets.
// POST: add one. { kind: "BILL_S3", name, config: { bucket, prefix, region, endpoint? }, secret?: { accessKeyId,
// secretAccessKey } } or { kind: "BILL_HTTPS", name, config: { url }, secret?: { headers: { Authorization } } }.
// The worker polls every minute and pulls each connector when its everySeconds (default 3600) have passed.
import { z } from "zod";
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { createBillConnector, listBillConnectors } from "@/lib/connectors/pull/bill-connectors";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ ctx }) => ({ connectors: await listBillConnectors(db(), ctx.orgId) }),
});

export const POST = orgRoute({
  permission: "connectors:manage",
  body: z.object({
    kind: z.enum(["BILL_S3", "BILL_HTTPS"]),
    name: z.string().min(1).max(100),
    config: z.record(z.string(), z.unknown()),
    secret: z.record(z.string(), z.unknown()).optional(),
    everySeconds: z.number().int().min(60).max(7 * 86_400).optional(),
  }),
  handler: async ({ ctx, body }) => {
    const connector = await createBillConnector(db(), ctx.orgId, body);
    return Response.json(connector, { status: 201 });
  },
});
