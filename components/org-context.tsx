"use client";

import { createContext, useContext } from "react";
import type { RoleName } from "@/lib/domain/roles";

export type CurrentOrg = { slug: string; name: string; currency: string; role: RoleName; userId: string };

const OrgContext = createContext<CurrentOrg | null>(null);

export function OrgProvider({ org, children }: { org: CurrentOrg; children: React.ReactNode }) {
  return <OrgContext.Provider value={org}>{children}</OrgContext.Provider>;
}

export function useCurrentOrg(): CurrentOrg {
  const org = useContext(OrgContext);
  if (!org) throw new Error("useCurrentOrg outside an org page");
  return org;
}
