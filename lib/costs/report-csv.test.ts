import { describe, expect, it } from "vitest";
import { csvCell, reportColumns, toCsv } from "./report-csv";

describe("report CSV", () => {
  it("writes a header and one line per row, empty for null, numbers and decimal strings as they are", () => {
    const csv = toCsv(["team", "gpuHours", "cost", "meanUtilization"], [
      { team: "llm", gpuHours: 1.428571, cost: "2.94856848", meanUtilization: null },
      { team: "vision", gpuHours: 0, cost: "-500", meanUtilization: 0.5 },
    ]);
    expect(csv).toBe("team,gpuHours,cost,meanUtilization\r\nllm,1.428571,2.94856848,\r\nvision,0,-500,0.5\r\n");
  });

  it("quotes commas, quotes and newlines (RFC 4180)", () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
  });

  it("defuses text a spreadsheet would run as a formula, but not negative numbers", () => {
    expect(csvCell("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvCell("@team")).toBe("'@team");
    expect(csvCell("-12.5")).toBe("-12.5");
    expect(csvCell(-3)).toBe("-3");
  });

  it("puts the group keys first", () => {
    expect(reportColumns("gpu-hours", ["cluster", "team"]).slice(0, 4)).toEqual(["cluster", "team", "currency", "gpuHours"]);
    expect(reportColumns("inference", [])).toContain("p95LatencyMs");
    expect(reportColumns("training-runs", [])[0]).toBe("runId");
  });
});
