import type { ActionError } from "@/lib/domain/action-result";

/** A settings action's result as a promise that rejects with its message and the fields at fault. */
export function unwrap<R>(p: Promise<{ ok: true; data: R } | { ok: false; error: ActionError }>): Promise<R> {
  return p.then((r) => {
    if (!r.ok) {
      const details = Array.isArray(r.error.details) ? (r.error.details as { path?: string; message?: string }[]).map((d) => `${d.path ? `${d.path}: ` : ""}${d.message ?? ""}`).join("; ") : "";
      throw new Error(details ? `${r.error.message}: ${details}` : r.error.message);
    }
    return r.data;
  });
}
