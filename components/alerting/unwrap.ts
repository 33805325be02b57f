import type { ActionResult } from "@/lib/domain/action-result";

/** A server action's result as a promise that rejects with the action's message. */
export function unwrap<R>(p: Promise<ActionResult<R>>): Promise<R> {
  return p.then((r) => {
    if (!r.ok) throw new Error(r.error.message);
    return r.data;
  });
}

export type BrowserAction<R> = (orgSlug: string, input: unknown) => Promise<ActionResult<R>>;
