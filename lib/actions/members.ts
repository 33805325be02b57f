// Member and invitation actions. Definitions only: app/[org]/settings/actions.ts exposes them to the browser.
import { z } from "zod";
import { db } from "../db/client";
import { ROLES } from "../domain/roles";
import { orgAction } from "../http/org-action";
import { changeMemberRole, leaveOrg, removeMember } from "../orgs/members";
import { createInvitation, revokeInvitation } from "../orgs/invitations";

const id = z.string().min(1).max(64);

export const inviteMember = orgAction({
  permission: "members:manage",
  input: z.object({ email: z.email().max(254), role: z.enum(ROLES) }),
  handler: ({ ctx, input, user }) => createInvitation(db(), { orgId: ctx.orgId, email: input.email, role: input.role, invitedById: user.id }),
  audit: ({ input, result }) => ({ action: "member.invite", targetType: "invitation", targetId: result.id, details: { email: input.email, role: input.role } }),
});

export const revokeMemberInvitation = orgAction({
  permission: "members:manage",
  input: z.object({ invitationId: id }),
  handler: ({ ctx, input }) => revokeInvitation(db(), { orgId: ctx.orgId, invitationId: input.invitationId }),
  audit: ({ input }) => ({ action: "invitation.revoke", targetType: "invitation", targetId: input.invitationId }),
});

export const changeRole = orgAction({
  permission: "members:manage",
  input: z.object({ membershipId: id, role: z.enum(ROLES) }),
  handler: ({ ctx, input }) => changeMemberRole(db(), { orgId: ctx.orgId, membershipId: input.membershipId, role: input.role }),
  audit: ({ input, result }) => ({ action: "member.role_change", targetType: "membership", targetId: input.membershipId, details: { email: result.email, role: input.role } }),
});

export const removeOrgMember = orgAction({
  permission: "members:manage",
  input: z.object({ membershipId: id }),
  handler: ({ ctx, input }) => removeMember(db(), { orgId: ctx.orgId, membershipId: input.membershipId }),
  audit: ({ input }) => ({ action: "member.remove", targetType: "membership", targetId: input.membershipId }),
});

/** Any member may leave (the last admin may not). */
export const leaveOrganization = orgAction({
  permission: "org:read",
  input: z.object({}).optional(),
  handler: ({ ctx, user }) => leaveOrg(db(), { orgId: ctx.orgId, userId: user.id }),
});
