"use server";

// Thin server actions for Slack channels, digest preferences and "evaluate now"; the wrapped
// definitions live in lib/actions/alerting.ts.
import { revalidatePath } from "next/cache";
import { orgActions } from "@/lib/actions";
import type { ActionResult } from "@/lib/domain/action-result";

async function run<R>(orgSlug: string, result: Promise<ActionResult<R>>): Promise<ActionResult<R>> {
  const res = await result;
  if (res.ok) {
    revalidatePath(`/${orgSlug}/settings`);
    revalidatePath(`/${orgSlug}/alerts`);
  }
  return res;
}

export async function createSlackChannel(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.createSlackChannel(orgSlug, input));
}
export async function updateSlackChannel(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.updateSlackChannel(orgSlug, input));
}
export async function deleteSlackChannel(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.deleteSlackChannel(orgSlug, input));
}
export async function sendSlackTestMessage(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.sendSlackTestMessage(orgSlug, input));
}
export async function saveDigestPreferences(orgSlug: string, input: unknown) {
  return run(orgSlug, orgActions.saveDigestPreferences(orgSlug, input));
}
export async function evaluateAlertsNow(orgSlug: string, input: unknown) {
  return orgActions.evaluateAlertsNow(orgSlug, input);
}
