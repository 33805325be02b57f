import { describe, expect, it } from "vitest";
import { csvField } from "./copy";

describe("csvField", () => {
  it("writes NULL as an empty unquoted field and empty strings quoted", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField("")).toBe('""');
  });
  it("quotes commas, quotes and newlines", () => {
    expect(csvField('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(csvField("plain")).toBe("plain");
  });
  it("serializes dates as ISO and objects as JSON", () => {
    expect(csvField(new Date("2026-01-02T03:00:00Z"))).toBe("2026-01-02T03:00:00.000Z");
    expect(csvField({ team: "vision" })).toBe('"{""team"":""vision""}"');
    expect(csvField([50, 80])).toBe('"{""50"",""80""}"');
  });
});
