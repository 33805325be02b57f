// The fast matrix reader must give exactly what JSON.parse + parseMatrix give, and hand everything it
// does not fully understand back to that general path (null).
import { describe, expect, it } from "vitest";
import { parseMatrix } from "./client";
import { scanMatrixResponse } from "./matrix-scan";

const general = (text: string) => parseMatrix((JSON.parse(text) as { data: unknown }).data);
const scan = (text: string) => scanMatrixResponse(Buffer.from(text, "utf8"));

function envelope(result: unknown, extra: Record<string, unknown> = {}) {
  return JSON.stringify({ status: "success", data: { resultType: "matrix", result }, ...extra });
}

/** Deterministic pseudo-random numbers. */
function rng(seed: number) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x ^ (x >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
    return x / 4294967296;
  };
}

describe("scanMatrixResponse", () => {
  it("reads what parseMatrix reads: times, values, non-finite samples dropped, label escapes", () => {
    const text = envelope([
      { metric: { __name__: "vllm:request_success_total", model_name: 'a "quoted" \\ name\n', pod: "p-ü-1" }, values: [[1748736000, "97"], [1748736060.5, "NaN"], [1748736120, "+Inf"], [1748736180, "-Inf"], [1748736240.123, "1.5e+06"], [1748736300, "-0.25"], [1748736360, "0"]] },
      { metric: {}, values: [] },
      { metric: { gpu: "1" }, values: [[1748736000.001, "0.80123456789012345"], [1748736060, "123456789012345678"], [1748736120, "1e-7"], [1748736180, ".5"], [1748736240, "007"], [1748736300, "12."]] },
    ]);
    const fast = scan(text);
    expect(fast).not.toBeNull();
    expect(fast).toEqual(general(text));
    expect(fast![0]!.t).toEqual([1748736000000, 1748736240123, 1748736300000, 1748736360000]);
    expect(fast![0]!.v).toEqual([97, 1.5e6, -0.25, 0]);
  });

  it("equals parseMatrix bit for bit on many random decimals (Go's shortest formatting and fixed digits)", () => {
    const r = rng(7);
    const values: Array<[number, string]> = [];
    for (let i = 0; i < 20_000; i++) {
      const kind = i % 5;
      const x = kind === 0 ? r() : kind === 1 ? r() * 1e6 : kind === 2 ? Math.round(r() * 1e12) : kind === 3 ? -r() * 700 : r() * 1e-3;
      const text = kind === 4 ? x.toFixed(1 + (i % 17)) : String(x);
      values.push([1767225600 + i * 60 + (i % 3 === 0 ? 0.001 * (i % 1000) : 0), text]);
    }
    const text = envelope([{ metric: { __name__: "m" }, values }]);
    const fast = scan(text)!;
    const slow = general(text);
    expect(fast[0]!.t).toEqual(slow[0]!.t);
    for (let i = 0; i < slow[0]!.v.length; i++) expect(Object.is(fast[0]!.v[i], slow[0]!.v[i])).toBe(true);
  });

  it("reads pairs with spaces, long digits or exponents between ordinary ones", () => {
    const text = `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},"values":[[1748736000,"1"], [ 1748736060 , "2" ],[1748736120.1234567890123,"3"],[1.74873618e9,"4"],[1748736240,"1234567890123456789"],[1748736300,"5.5"]
      ,[1748736360,"-6"],[1748736420,"0.000001"]]}]}}`;
    expect(scan(text)).toEqual(general(text));
  });

  it("accepts whitespace, other key orders and extra keys (warnings, infos, stats)", () => {
    const text = `  {
      "warnings": ["a [tricky] {warning}, with \\"quotes\\""],
      "data" : { "stats": {"timings": {"evalTotalTime": 0.1}}, "result" : [ { "values" : [ [ 1748736000 , "1" ] , [1748736060,"2"] ] , "metric" : { "a" : "b" } } ], "resultType" : "matrix" },
      "status" : "success", "infos": null
    }  `;
    expect(scan(text)).toEqual(general(text));
  });

  it("hands back (null) what it does not fully understand", () => {
    const cases = [
      JSON.stringify({ status: "error", errorType: "bad_data", error: "parse error" }),
      JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } }),
      JSON.stringify({ status: "success", data: { resultType: "matrix", result: null } }),
      JSON.stringify({ status: "success", data: { resultType: "matrix" } }),
      envelope([{ metric: { a: "b" } }]),
      envelope([{ values: [[1, "1"]] }]),
      envelope([{ metric: { a: 1 }, values: [[1, "1"]] }]),
      envelope([{ metric: ["a"], values: [[1, "1"]] }]),
      envelope([{ metric: {}, values: [[1, 1]] }]),
      envelope([{ metric: {}, values: [["1", "1"]] }]),
      envelope([{ metric: {}, values: [[1, "1", 2]] }]),
      envelope([{ metric: {}, values: [1] }]),
      envelope([7]),
      `${envelope([])} trailing`,
      envelope([]).replace("matrix", "matrix\u0001"),
      envelope([{ metric: {}, values: [[1, "1"]] }]).slice(0, -3),
      `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[01,"1"]]}]}}`,
      `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1.,"1"]]}]}}`,
      `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"],[00,"1"]]}]}}`,
      `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"],[2,"1"] 7]}]}}`,
      `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"],[2,"1"}]}]}}`,
      `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"],[2,1]]}]}}`,
      `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"],]}]}}`,
      `{"status":"success","data":{"resultType":"matrix","result":[]},}`,
      `<html>502 Bad Gateway</html>`,
      ``,
    ];
    for (const c of cases) expect(scan(c), c).toBeNull();
  });

  it("reads an empty result", () => {
    expect(scan(envelope([]))).toEqual([]);
  });
});
