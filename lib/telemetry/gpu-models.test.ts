import { describe, expect, it } from "vitest";
import { migFraction, normalizeGpuModel, roundGpuHours } from "./gpu-models";

describe("normalizeGpuModel", () => {
  it("maps dcgm-exporter model names to catalog names", () => {
    expect(normalizeGpuModel("NVIDIA H100 80GB HBM3")).toBe("H100");
    expect(normalizeGpuModel("NVIDIA A100-SXM4-40GB")).toBe("A100-40GB");
    expect(normalizeGpuModel("NVIDIA A100-SXM4-80GB")).toBe("A100-80GB");
    expect(normalizeGpuModel("NVIDIA A100 80GB PCIe")).toBe("A100-80GB");
    expect(normalizeGpuModel("NVIDIA H200")).toBe("H200");
    expect(normalizeGpuModel("NVIDIA A10G")).toBe("A10G");
    expect(normalizeGpuModel("NVIDIA L4")).toBe("L4");
    expect(normalizeGpuModel("NVIDIA L40S")).toBe("L40S");
    expect(normalizeGpuModel("Tesla T4")).toBe("T4");
    expect(normalizeGpuModel("NVIDIA TITAN V")).toBe("TITAN V");
    expect(normalizeGpuModel("")).toBe("unknown");
    expect(normalizeGpuModel(undefined)).toBe("unknown");
  });
});

describe("migFraction", () => {
  it("is the GPU-instance size over the GPU's compute slices", () => {
    expect(migFraction("3g.40gb", "H100")).toBeCloseTo(3 / 7, 12);
    expect(migFraction("1g.10gb", "A100-40GB")).toBeCloseTo(1 / 7, 12);
    expect(migFraction("7g.80gb", "H100")).toBe(1);
    expect(migFraction("1g.10gb+me", "H100")).toBeCloseTo(1 / 7, 12);
    expect(migFraction("1c.3g.40gb", "H100")).toBeCloseTo(3 / 7, 12);
    expect(migFraction("2g.12gb", "A30")).toBe(0.5);
    expect(migFraction("4g.24gb", "A30")).toBe(1);
  });

  it("refuses profiles that do not name a size", () => {
    expect(migFraction("", "H100")).toBeNull();
    expect(migFraction("full", "H100")).toBeNull();
    expect(migFraction("9g.90gb", "H100")).toBeNull();
  });

  it("rounds GPU-hours like the column", () => {
    expect(roundGpuHours(3 / 7)).toBe(0.428571);
    expect(roundGpuHours(1 - 6 / 7)).toBe(0.142857);
  });
});
