import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { endsOnCharBoundary, readText } from "./bill-source";

const CHUNK = 1 << 16; // readText's read size
let dir: string | undefined;

async function roundTrip(bytes: Buffer): Promise<string> {
  dir ??= await mkdtemp(path.join(os.tmpdir(), "burnrate-bill-source-"));
  const file = path.join(dir, `t-${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(file, bytes);
  let text = "";
  for await (const c of readText({ file: { path: file, name: "t.csv" }, container: "plain", maxBytes: 1 << 30 })) text += c.text;
  return text;
}

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("readText", () => {
  it("decodes characters split across read chunks, between ASCII chunks read as latin1", async () => {
    // Chunk 1 ASCII but for a 2-byte é across its end; chunk 2 ASCII but for a 4-byte emoji across its
    // end; chunk 3 starts with a U+FEFF (not at the file start: kept) and is otherwise ASCII; chunk 4 ASCII.
    const parts = [
      Buffer.from("a".repeat(CHUNK - 1)),
      Buffer.from("é"),
      Buffer.from("b".repeat(CHUNK - 1 - 2)),
      Buffer.from("😀"),
      Buffer.from("c".repeat(CHUNK - 2 - 3)),
      Buffer.from("\ufeffd"),
      Buffer.from("e".repeat(CHUNK)),
      Buffer.from("€f"),
    ];
    const bytes = Buffer.concat(parts);
    expect(await roundTrip(bytes)).toBe(bytes.toString("utf8"));
  });

  it("drops a BOM at the start of the file only, and keeps invalid bytes as U+FFFD as before", async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(await roundTrip(Buffer.concat([bom, Buffer.from("x,y\n1,2\n")]))).toBe("x,y\n1,2\n");
    // The decoder's first chunk is the second one: a U+FEFF there is text, not a BOM.
    const later = Buffer.concat([Buffer.from("a".repeat(CHUNK)), bom, Buffer.from("é")]);
    expect(await roundTrip(later)).toBe(`${"a".repeat(CHUNK)}\ufeffé`);
    const invalid = Buffer.concat([Buffer.from("a".repeat(CHUNK - 1)), Buffer.from([0xc3]), Buffer.from("zz")]);
    expect(await roundTrip(invalid)).toBe(new TextDecoder().decode(invalid));
  });

  it("endsOnCharBoundary", () => {
    expect(endsOnCharBoundary(Buffer.from("abc"))).toBe(true);
    expect(endsOnCharBoundary(Buffer.from("aé"))).toBe(true);
    expect(endsOnCharBoundary(Buffer.from("a€"))).toBe(true);
    expect(endsOnCharBoundary(Buffer.from("a😀"))).toBe(true);
    expect(endsOnCharBoundary(Buffer.from("a€").subarray(0, 3))).toBe(false);
    expect(endsOnCharBoundary(Buffer.from("a😀").subarray(0, 4))).toBe(false);
    expect(endsOnCharBoundary(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80]))).toBe(false);
  });
});
