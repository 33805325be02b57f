// Browser-side JSON fetch for the org-scoped API: names the org in the x-burnrate-org header and turns
// the API's error body into an Error carrying status and message.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function apiGet<T>(path: string, orgSlug: string): Promise<T> {
  const res = await fetch(path, { headers: { "x-burnrate-org": orgSlug, accept: "application/json" }, cache: "no-store" });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, (body as { error?: { message?: string } } | null)?.error?.message ?? `Request failed (${res.status})`);
  return body as T;
}
