"use server";

// Thin server actions for the SLO page; the wrapped definitions live in lib/actions/alerting.ts.
import { revalidatePath } from "next/cache";
import { orgActions } from "@/lib/actions";

export async function createSlo(orgSlug: string, input: unknown) {
  const res = await orgActions.createSlo(orgSlug, input);
  if (res.ok) revalidatePath(`/${orgSlug}/slos`);
  return res;
}
export async function setSloEnabled(orgSlug: string, input: unknown) {
  const res = await orgActions.setSloEnabled(orgSlug, input);
  if (res.ok) revalidatePath(`/${orgSlug}/slos`);
  return res;
}
export async function deleteSlo(orgSlug: string, input: unknown) {
  const res = await orgActions.deleteSlo(orgSlug, input);
  if (res.ok) revalidatePath(`/${orgSlug}/slos`);
  return res;
}
