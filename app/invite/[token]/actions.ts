"use server";

import { revalidatePath } from "next/cache";
import { acceptInvite as acceptInviteAction } from "@/lib/actions/orgs";
import { acceptInviteWithNewAccount as acceptWithNewAccountAction } from "@/lib/actions/public";

export async function acceptInvite(input: unknown) {
  const res = await acceptInviteAction(input);
  if (res.ok) revalidatePath("/", "layout");
  return res;
}

export async function acceptInviteWithNewAccount(input: unknown) {
  return acceptWithNewAccountAction(input);
}
