import { describe, expect, it } from "vitest";
import { authFromSecret, openConnectorSecret, sealConnectorSecret } from "./connector-secrets";

const key = "0".repeat(64);

describe("connector secrets", () => {
  it("seal and open bearer tokens and basic auth, never in clear", () => {
    const sealed = sealConnectorSecret({ bearerToken: "tok-123" }, key)!;
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain("tok-123");
    expect(authFromSecret(openConnectorSecret(sealed, key))).toEqual({ kind: "bearer", token: "tok-123" });
    const basic = sealConnectorSecret({ basicAuth: { username: "u", password: "p" } }, key);
    expect(authFromSecret(openConnectorSecret(basic, key))).toEqual({ kind: "basic", username: "u", password: "p" });
  });

  it("store nothing when there is nothing secret, and refuse both kinds at once", () => {
    expect(sealConnectorSecret({}, key)).toBeNull();
    expect(authFromSecret(openConnectorSecret(null, key))).toEqual({ kind: "none" });
    expect(() => sealConnectorSecret({ bearerToken: "a", basicAuth: { username: "u", password: "p" } }, key)).toThrow(/not both/);
  });

  it("say so when the key changed", () => {
    const sealed = sealConnectorSecret({ bearerToken: "tok" }, key)!;
    expect(() => openConnectorSecret(sealed, "1".repeat(64))).toThrow(/cannot be decrypted \(was ENCRYPTION_KEY changed\?\)/);
  });
});
