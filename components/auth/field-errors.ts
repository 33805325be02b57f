import type { ActionError } from "@/lib/domain/action-result";

/** Zod issues from an action's 422 as { field: message }. */
export function fieldErrors(error: ActionError | null): Record<string, string> {
  if (!error || !Array.isArray(error.details)) return {};
  const out: Record<string, string> = {};
  for (const d of error.details as { path?: string; message?: string }[]) {
    if (d.path && d.message && !out[d.path]) out[d.path] = d.message;
  }
  return out;
}
