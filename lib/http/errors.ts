// One error type with a code, and one place that maps it to an HTTP status and JSON body.
import { ZodError } from "zod";

export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "unprocessable"
  | "rate_limited"
  | "internal";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
  get status() {
    return STATUS[this.code];
  }
}

export const notFound = (what = "Not found") => new AppError("not_found", what);
export const forbidden = (why = "You do not have permission to do this") => new AppError("forbidden", why);
export const unauthorized = (why = "Sign in or send a valid API key") => new AppError("unauthorized", why);
export const conflict = (why: string) => new AppError("conflict", why);

export type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown; requestId?: string } };

/** Maps any thrown value to a status and body; unknown errors become a generic 500. */
export function toErrorResponse(err: unknown, requestId?: string): { status: number; body: ErrorBody } {
  if (err instanceof AppError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message, details: err.details, requestId } } };
  }
  if (err instanceof ZodError) {
    return {
      status: 422,
      body: {
        error: {
          code: "unprocessable",
          message: "Invalid input",
          details: err.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
          requestId,
        },
      },
    };
  }
  return { status: 500, body: { error: { code: "internal", message: "Internal error", requestId } } };
}
