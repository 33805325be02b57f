// The one wrapper for org-scoped server actions. The client passes the org slug and raw input; the
// wrapper resolves the session, checks membership and permission, validates input, and returns
// either { ok: true, data } or { ok: false, error } (never throws across the action boundary).
import "server-only";
import type { z } from "zod";
import { db } from "../db/client";
import { currentUser } from "../auth/session";
import { orgForUser, requirePermission, type OrgContext } from "../auth/membership";
import type { Permission } from "../domain/roles";
import { toErrorResponse, unauthorized } from "./errors";
import type { ActionResult } from "../domain/action-result";
import { logger } from "../log";

export function orgAction<S extends z.ZodType, R>(opts: {
  permission: Permission;
  input: S;
  handler: (args: { ctx: OrgContext; input: z.infer<S> }) => Promise<R>;
}) {
  return async (orgSlug: string, rawInput: unknown): Promise<ActionResult<R>> => {
    let orgId: string | undefined;
    try {
      const user = await currentUser();
      if (!user) throw unauthorized();
      const ctx = await orgForUser(db(), { userId: user.id, email: user.email, orgSlug });
      orgId = ctx.orgId;
      requirePermission(ctx, opts.permission);
      const input = opts.input.parse(rawInput);
      return { ok: true, data: await opts.handler({ ctx, input }) };
    } catch (err) {
      const { status, body } = toErrorResponse(err);
      if (status >= 500) logger.error({ err, orgId }, "action failed");
      return { ok: false, error: { ...body.error, status } };
    }
  };
}
