// Organization settings actions. Definitions only: app/[org]/settings/actions.ts exposes them.
import { db } from "../db/client";
import { orgSettingsInputSchema } from "../domain/org-settings";
import { orgAction } from "../http/org-action";
import { saveOrgSettings } from "../orgs/settings";
import { producers } from "../queue/producers";

/** Admins only: name, reporting currency (fixed once bills exist), idle threshold, team tag key, run label keys. */
export const updateOrgSettings = orgAction({
  permission: "org:manage",
  input: orgSettingsInputSchema,
  handler: ({ ctx, input }) =>
    saveOrgSettings(db(), {
      orgId: ctx.orgId,
      input,
      enqueueRebuild: ({ orgId, from, to }) => producers().enqueueRollupRefreshRange({ orgId, from, to, cause: "stale-days" }),
    }),
  audit: ({ input }) => ({ action: "org.settings_update", targetType: "org", targetId: null, details: { name: input.name } }),
});
