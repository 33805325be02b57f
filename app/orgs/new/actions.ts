"use server";

import { revalidatePath } from "next/cache";
import { createOrganization as createOrganizationAction } from "@/lib/actions/orgs";

export async function createOrganization(input: unknown) {
  const res = await createOrganizationAction(input);
  if (res.ok) revalidatePath("/", "layout");
  return res;
}
