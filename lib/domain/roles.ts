// Roles and what each may do. Client-safe: no Prisma, no Node APIs.
export const ROLES = ["ADMIN", "FINANCE", "ML_LEAD", "VIEWER"] as const;
export type RoleName = (typeof ROLES)[number];

export const ROLE_LABELS: Record<RoleName, string> = {
  ADMIN: "Admin",
  FINANCE: "Finance lead",
  ML_LEAD: "ML lead",
  VIEWER: "Viewer",
};

/** Every permission a route or action can require, and the roles that hold it. */
export const PERMISSIONS = {
  "org:read": ["ADMIN", "FINANCE", "ML_LEAD", "VIEWER"],
  "org:manage": ["ADMIN"],
  "members:manage": ["ADMIN"],
  "apiKeys:manage": ["ADMIN"],
  "connectors:manage": ["ADMIN"],
  "bills:ingest": ["ADMIN", "FINANCE"],
  "budgets:manage": ["ADMIN", "FINANCE"],
  "slos:manage": ["ADMIN", "ML_LEAD"],
  "alerts:manage": ["ADMIN", "FINANCE", "ML_LEAD"],
  "recommendations:act": ["ADMIN", "FINANCE", "ML_LEAD"],
  "workloads:manage": ["ADMIN", "ML_LEAD"],
} as const satisfies Record<string, readonly RoleName[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: RoleName, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly RoleName[]).includes(role);
}

export function isRole(value: unknown): value is RoleName {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
