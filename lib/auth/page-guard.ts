// Guards for server-rendered pages: signed-out visitors go to /signin?callbackUrl=..., and a signed-in
// user who is not a member of the org in the URL gets the 404 page (not 403, so slugs do not leak).
// Cached per request, so a layout and its page share one lookup.
import "server-only";
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { db } from "../db/client";
import { AppError } from "../http/errors";
import { orgForUser, userOrgs, type OrgContext } from "./membership";
import { currentUser, type SessionUser } from "./session";

export const requireUser = cache(async (callbackUrl: string): Promise<SessionUser> => {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  return user;
});

export const requireOrgMember = cache(async (orgSlug: string, callbackUrl: string): Promise<{ user: SessionUser; ctx: OrgContext }> => {
  const user = await requireUser(callbackUrl);
  try {
    const ctx = await orgForUser(db(), { userId: user.id, email: user.email, orgSlug });
    return { user, ctx };
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
});

export const orgsOf = cache((userId: string) => userOrgs(db(), userId));

/** Where "/" and a finished sign-in land: the user's first org, or creating one. */
export async function homePathFor(userId: string): Promise<string> {
  const orgs = await orgsOf(userId);
  return orgs[0] ? `/${orgs[0].slug}/overview` : "/orgs/new";
}

/** Only same-site paths may be used as a post-sign-in destination. */
export function safeCallbackUrl(value: string | string[] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || !v.startsWith("/") || v.startsWith("//") || v.startsWith("/\\")) return null;
  return v;
}
