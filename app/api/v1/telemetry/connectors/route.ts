// GET /api/v1/telemetry/connectors: the org's telemetry connectors with status and lag (credentials
// are never returned: only whether some are stored).
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { listTelemetryConnectors } from "@/lib/telemetry/connectors";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ ctx }) => {
    const prisma = db();
    const [connectors, configs] = await Promise.all([
      listTelemetryConnectors(prisma, { orgId: ctx.orgId }),
      prisma.connector.findMany({ where: { orgId: ctx.orgId }, select: { id: true, config: true } }),
    ]);
    // The form shows the label filters back (never the CA or credentials).
    const filters = new Map(
      configs.map((c) => {
        const list = (c.config as { labelFilters?: Array<{ label: string; op: string; value: string }> } | null)?.labelFilters;
        return [c.id, Array.isArray(list) ? list.map((f) => `${f.label}${f.op}${f.value}`) : []];
      }),
    );
    return { connectors: connectors.map((c) => ({ ...c, labelFilters: filters.get(c.id) ?? [] })) };
  },
});
