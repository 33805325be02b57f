// Actions anyone may call without a session: sign-up (when allowed) and accepting an invitation by
// creating the invited account. Both only create; neither reads or changes an existing org.
import { z } from "zod";
import { db } from "../db/client";
import { env } from "../env";
import { forbidden } from "../http/errors";
import { publicAction } from "../http/org-action";
import { orgSlugSchema } from "../orgs/create-org";
import { acceptInvitationWithNewAccount } from "../orgs/invitations";
import { signUp } from "../orgs/signup";

export const passwordSchema = z.string().min(8, "at least 8 characters").max(200);

export const signUpInput = z.object({
  name: z.string().trim().min(1).max(120),
  email: z.email().max(254),
  password: passwordSchema,
  orgName: z.string().trim().min(1).max(80),
  orgSlug: orgSlugSchema,
});

export function signUpAction(rawInput: unknown) {
  return publicAction(signUpInput, rawInput, async (input) => {
    if (!env().ALLOW_SIGNUP) throw forbidden("Sign-up is disabled on this server: ask an admin for an invitation");
    return signUp(db(), input);
  });
}

export const acceptWithNewAccountInput = z.object({
  token: z.string().min(16).max(128),
  name: z.string().trim().min(1).max(120),
  password: passwordSchema,
});

export function acceptInviteWithNewAccount(rawInput: unknown) {
  return publicAction(acceptWithNewAccountInput, rawInput, (input) => acceptInvitationWithNewAccount(db(), input));
}
