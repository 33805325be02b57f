// The one wrapper for org-scoped route handlers: resolves the session or API key, checks membership
// and permission, validates input with zod, passes the org on, and maps every error to one JSON shape.
//
// Org selection: an API key carries its org. A session names the org by the `[org]` route param,
// the `x-burnrate-org` header, or the `org` query parameter (slug).
import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { db } from "../db/client";
import { resolveApiKey } from "../auth/api-keys";
import { currentUser } from "../auth/session";
import { orgForApiKey, orgForUser, requirePermission, type OrgContext } from "../auth/membership";
import type { Permission } from "../domain/roles";
import { AppError, toErrorResponse, unauthorized } from "./errors";
import { logger } from "../log";

type RouteParams = Record<string, string | string[] | undefined>;
type RouteCtx = { params: Promise<RouteParams> };

export type OrgHandlerArgs<Q, B> = {
  req: Request;
  ctx: OrgContext;
  params: RouteParams;
  query: Q;
  body: B;
  requestId: string;
};

type Options<QS extends z.ZodType | undefined, BS extends z.ZodType | undefined> = {
  permission: Permission;
  query?: QS;
  body?: BS;
  /** Return a Response for non-JSON answers (CSV, 202 with Location...). */
  handler: (args: OrgHandlerArgs<QS extends z.ZodType ? z.infer<QS> : undefined, BS extends z.ZodType ? z.infer<BS> : undefined>) => Promise<unknown>;
};

function bearer(req: Request): string | null {
  const h = req.headers.get("authorization");
  if (h?.toLowerCase().startsWith("bearer ")) return h.slice(7).trim();
  return req.headers.get("x-api-key");
}

export async function resolveOrgContext(req: Request, params: RouteParams): Promise<OrgContext> {
  const url = new URL(req.url);
  const slugParam = typeof params.org === "string" ? params.org : null;
  const orgSlug = slugParam ?? req.headers.get("x-burnrate-org") ?? url.searchParams.get("org");
  const key = bearer(req);
  if (key) {
    const principal = await resolveApiKey(db(), key);
    if (!principal) throw unauthorized("Invalid, revoked or expired API key");
    return orgForApiKey(db(), { ...principal, orgSlug });
  }
  const user = await currentUser();
  if (!user) throw unauthorized();
  if (!orgSlug) throw new AppError("bad_request", "Name the organization: route param, x-burnrate-org header or ?org=");
  return orgForUser(db(), { userId: user.id, email: user.email, orgSlug });
}

export function orgRoute<QS extends z.ZodType | undefined = undefined, BS extends z.ZodType | undefined = undefined>(
  opts: Options<QS, BS>,
) {
  return async (req: Request, routeCtx: RouteCtx): Promise<Response> => {
    const requestId = req.headers.get("x-request-id") ?? randomUUID();
    let orgId: string | undefined;
    try {
      const params = (await routeCtx?.params) ?? {};
      const ctx = await resolveOrgContext(req, params);
      orgId = ctx.orgId;
      requirePermission(ctx, opts.permission);
      const url = new URL(req.url);
      const query = opts.query ? opts.query.parse(Object.fromEntries(url.searchParams)) : undefined;
      let body: unknown = undefined;
      if (opts.body) {
        let raw: unknown;
        try {
          raw = await req.json();
        } catch {
          throw new AppError("bad_request", "Body must be JSON");
        }
        body = opts.body.parse(raw);
      }
      const out = await opts.handler({
        req,
        ctx,
        params,
        query: query as never,
        body: body as never,
        requestId,
      });
      if (out instanceof Response) {
        if (!out.headers.has("x-request-id")) out.headers.set("x-request-id", requestId);
        return out;
      }
      return Response.json(out ?? { ok: true }, { headers: { "x-request-id": requestId } });
    } catch (err) {
      const { status, body } = toErrorResponse(err, requestId);
      if (status >= 500) logger.error({ err, orgId, requestId, url: req.url }, "route failed");
      return Response.json(body, { status, headers: { "x-request-id": requestId } });
    }
  };
}
