// Actions outside any one org: create an org, accept an invitation while signed in.
import { z } from "zod";
import { db } from "../db/client";
import { userAction } from "../http/org-action";
import { createOrg, orgSlugSchema } from "../orgs/create-org";
import { acceptInvitation } from "../orgs/invitations";

export const createOrganization = userAction({
  input: z.object({ name: z.string().trim().min(1).max(80), slug: orgSlugSchema }),
  handler: async ({ input, user }) => {
    const org = await createOrg(db(), { slug: input.slug, name: input.name, adminUserId: user.id });
    return { slug: org.slug };
  },
});

export const acceptInvite = userAction({
  input: z.object({ token: z.string().min(16).max(128) }),
  handler: ({ input, user }) => acceptInvitation(db(), { token: input.token, userId: user.id, email: user.email }),
});
