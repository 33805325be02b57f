// GET /api/v1/recommendations/scenarios: the org's saved what-if scenarios, newest first, each with
// the inputs that differ from the current ones and its figures recomputed on the current demand next
// to the current plan's.
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import type { ScenarioListResponse } from "@/lib/recommendations/scenario-types";
import { listScenarios, scenarioActor } from "@/lib/recommendations/scenarios";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ ctx }): Promise<ScenarioListResponse> => listScenarios(db(), { orgId: ctx.orgId, orgSlug: ctx.orgSlug, actor: scenarioActor(ctx) }),
});
