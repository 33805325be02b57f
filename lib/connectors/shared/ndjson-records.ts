// Newline-delimited JSON (BigQuery's JSON export of the GCP billing table) as records: nested objects
// are flattened to dotted names (service.description), arrays (credits, labels) are kept as exact JSON
// text, numbers keep their source text. `columns` become the fields in order; every other key goes into
// a trailing `__extra` field as a JSON object.
import type { SourceRecord } from "./records";
import { type ExactJson, ExactJsonError, JsonNumber, exactText, parseExactJson, stringifyExact } from "./exact-json";
import type { BillFileInput } from "./bill-source";
import { IngestError } from "./ingest-error";

function flatten(v: { [k: string]: ExactJson }, prefix: string, out: Map<string, ExactJson>) {
  for (const [k, x] of Object.entries(v)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (x !== null && typeof x === "object" && !Array.isArray(x) && !(x instanceof JsonNumber)) flatten(x, name, out);
    else out.set(name, x);
  }
}

export async function* ndjsonRecords(
  file: BillFileInput,
  chunks: AsyncIterable<{ text: string; final: boolean }>,
  columns: string[],
  setLine: (line: number) => void,
): AsyncGenerator<SourceRecord[]> {
  const known = new Set(columns);
  let rest = "";
  let line = 1;
  for await (const { text, final } of chunks) {
    const s = rest + text;
    const batch: SourceRecord[] = [];
    let start = 0;
    for (;;) {
      const nl = s.indexOf("\n", start);
      if (nl === -1 && !final) break;
      const end = nl === -1 ? s.length : nl;
      let raw = s.slice(start, end);
      if (raw.endsWith("\r")) raw = raw.slice(0, -1);
      if (line === 1 && raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
      if (raw.trim()) {
        let parsed: ExactJson;
        try {
          parsed = parseExactJson(raw);
        } catch (err) {
          const reason = err instanceof ExactJsonError ? err.message : String(err);
          throw new IngestError({ code: "malformed_csv", file: file.name, line, reason: `not a JSON object (${reason})` });
        }
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed) || parsed instanceof JsonNumber) {
          throw new IngestError({ code: "malformed_csv", file: file.name, line, reason: "each line must be one JSON object" });
        }
        const flat = new Map<string, ExactJson>();
        flatten(parsed, "", flat);
        const fields = columns.map((c) => exactText(flat.get(c)));
        const extra: { [k: string]: ExactJson } = {};
        let hasExtra = false;
        for (const [k, v] of flat) {
          if (!known.has(k) && v !== null) {
            extra[k] = v;
            hasExtra = true;
          }
        }
        fields.push(hasExtra ? stringifyExact(extra) : null);
        batch.push({ fields, line });
      }
      line++;
      setLine(line);
      if (nl === -1) {
        start = s.length;
        break;
      }
      start = nl + 1;
    }
    rest = s.slice(start);
    if (batch.length) yield batch;
  }
}
