// Opens a bill file as a stream of text: checks the size limit and emptiness, sees through gzip (by
// its magic bytes, whatever the file is called), and turns zlib's errors into IngestErrors that name
// the file and how far it got. Parquet files are recognised here too but read elsewhere (they need
// random access, not a stream).
import { isAscii } from "node:buffer";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { IngestError } from "./ingest-error";

export type BillFileInput = {
  /** Path on local disk. */
  path: string;
  /** The name to show in messages (the uploaded file's name, the S3 key...). */
  name: string;
};

export type Container = "plain" | "gzip" | "parquet";

export const DEFAULT_MAX_BILL_BYTES = 5 * 2 ** 30;
/** Decompressed text may be this many times the limit (bill CSVs compress about 10-20×). */
const MAX_EXPANSION = 40;

export async function sniffContainer(file: BillFileInput, maxBytes: number): Promise<{ container: Container; size: number }> {
  let size: number;
  try {
    size = (await stat(file.path)).size;
  } catch (err) {
    throw new IngestError({ code: "unreadable", file: file.name, reason: `cannot read the file (${(err as Error).message})` });
  }
  if (size === 0) throw new IngestError({ code: "empty_file", file: file.name, reason: "the file is empty" });
  if (size > maxBytes) {
    throw new IngestError({ code: "too_large", file: file.name, reason: `the file is ${formatBytes(size)}, over the limit of ${formatBytes(maxBytes)}` });
  }
  const fh = await open(file.path, "r");
  try {
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    if (head[0] === 0x1f && head[1] === 0x8b) return { container: "gzip", size };
    if (head.toString("latin1") === "PAR1") return { container: "parquet", size };
    return { container: "plain", size };
  } finally {
    await fh.close();
  }
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/**
 * Reads a plain or gzip file as UTF-8 text. `onBytes` reports file bytes consumed (compressed bytes
 * for gzip), for progress. `where()` tells the caller's current line, for a truncated gzip error.
 */
export async function* readText({
  file,
  container,
  maxBytes,
  onBytes,
  where,
}: {
  file: BillFileInput;
  container: "plain" | "gzip";
  maxBytes: number;
  onBytes?: (n: number) => void;
  where?: () => number;
}): AsyncGenerator<{ text: string; final: boolean }> {
  // 64 KiB reads: each chunk's records (a few hundred) die young. With 1 MiB chunks a batch of thousands
  // of records outlived V8's young generation and its promotion doubled the per-row cost (measured).
  const raw = createReadStream(file.path, { highWaterMark: 1 << 16 });
  if (onBytes) raw.on("data", (b) => onBytes(b.length));
  const source = container === "gzip" ? raw.pipe(createGunzip({ chunkSize: 1 << 16 })) : raw;
  if (container === "gzip") raw.on("error", (err) => source.destroy(err));
  // ASCII chunks (most of a bill) are read as latin1, a plain copy, rather than through the UTF-8
  // decoder (3-4 % of the ingestion's CPU). The decoder takes every chunk that is not ASCII, and the one
  // after a chunk that may end inside a character (it holds that character's first bytes).
  let decoder: TextDecoder | undefined;
  let decoderHolds = false;
  let produced = 0;
  const maxText = maxBytes * MAX_EXPANSION;
  try {
    for await (const buf of source as AsyncIterable<Buffer>) {
      produced += buf.length;
      if (produced > maxText) {
        throw new IngestError({ code: "too_large", file: file.name, reason: `the file expands to more than ${formatBytes(maxText)} of text` });
      }
      let text: string;
      if (!decoderHolds && isAscii(buf)) {
        text = buf.toString("latin1");
      } else {
        // Created at first use: a BOM is dropped only at the very start of the file.
        decoder ??= new TextDecoder("utf-8", { ignoreBOM: produced > buf.length });
        text = decoder.decode(buf, { stream: true });
        decoderHolds = !endsOnCharBoundary(buf);
      }
      if (text) yield { text, final: false };
    }
  } catch (err) {
    if (err instanceof IngestError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (container === "gzip" && (e.code?.startsWith("Z_") || /unexpected end of file|incorrect header check|invalid/i.test(e.message))) {
      const truncated = e.code === "Z_BUF_ERROR" || /unexpected end of file/i.test(e.message);
      throw new IngestError({
        code: "corrupt_file",
        file: file.name,
        line: where?.(),
        reason: truncated
          ? "the gzip stream is truncated (unexpected end of file): the file was cut short in transfer; nothing was loaded"
          : `the gzip stream is corrupt (${e.message}); nothing was loaded`,
      });
    }
    throw new IngestError({ code: "unreadable", file: file.name, reason: `cannot read the file (${e.message})` });
  } finally {
    raw.destroy();
    if (source !== raw) source.destroy();
  }
  const tail = decoder ? decoder.decode() : "";
  if (produced === 0) throw new IngestError({ code: "empty_file", file: file.name, reason: "the file is empty (no data after decompression)" });
  yield { text: tail, final: true };
}

/** Whether `buf` ends after a complete UTF-8 sequence (false when unsure: the decoder then takes the next chunk). */
export function endsOnCharBoundary(buf: Buffer): boolean {
  const n = buf.length;
  if (n === 0 || buf[n - 1]! < 0x80) return true;
  for (let back = 1; back <= 4 && back <= n; back++) {
    const b = buf[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    const need = (b & 0xe0) === 0xc0 ? 2 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xf8) === 0xf0 ? 4 : 0;
    return need === back;
  }
  return false;
}
