"use server";

// Thin server actions for the budgets page; the wrapped definitions live in lib/actions/alerting.ts.
import { revalidatePath } from "next/cache";
import { orgActions } from "@/lib/actions";

export async function createBudget(orgSlug: string, input: unknown) {
  const res = await orgActions.createBudget(orgSlug, input);
  if (res.ok) revalidatePath(`/${orgSlug}/budgets`);
  return res;
}
export async function deleteBudget(orgSlug: string, input: unknown) {
  const res = await orgActions.deleteBudget(orgSlug, input);
  if (res.ok) revalidatePath(`/${orgSlug}/budgets`);
  return res;
}
export async function updateBudget(orgSlug: string, input: unknown) {
  const res = await orgActions.updateBudget(orgSlug, input);
  if (res.ok) revalidatePath(`/${orgSlug}/budgets`);
  return res;
}
