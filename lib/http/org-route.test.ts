// Cookie-authenticated writes from another origin are refused before any session is read.
import { describe, expect, it } from "vitest";
import { assertSameOriginForCookieWrite } from "@/lib/http/org-route";
import { AppError } from "@/lib/http/errors";

const req = (method: string, headers: Record<string, string>) => new Request("http://app.example.test/api/v1/api-keys", { method, headers });

function refused(r: Request): boolean {
  try {
    assertSameOriginForCookieWrite(r);
    return false;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).status).toBe(403);
    return true;
  }
}

describe("same-origin check for cookie-authenticated writes", () => {
  it("refuses a POST from another origin or site", () => {
    expect(refused(req("POST", { host: "app.example.test", origin: "https://evil.test" }))).toBe(true);
    expect(refused(req("DELETE", { host: "app.example.test", "sec-fetch-site": "cross-site" }))).toBe(true);
    expect(refused(req("POST", { host: "app.example.test", "sec-fetch-site": "same-site", origin: "http://other.example.test" }))).toBe(true);
    expect(refused(req("POST", { host: "app.example.test", origin: "null" }))).toBe(true);
  });
  it("lets our own pages, reads and non-browser clients through", () => {
    expect(refused(req("POST", { host: "app.example.test", origin: "http://app.example.test", "sec-fetch-site": "same-origin" }))).toBe(false);
    expect(refused(req("GET", { host: "app.example.test", origin: "https://evil.test" }))).toBe(false);
    expect(refused(req("POST", { host: "app.example.test" }))).toBe(false);
  });
});
