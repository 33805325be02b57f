// A streaming RFC 4180 CSV parser tuned for bill exports: text arrives in chunks of any size, records
// come out with the physical line they start on (a quoted field spanning three lines moves the count
// by three), so an error can name the exact line of the file.
// Accepts: a UTF-8 BOM, LF or CRLF (or lone CR) line ends, quoted fields with commas, doubled quotes and
// line breaks, a missing final line end. Blank lines are skipped. A quote inside an unquoted field is
// kept as text (real exports do this); a quoted field followed by anything but a separator is an error.
// Hand-written rather than a dependency: it is the hot loop of ingestion, and it must report physical
// line numbers. Separators, quotes and line ends are found with indexOf (native, vectorized), and the
// position of the next line end is cached, so each character is looked at about once.

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export type CsvRecord = { fields: string[]; line: number };

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    reason: string,
  ) {
    super(reason);
    this.name = "CsvSyntaxError";
  }
}

function countLineBreaks(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === LF) n++;
    else if (c === CR && s.charCodeAt(i + 1) !== LF) n++;
  }
  return n;
}

export class CsvParser {
  private rest = "";
  private line = 1;
  private started = false;

  /**
   * Parses `chunk` (appended to what was left over) and returns the complete records in it. With
   * `final`, the end of input ends the last record; otherwise an incomplete record waits for more text.
   */
  push(chunk: string, final = false): CsvRecord[] {
    let s = this.rest.length ? this.rest + chunk : chunk;
    if (!this.started && s.length > 0) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    const out: CsvRecord[] = [];
    const n = s.length;
    let pos = 0;
    // Next LF / CR at or after some position (n when there is none), recomputed only when passed.
    let nextLf = -1;
    let nextCr = -1;
    const lineEndFrom = (at: number): number => {
      if (nextLf < at) {
        nextLf = s.indexOf("\n", at);
        if (nextLf === -1) nextLf = n;
      }
      if (nextCr < at) {
        nextCr = s.indexOf("\r", at);
        if (nextCr === -1) nextCr = n;
      }
      return nextLf < nextCr ? nextLf : nextCr;
    };

    records: while (pos < n) {
      const recordStart = pos;
      const recordLine = this.line;
      let breaks = 0;
      const fields: string[] = [];

      for (;;) {
        if (pos >= n) {
          // Input ends right after a separator: the record ends with an empty field.
          if (!final) {
            pos = recordStart;
            break records;
          }
          fields.push("");
          break;
        }
        let c = s.charCodeAt(pos);
        if (c === QUOTE) {
          let value = "";
          let segment = pos + 1;
          let i = segment;
          for (;;) {
            const q = s.indexOf('"', i);
            if (q === -1) {
              if (!final) {
                pos = recordStart;
                break records;
              }
              throw new CsvSyntaxError(recordLine + breaks, fields.length + 1, "a quoted field is never closed (missing \")");
            }
            if (q + 1 >= n && !final) {
              // Cannot tell a closing quote from the first half of a doubled one yet.
              pos = recordStart;
              break records;
            }
            if (s.charCodeAt(q + 1) === QUOTE) {
              value += s.slice(segment, q + 1);
              i = q + 2;
              segment = i;
              continue;
            }
            value += s.slice(segment, q);
            if (lineEndFrom(pos) < q) breaks += countLineBreaks(s, pos, q);
            pos = q + 1;
            break;
          }
          fields.push(value);
          c = pos < n ? s.charCodeAt(pos) : -1;
          if (c === COMMA) {
            pos++;
            continue;
          }
          if (c === LF) {
            pos++;
            break;
          }
          if (c === CR) {
            if (pos + 1 >= n && !final) {
              pos = recordStart;
              break records;
            }
            pos += s.charCodeAt(pos + 1) === LF ? 2 : 1;
            break;
          }
          if (c === -1) {
            if (!final) {
              pos = recordStart;
              break records;
            }
            break;
          }
          throw new CsvSyntaxError(recordLine + breaks, fields.length, `unexpected ${JSON.stringify(s[pos])} after a closing quote`);
        }

        // Unquoted: the field ends at the next comma, or at the line end if that comes first.
        const lineEnd = lineEndFrom(pos);
        let comma = s.indexOf(",", pos);
        if (comma === -1) comma = n;
        if (comma < lineEnd) {
          fields.push(s.slice(pos, comma));
          pos = comma + 1;
          continue;
        }
        if (lineEnd >= n) {
          if (!final) {
            pos = recordStart;
            break records;
          }
          fields.push(s.slice(pos, n));
          pos = n;
          break;
        }
        fields.push(s.slice(pos, lineEnd));
        if (s.charCodeAt(lineEnd) === CR) {
          if (lineEnd + 1 >= n && !final) {
            pos = recordStart;
            break records;
          }
          pos = s.charCodeAt(lineEnd + 1) === LF ? lineEnd + 2 : lineEnd + 1;
        } else {
          pos = lineEnd + 1;
        }
        break;
      }

      this.line = recordLine + breaks + 1;
      // A blank line is one empty unquoted field: skip it (the line still counts).
      if (fields.length === 1 && fields[0] === "" && s.charCodeAt(recordStart) !== QUOTE) continue;
      out.push({ fields, line: recordLine });
    }

    this.rest = pos < n ? s.slice(pos) : "";
    return out;
  }

  /** The line the next record would start on (where input stopped, for errors like a truncated file). */
  get currentLine(): number {
    return this.line;
  }
}
