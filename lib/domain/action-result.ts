export type ActionError = { code: string; message: string; status: number; details?: unknown };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };
