// Bulk loads through Postgres COPY ... FROM STDIN (CSV), the only way big fact tables are written.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

export type CopyValue = string | number | bigint | boolean | Date | null | undefined | Record<string, unknown> | unknown[];

const NEEDS_QUOTES = /[",\n\r]/;

/** One CSV field: NULL is an unquoted empty field; an empty string is a quoted one. */
export function csvField(v: CopyValue): string {
  if (v === null || v === undefined) return "";
  let s: string;
  if (v instanceof Date) s = v.toISOString();
  // Arrays are Postgres array literals (for text[]/int[] columns); pass JSON arrays pre-stringified.
  else if (Array.isArray(v)) s = `{${v.map((x) => `"${String(x).replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
  else if (typeof v === "object") s = JSON.stringify(v);
  else s = String(v);
  if (s === "") return '""';
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_.]*$/.test(name)) throw new Error(`Unsafe identifier for COPY: ${name}`);
  return name
    .split(".")
    .map((p) => `"${p}"`)
    .join(".");
}

/**
 * Streams rows into `table` (columns in order) through COPY FROM STDIN in CSV format.
 * Runs on the given client, so it can be part of the caller's transaction. Returns the rows copied.
 */
export async function copyRows(
  client: pg.PoolClient | pg.Client,
  { table, columns, rows }: { table: string; columns: string[]; rows: Iterable<CopyValue[]> | AsyncIterable<CopyValue[]> },
): Promise<number> {
  const sql = `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) FROM STDIN WITH (FORMAT csv)`;
  const sink = client.query(copyFrom(sql));
  let count = 0;
  async function* lines() {
    let batch: string[] = [];
    for await (const row of rows as AsyncIterable<CopyValue[]>) {
      if (row.length !== columns.length) throw new Error(`COPY into ${table}: row ${count + 1} has ${row.length} values for ${columns.length} columns`);
      batch.push(row.map(csvField).join(",") + "\n");
      count++;
      if (batch.length >= 1000) {
        yield batch.join("");
        batch = [];
      }
    }
    if (batch.length) yield batch.join("");
  }
  await pipeline(Readable.from(lines()), sink);
  return count;
}
