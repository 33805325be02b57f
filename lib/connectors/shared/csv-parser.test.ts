import { describe, expect, it } from "vitest";
import { CsvParser, CsvSyntaxError } from "./csv-parser";

function parseAll(text: string, chunkSize = text.length || 1) {
  const p = new CsvParser();
  const out: Array<{ fields: string[]; line: number }> = [];
  for (let i = 0; i < text.length; i += chunkSize) out.push(...p.push(text.slice(i, i + chunkSize), false));
  out.push(...p.push("", true));
  return out;
}

const TRICKY = '\ufeffa,b,c\r\n1,"x, y","say ""hi"""\r\n2,"multi\nline\r\nfield",\n\n3,,"last"';

describe("CsvParser", () => {
  it("parses quotes, doubled quotes, commas, line breaks, BOM, CRLF and a missing final newline", () => {
    expect(parseAll(TRICKY)).toEqual([
      { fields: ["a", "b", "c"], line: 1 },
      { fields: ["1", "x, y", 'say "hi"'], line: 2 },
      { fields: ["2", "multi\nline\r\nfield", ""], line: 3 },
      { fields: ["3", "", "last"], line: 7 },
    ]);
  });

  it("gives the same records whatever the chunk boundaries", () => {
    const whole = parseAll(TRICKY);
    for (let size = 1; size <= TRICKY.length; size++) expect(parseAll(TRICKY, size)).toEqual(whole);
  });

  it("ends a record at the end of input, including a trailing separator", () => {
    expect(parseAll("a,b\n1,")).toEqual([
      { fields: ["a", "b"], line: 1 },
      { fields: ["1", ""], line: 2 },
    ]);
  });

  it("keeps a quote inside an unquoted field as text", () => {
    expect(parseAll('a\n5" disk\n')).toEqual([
      { fields: ["a"], line: 1 },
      { fields: ['5" disk'], line: 2 },
    ]);
  });

  it("reports an unclosed quote and text after a closing quote with line and column", () => {
    expect(() => parseAll('a,b\n1,"open\n')).toThrow(CsvSyntaxError);
    try {
      parseAll('a,b\nx,y\n1,"a"b\n');
    } catch (e) {
      expect(e).toMatchObject({ line: 3, column: 2 });
    }
  });
});
