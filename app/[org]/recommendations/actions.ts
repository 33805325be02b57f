"use server";

// Thin server actions for the recommendations page: the wrapped definitions live in
// lib/actions/recommendations.ts (tenancy, permission and validation happen there).
import { revalidatePath } from "next/cache";
import { orgActions } from "@/lib/actions";
import type { ActionResult } from "@/lib/domain/action-result";

async function run<R>(orgSlug: string, result: Promise<ActionResult<R>>): Promise<ActionResult<R>> {
  const res = await result;
  if (res.ok) revalidatePath(`/${orgSlug}/recommendations`);
  return res;
}

export async function acceptRecommendation(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.acceptRecommendation(orgSlug, input));
}
export async function dismissRecommendation(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.dismissRecommendation(orgSlug, input));
}
export async function saveRecommendationInputs(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.saveRecommendationInputs(orgSlug, input));
}
export async function saveScenario(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.saveScenario(orgSlug, input));
}
export async function deleteScenario(orgSlug: string, input: unknown) {
  const res = await orgActions.deleteScenario(orgSlug, input);
  if (res.ok) revalidatePath(`/${orgSlug}/recommendations/scenarios`);
  return res;
}
