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
import { AppError, forbidden, toErrorResponse, unauthorized } from "./errors";
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

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cookie-authenticated writes must come from our own pages. SameSite=Lax already keeps the session
 * cookie off cross-site POSTs; this also refuses same-site (sibling subdomain) and mismatched-Origin
 * requests. API-key requests carry no ambient credential and are not checked.
 */
export function assertSameOriginForCookieWrite(req: Request) {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return;
  const fetchSite = req.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") throw forbidden("Cross-site request refused");
  const origin = req.headers.get("origin");
  if (origin) {
    const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? new URL(req.url).host;
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw forbidden("Cross-site request refused");
    }
    if (originHost !== host) throw forbidden("Cross-site request refused");
  }
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
  assertSameOriginForCookieWrite(req);
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
