// GET /api/v1/recommendations/scenarios/:id: one scenario (its full inputs, to open it in the what-if)
// compared with the current plan per GPU type and provider. DELETE: an admin, or its author.
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import type { ScenarioDetailResponse } from "@/lib/recommendations/scenario-types";
import { deleteScenario, getScenario, scenarioActor } from "@/lib/recommendations/scenarios";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ ctx, params }): Promise<ScenarioDetailResponse> => getScenario(db(), { orgId: ctx.orgId, orgSlug: ctx.orgSlug, id: String(params.id), actor: scenarioActor(ctx) }),
});

export const DELETE = orgRoute({
  permission: "org:read",
  handler: async ({ ctx, params }) => deleteScenario(db(), { orgId: ctx.orgId, id: String(params.id), actor: scenarioActor(ctx) }),
});
