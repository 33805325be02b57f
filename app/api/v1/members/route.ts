import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { listMembers } from "@/lib/orgs/members";
import { listPendingInvitations } from "@/lib/orgs/invitations";
import { can } from "@/lib/domain/roles";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ ctx }) => {
    const members = await listMembers(db(), ctx.orgId);
    // Pending invitations are only shown to those who manage members.
    const invitations = can(ctx.role, "members:manage") ? await listPendingInvitations(db(), { orgId: ctx.orgId }) : [];
    return {
      members,
      invitations,
      you: ctx.actor.kind === "user" ? { userId: ctx.actor.userId, role: ctx.role } : { userId: null, role: ctx.role },
    };
  },
});
