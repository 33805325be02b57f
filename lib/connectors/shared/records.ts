// A bill file as a header and batches of records, whatever its container: CSV (plain or gzip),
// newline-delimited JSON (GCP's BigQuery export; plain or gzip) or Parquet (CUR). Records come in
// batches (one per decoded chunk) so the per-record cost stays a plain loop, not an await.
import { CsvParser, CsvSyntaxError, type CsvRecord } from "./csv-parser";
import { type BillFileInput, readText, sniffContainer } from "./bill-source";
import type { Raw } from "./field-reader";
import { IngestError } from "./ingest-error";
import { readParquetRecords } from "./parquet-records";
import { ndjsonRecords } from "./ndjson-records";

export type SourceRecord = { fields: Raw[]; line: number };

export type RecordStream = {
  kind: "csv" | "ndjson" | "parquet";
  header: string[];
  /** Compressed size on disk. */
  size: number;
  batches: AsyncGenerator<SourceRecord[]>;
};

export type OpenRecordsOptions = {
  maxBytes: number;
  onBytes?: (n: number) => void;
  /** NDJSON has no header: the normalizer's known columns become one (the rest goes to `__extra`). */
  jsonColumns: string[];
};

function firstNonSpace(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== " " && c !== "\n" && c !== "\r" && c !== "\t" && c !== "\ufeff") return c;
  }
  return undefined;
}

export async function openRecords(file: BillFileInput, options: OpenRecordsOptions): Promise<RecordStream> {
  const { container, size } = await sniffContainer(file, options.maxBytes);
  if (container === "parquet") {
    const { header, batches } = await readParquetRecords(file, { onBytes: options.onBytes });
    return { kind: "parquet", header, size, batches };
  }

  const parser = new CsvParser();
  let line = 1;
  const text = readText({ file, container, maxBytes: options.maxBytes, onBytes: options.onBytes, where: () => line });
  // Peek at the first text to tell JSON lines from CSV.
  let first = await text.next();
  while (!first.done && firstNonSpace(first.value.text) === undefined && !first.value.final) first = await text.next();
  if (first.done || (first.value.final && firstNonSpace(first.value.text) === undefined)) {
    throw new IngestError({ code: "empty_file", file: file.name, reason: "the file is empty (only blank lines)" });
  }
  const head = first.value;
  async function* all() {
    yield head;
    yield* text;
  }

  if (firstNonSpace(head.text) === "{") {
    return { kind: "ndjson", header: [...options.jsonColumns, "__extra"], size, batches: ndjsonRecords(file, all(), options.jsonColumns, (l) => (line = l)) };
  }

  const chunks = all();
  const parse = (t: string, final: boolean): CsvRecord[] => {
    try {
      const out = parser.push(t, final);
      line = parser.currentLine;
      return out;
    } catch (err) {
      if (err instanceof CsvSyntaxError) {
        throw new IngestError({ code: "malformed_csv", file: file.name, line: err.line, column: headerName(err.column), reason: `malformed CSV: ${err.message}` });
      }
      throw err;
    }
  };
  let header: string[] | undefined;
  const headerName = (col: number) => (header && col >= 1 ? (header[col - 1] ?? `#${col}`) : col >= 1 ? `#${col}` : undefined);
  let pending: CsvRecord[] = [];
  while (!header) {
    const next = await chunks.next();
    if (next.done) break;
    const records = parse(next.value.text, next.value.final);
    if (records.length) {
      header = records[0]!.fields.map((h) => h.trim());
      pending = records.slice(1);
    }
  }
  if (!header) throw new IngestError({ code: "empty_file", file: file.name, reason: "the file is empty (no header line)" });

  async function* batches(): AsyncGenerator<SourceRecord[]> {
    if (pending.length) yield pending;
    pending = [];
    for await (const chunk of chunks) {
      const records = parse(chunk.text, chunk.final);
      if (records.length) yield records;
    }
  }
  return { kind: "csv", header, size, batches: batches() };
}
