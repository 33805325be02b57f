// Parquet (AWS delivers CUR 2.0 and legacy CUR as Parquet) as records, one row group at a time so
// memory stays bounded by the largest row group, not the file. Values become text the way the CSV
// flavour of the same export writes them: numbers in their shortest exact form (Parquet stores CUR
// costs as DOUBLE, so that is all the precision there is), timestamps as ISO, maps (CUR 2.0
// resource_tags, product) as JSON objects. The "line" of a record is its 1-based row number + 1, so
// messages read like the CSV ones (line 2 = first row).
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import type { BillFileInput } from "./bill-source";
import type { Raw } from "./field-reader";
import { IngestError } from "./ingest-error";
import type { SourceRecord } from "./records";

function toText(v: unknown): Raw {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : null;
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString("utf8");
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
}

export async function readParquetRecords(
  file: BillFileInput,
  { onBytes }: { onBytes?: (n: number) => void },
): Promise<{ header: string[]; batches: AsyncGenerator<SourceRecord[]> }> {
  let buffer: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    buffer = await asyncBufferFromFile(file.path);
    metadata = await parquetMetadataAsync(buffer);
  } catch (err) {
    throw new IngestError({ code: "corrupt_file", file: file.name, reason: `not a readable Parquet file (${(err as Error).message})` });
  }
  const header = parquetSchema(metadata).children.map((c) => c.element.name);
  const total = buffer.byteLength;
  const rowGroups = metadata.row_groups.map((g) => Number(g.num_rows));
  const allRows = rowGroups.reduce((a, b) => a + b, 0);

  async function* batches(): AsyncGenerator<SourceRecord[]> {
    let rowStart = 0;
    let reported = 0;
    for (const rows of rowGroups) {
      let objects: Record<string, unknown>[];
      try {
        objects = (await parquetReadObjects({ file: buffer, metadata, rowStart, rowEnd: rowStart + rows, compressors })) as Record<string, unknown>[];
      } catch (err) {
        throw new IngestError({ code: "corrupt_file", file: file.name, line: rowStart + 2, reason: `cannot read Parquet rows (${(err as Error).message})` });
      }
      const batch: SourceRecord[] = objects.map((o, k) => ({ fields: header.map((h) => toText(o[h])), line: rowStart + k + 2 }));
      rowStart += rows;
      if (onBytes && allRows > 0) {
        const upTo = Math.round((total * rowStart) / allRows);
        onBytes(upTo - reported);
        reported = upTo;
      }
      yield batch;
    }
  }
  return { header, batches: batches() };
}
