// Reading one source value at a time with its column name at hand, so every rejection says where:
// `bill.csv, line 17, column BilledCost: "12,5" is not a decimal number`. Also the FOCUS enum
// canonicalization every format shares (Usage-based → Usage-Based).
import { parseDecimal } from "./decimal";
import { IngestError, type IngestErrorCode } from "./ingest-error";
import { detach, parseTimestamp } from "./timestamps";

export type Raw = string | null | undefined;

/** Literal NULL (any case) and empty strings are null, as real exports write them. */
export function nullish(v: Raw): string | null {
  if (v === null || v === undefined || v === "") return null;
  if (v.length === 4 && (v === "NULL" || v === "null" || v === "Null")) return null;
  return v;
}

// Maps, not object literals: indexing a plain object with a value from the file finds inherited
// members too (`constructor` would come back as Object's constructor function).
const CHARGE_CATEGORIES = new Map(Object.entries({ usage: "Usage", purchase: "Purchase", tax: "Tax", credit: "Credit", adjustment: "Adjustment" }));
const CHARGE_FREQUENCIES = new Map(Object.entries({ "one-time": "One-Time", recurring: "Recurring", "usage-based": "Usage-Based" }));
const PRICING_CATEGORIES = new Map(
  Object.entries({
    standard: "Standard",
    "on-demand": "Standard",
    ondemand: "Standard",
    dynamic: "Dynamic",
    spot: "Dynamic",
    committed: "Committed",
    "commitment-based": "Committed",
    other: "Other",
  }),
);
const COMMITMENT_STATUSES = new Map(Object.entries({ used: "Used", unused: "Unused" }));
const COMMITMENT_CATEGORIES = new Map(Object.entries({ spend: "Spend", usage: "Usage" }));
const CHARGE_CLASSES = new Map(Object.entries({ correction: "Correction" }));

/** The canonical spelling of an enum value (any case), or the value itself when the map lacks it. */
export function canonical(map: ReadonlyMap<string, string>, v: string | null): string | null {
  if (v === null) return null;
  return map.get(v) ?? map.get(v.toLowerCase()) ?? v;
}

/** canonical() of one column, remembering its last value: a column mostly repeats the row before's. */
class Canonical {
  private lastIn: string | null = null;
  private lastOut: string | null = null;

  constructor(private readonly map: ReadonlyMap<string, string>) {}

  get(v: string | null): string | null {
    if (v === this.lastIn) return this.lastOut;
    const out = canonical(this.map, v);
    this.lastIn = v;
    this.lastOut = out;
    return out;
  }
}

export class FieldReader {
  /** The line of the record being read (set by the pipeline before each record). */
  line = 0;

  private readonly frequencies = new Canonical(CHARGE_FREQUENCIES);
  private readonly pricingCategories = new Canonical(PRICING_CATEGORIES);
  private readonly commitmentStatuses = new Canonical(COMMITMENT_STATUSES);
  private readonly commitmentCategories = new Canonical(COMMITMENT_CATEGORIES);
  private readonly chargeClasses = new Canonical(CHARGE_CLASSES);

  constructor(readonly file: string) {}

  fail(column: string | undefined, reason: string, code: IngestErrorCode = "invalid_value"): never {
    throw new IngestError({ code, file: this.file, line: this.line || undefined, column, reason });
  }

  text(v: Raw): string | null {
    return nullish(v);
  }

  required(v: Raw, column: string): string {
    const s = nullish(v);
    if (s === null) this.fail(column, `${column} is empty; every row needs it`);
    return s;
  }

  decimal(v: Raw, column: string): string | null {
    const s = nullish(v);
    if (s === null) return null;
    const d = parseDecimal(s);
    if (d === undefined) this.fail(column, `${JSON.stringify(truncate(s))} is not a decimal number`);
    return d;
  }

  requiredDecimal(v: Raw, column: string): string {
    const d = this.decimal(v, column);
    if (d === null) this.fail(column, `${column} is empty; every row needs a cost`);
    return d;
  }

  timestamp(v: Raw, column: string): string | null {
    const s = nullish(v);
    if (s === null) return null;
    const t = parseTimestamp(s);
    if (t === undefined) this.fail(column, `${JSON.stringify(truncate(s))} is not a date-time (expected ISO 8601 such as 2024-09-01T00:00:00Z)`, "invalid_date");
    return t;
  }

  requiredTimestamp(v: Raw, column: string): string {
    const t = this.timestamp(v, column);
    if (t === null) this.fail(column, `${column} is empty; every row needs it`, "invalid_date");
    return t;
  }

  currency(v: Raw, column: string): string {
    const s = this.required(v, column).trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(s)) this.fail(column, `${JSON.stringify(truncate(s))} is not an ISO 4217 currency code`);
    return s;
  }

  chargeCategory(v: Raw, column: string): string {
    const s = this.required(v, column);
    const c = CHARGE_CATEGORIES.get(s.toLowerCase());
    if (!c) this.fail(column, `${JSON.stringify(truncate(s))} is not a charge category (Usage, Purchase, Tax, Credit, Adjustment)`);
    return c;
  }

  chargeFrequency(v: Raw): string | null {
    return this.frequencies.get(nullish(v));
  }

  pricingCategory(v: Raw): string | null {
    return this.pricingCategories.get(nullish(v));
  }

  commitmentStatus(v: Raw): string | null {
    return this.commitmentStatuses.get(nullish(v));
  }

  commitmentCategory(v: Raw): string | null {
    return this.commitmentCategories.get(nullish(v));
  }

  chargeClass(v: Raw): string | null {
    return this.chargeClasses.get(nullish(v));
  }

  /** JSON objects already validated (tags repeat across lines); bounded, keys detached from the file text. */
  private readonly validJson = new Map<string, string>();
  private lastJson = "\u0000";
  private lastJsonOut = "{}";

  /** A JSON object as text (validated); Azure's brace-less `"k": "v","k2": "v2"` is wrapped. */
  jsonObject(v: Raw, column: string): string {
    const s = nullish(v);
    if (s === null) return "{}";
    if (s === this.lastJson) return this.lastJsonOut;
    let out = this.validJson.get(s);
    if (out === undefined) {
      out = this.parseJsonObject(s, column);
      if (this.validJson.size >= 20_000) this.validJson.clear();
      this.validJson.set(detach(s), out);
    }
    this.lastJson = s; // not detached: holds one chunk of text at most
    this.lastJsonOut = out;
    return out;
  }

  private parseJsonObject(s: string, column: string): string {
    const t = s.trim();
    if (t === "" || t === "{}") return "{}";
    for (const candidate of t.startsWith("{") ? [t] : [`{${t}}`]) {
      try {
        const parsed: unknown = JSON.parse(candidate);
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return candidate;
      } catch {
        // fall through to the error
      }
    }
    this.fail(column, `${JSON.stringify(truncate(t))} is not a JSON object`);
  }

  /** Charge and billing periods must not run backwards. */
  checkPeriods(r: { billingPeriodStart: string | null; billingPeriodEnd: string | null; chargePeriodStart: string | null; chargePeriodEnd: string | null }, columns: { billingEnd: string; chargeEnd: string }) {
    if (r.billingPeriodStart && r.billingPeriodEnd && r.billingPeriodEnd <= r.billingPeriodStart) {
      this.fail(columns.billingEnd, `the billing period ends (${r.billingPeriodEnd}) before it starts (${r.billingPeriodStart})`, "invalid_date");
    }
    if (r.chargePeriodStart && r.chargePeriodEnd && r.chargePeriodEnd < r.chargePeriodStart) {
      this.fail(columns.chargeEnd, `the charge period ends (${r.chargePeriodEnd}) before it starts (${r.chargePeriodStart})`, "invalid_date");
    }
  }
}

function truncate(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
