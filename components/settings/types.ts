import type { ActionResult } from "@/lib/domain/action-result";
import type { RoleName } from "@/lib/domain/roles";

/** A settings server action as the browser sees it: (org slug, raw input) → result. */
export type SettingsAction<R> = (orgSlug: string, input: unknown) => Promise<ActionResult<R>>;

// JSON shapes of the API (dates arrive as ISO strings).
export type MemberJson = { id: string; userId: string; email: string; name: string | null; role: RoleName; joinedAt: string };
export type InvitationJson = { id: string; email: string; role: RoleName; expiresAt: string; createdAt: string; invitedByEmail: string | null };
export type MembersResponse = { members: MemberJson[]; invitations: InvitationJson[]; you: { userId: string | null; role: RoleName } };
export type ApiKeyJson = {
  id: string;
  name: string;
  prefix: string;
  role: RoleName;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  createdByEmail: string | null;
};
