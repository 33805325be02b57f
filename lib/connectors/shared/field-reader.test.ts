import { describe, expect, it } from "vitest";
import { FieldReader } from "./field-reader";
import { IngestError } from "./ingest-error";

// Values that name members of Object.prototype must be read as plain text, never as the inherited member.
const PROTOTYPE_NAMES = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "Constructor", "TOSTRING"];

describe("FieldReader enum columns", () => {
  it("canonicalizes mixed-case values", () => {
    const r = new FieldReader("bill.csv");
    expect(r.chargeFrequency("usage-based")).toBe("Usage-Based");
    expect(r.pricingCategory("On-Demand")).toBe("Standard");
    expect(r.commitmentStatus("UNUSED")).toBe("Unused");
    expect(r.commitmentCategory("spend")).toBe("Spend");
    expect(r.chargeClass("correction")).toBe("Correction");
    expect(r.chargeCategory("usage", "ChargeCategory")).toBe("Usage");
  });

  it("keeps values named like Object.prototype members as text", () => {
    const r = new FieldReader("bill.csv");
    for (const v of PROTOTYPE_NAMES) {
      expect(r.chargeFrequency(v)).toBe(v);
      expect(r.pricingCategory(v)).toBe(v);
      expect(r.commitmentStatus(v)).toBe(v);
      expect(r.commitmentCategory(v)).toBe(v);
      expect(r.chargeClass(v)).toBe(v);
    }
  });

  it("rejects a charge category named like an Object.prototype member, naming line and column", () => {
    const r = new FieldReader("bill.csv");
    r.line = 7;
    for (const v of PROTOTYPE_NAMES) {
      let err: unknown;
      try {
        r.chargeCategory(v, "ChargeCategory");
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(IngestError);
      expect((err as Error).message).toContain("line 7");
      expect((err as Error).message).toContain("ChargeCategory");
      expect((err as Error).message).toContain("is not a charge category");
    }
  });
});
