// What every source format provides: given the header, a function from one record to a BillRow.
import type { BillFormat, BillRow } from "./bill-row";
import type { FieldReader, Raw } from "./field-reader";
import type { GpuRecognizer } from "./gpu-recognizer";
import { IngestError } from "./ingest-error";

export type NormalizeContext = {
  reader: FieldReader;
  gpu: GpuRecognizer;
  format: BillFormat;
};

export type RowNormalizer = (fields: Raw[]) => BillRow;

export type Normalizer = {
  /** The source column that holds the billing currency (named in mixed-currency errors). */
  currencyColumn: string;
  /** Flattened JSON names read from newline-delimited JSON (formats exported that way). */
  jsonColumns?: string[];
  /** Resolves columns once (throwing missing_columns), and returns the per-record function. */
  prepare(header: string[], ctx: NormalizeContext): RowNormalizer;
};

/** Case- and space-insensitive lookup of header columns by name. */
export class Columns {
  private readonly index = new Map<string, number>();

  constructor(readonly header: string[]) {
    header.forEach((h, i) => {
      const k = h.trim().toLowerCase();
      if (!this.index.has(k)) this.index.set(k, i);
    });
  }

  /** Index of the first of `names` present, or -1. */
  find(...names: string[]): number {
    for (const n of names) {
      const i = this.index.get(n.toLowerCase());
      if (i !== undefined) return i;
    }
    return -1;
  }

  has(name: string): boolean {
    return this.index.has(name.toLowerCase());
  }

  /** Throws missing_columns naming every required column (or alternatives) that is absent. */
  require(file: string, format: string, required: Array<string | string[]>): void {
    const missing = required.filter((r) => (Array.isArray(r) ? r : [r]).every((n) => !this.has(n)));
    if (missing.length) {
      const names = missing.map((r) => (Array.isArray(r) ? r.join(" or ") : r));
      throw new IngestError({
        code: "missing_columns",
        file,
        line: 1,
        reason: `the header lacks required ${format} column${names.length > 1 ? "s" : ""}: ${names.join(", ")}`,
      });
    }
  }
}

/** Value at index i (undefined for -1 or a short record). */
export function at(fields: Raw[], i: number): Raw {
  return i < 0 ? undefined : fields[i];
}
