// Which roles a member may hand out (API keys): their own role or one strictly below it.
// FINANCE and ML_LEAD are peers with different powers, so neither may grant the other.
// Client-safe: used by forms to offer only grantable roles; the server checks again.
import { ROLES, type RoleName } from "../domain/roles";

const RANK: Record<RoleName, number> = { ADMIN: 3, FINANCE: 2, ML_LEAD: 2, VIEWER: 1 };

export function roleAtMost(role: RoleName, ceiling: RoleName): boolean {
  return role === ceiling || RANK[role] < RANK[ceiling];
}

export function grantableRoles(ceiling: RoleName): RoleName[] {
  return ROLES.filter((r) => roleAtMost(r, ceiling));
}
