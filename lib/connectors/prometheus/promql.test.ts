import { describe, expect, it } from "vitest";
import { hourRange, multiMetricSelector, parseLabelFilter, quote, selector } from "./promql";

describe("promql", () => {
  it("parses label filters in the four operators", () => {
    expect(parseLabelFilter("cluster=prod")).toEqual({ label: "cluster", op: "=", value: "prod" });
    expect(parseLabelFilter("namespace!=kube-system")).toEqual({ label: "namespace", op: "!=", value: "kube-system" });
    expect(parseLabelFilter('node=~"gpu-.*"')).toEqual({ label: "node", op: "=~", value: "gpu-.*" });
    expect(parseLabelFilter("pod!~test-.*")).toEqual({ label: "pod", op: "!~", value: "test-.*" });
    expect(parseLabelFilter("env=")).toEqual({ label: "env", op: "=", value: "" });
    expect(() => parseLabelFilter("no-op")).toThrow(/must look like label=value/);
    expect(() => parseLabelFilter("1abc=x")).toThrow(/must look like/);
    expect(() => parseLabelFilter("a=~(")).toThrow(/not a valid regular expression/);
  });

  it("quotes values so no filter can break out of its string", () => {
    expect(quote('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(selector("DCGM_FI_DEV_GPU_UTIL", [{ label: "cluster", op: "=", value: 'x"}or vector(1)' }])).toBe(
      'DCGM_FI_DEV_GPU_UTIL{cluster="x\\"}or vector(1)"}',
    );
    expect(selector("up", [])).toBe("up");
    expect(() => selector("bad metric", [])).toThrow(/metric name/);
  });

  it("selects several metrics by name, escaping regex characters", () => {
    expect(multiMetricSelector(["vllm:request_success_total", "a.b"], [{ label: "cluster", op: "=", value: "p" }])).toBe(
      '{__name__=~"vllm:request_success_total|a\\\\.b",cluster="p"}',
    );
  });

  it("covers exactly one hour in Prometheus 2 and 3", () => {
    expect(hourRange(2)).toBe("3599999ms");
    expect(hourRange(null)).toBe("3599999ms");
    expect(hourRange(3)).toBe("1h");
  });
});
