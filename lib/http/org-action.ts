// The one wrapper for server actions. The client passes the org slug and raw input; the wrapper
// resolves the session, checks membership and permission, validates input, and returns either
// { ok: true, data } or { ok: false, error } (never throws across the action boundary).
//
// `userAction` is the same wrapper for the few actions that happen outside any org (creating an org,
// accepting an invitation): session and validation, but no membership to check.
//
// Test seam: every wrapped action has `.asUser(user)`, which runs the very same wrapper with the given
// user instead of reading the session cookie, so tenancy tests can call every action without a browser.
// Server actions exposed to the browser are the thin "use server" functions under app/, which call the
// wrapped action itself; `.asUser` is never reachable from a client.
import "server-only";
import type { z } from "zod";
import { db, inOneTransaction } from "../db/client";
import { writeAudit, type AuditRecord } from "../audit/audit";
import { currentUser, type SessionUser } from "../auth/session";
import { orgForUser, requirePermission, type OrgContext } from "../auth/membership";
import type { Permission } from "../domain/roles";
import { toErrorResponse, unauthorized } from "./errors";
import type { ActionResult } from "../domain/action-result";
import { logger } from "../log";

type UserSource = () => Promise<SessionUser | null>;

export type OrgActionFn<R> = (orgSlug: string, rawInput: unknown) => Promise<ActionResult<R>>;
export type OrgAction<S extends z.ZodType, R> = OrgActionFn<R> & {
  readonly kind: "org";
  readonly permission: Permission;
  readonly input: S;
  /** Runs the same wrapper as `user` (null = signed out) instead of the session. For tests and scripts. */
  asUser(user: SessionUser | null): OrgActionFn<R>;
};

export type UserActionFn<R> = (rawInput: unknown) => Promise<ActionResult<R>>;
export type UserAction<S extends z.ZodType, R> = UserActionFn<R> & {
  readonly kind: "user";
  readonly input: S;
  asUser(user: SessionUser | null): UserActionFn<R>;
};

function failure(err: unknown, orgId?: string): ActionResult<never> {
  const { status, body } = toErrorResponse(err);
  if (status >= 500) logger.error({ err, orgId }, "action failed");
  const { requestId: _requestId, ...error } = body.error;
  return { ok: false, error: { ...error, status } };
}

export function orgAction<S extends z.ZodType, R>(opts: {
  permission: Permission;
  input: S;
  handler: (args: { ctx: OrgContext; input: z.infer<S>; user: SessionUser }) => Promise<R>;
  /** An admin action: its audit entry, written in the same transaction as everything the handler writes through db(). */
  audit?: (args: { input: z.infer<S>; result: NoInfer<R> }) => AuditRecord;
}): OrgAction<S, R> {
  const run =
    (getUser: UserSource): OrgActionFn<R> =>
    async (orgSlug, rawInput) => {
      let orgId: string | undefined;
      try {
        const user = await getUser();
        if (!user) throw unauthorized();
        const ctx = await orgForUser(db(), { userId: user.id, email: user.email, orgSlug: String(orgSlug) });
        orgId = ctx.orgId;
        requirePermission(ctx, opts.permission);
        const input = opts.input.parse(rawInput);
        const audit = opts.audit;
        if (!audit) return { ok: true, data: await opts.handler({ ctx, input, user }) };
        const data = await inOneTransaction(
          db(),
          () => opts.handler({ ctx, input, user }),
          (tx, result) => writeAudit(tx, { orgId: ctx.orgId, actorUserId: user.id, ...audit({ input, result }) }),
        );
        return { ok: true, data };
      } catch (err) {
        return failure(err, orgId);
      }
    };
  return Object.assign(run(currentUser), {
    kind: "org" as const,
    permission: opts.permission,
    input: opts.input,
    asUser: (user: SessionUser | null) => run(async () => user),
  });
}

export function userAction<S extends z.ZodType, R>(opts: {
  input: S;
  handler: (args: { input: z.infer<S>; user: SessionUser }) => Promise<R>;
}): UserAction<S, R> {
  const run =
    (getUser: UserSource): UserActionFn<R> =>
    async (rawInput) => {
      try {
        const user = await getUser();
        if (!user) throw unauthorized();
        const input = opts.input.parse(rawInput);
        return { ok: true, data: await opts.handler({ input, user }) };
      } catch (err) {
        return failure(err);
      }
    };
  return Object.assign(run(currentUser), {
    kind: "user" as const,
    input: opts.input,
    asUser: (user: SessionUser | null) => run(async () => user),
  });
}

/** For the public actions (sign-up, accepting an invitation with a new account): validation and errors only. */
export async function publicAction<S extends z.ZodType, R>(
  input: S,
  rawInput: unknown,
  handler: (input: z.infer<S>) => Promise<R>,
): Promise<ActionResult<R>> {
  try {
    return { ok: true, data: await handler(input.parse(rawInput)) };
  } catch (err) {
    return failure(err);
  }
}
