// Recognition against the built-in catalog (what every new org starts with): the instance families the
// issue names, in the forms each provider's bills write them.
import { describe, expect, it } from "vitest";
import { GPU_CATALOG_DEFAULTS } from "@/lib/domain/gpu-catalog-defaults";
import { emptyRow } from "./bill-row";
import { GpuRecognizer } from "./gpu-recognizer";

const gpu = new GpuRecognizer(GPU_CATALOG_DEFAULTS.map((e) => ({ ...e, gpuCount: String(e.gpuCount) })));

function recognize(input: Parameters<GpuRecognizer["recognize"]>[1], patch: Partial<ReturnType<typeof emptyRow>> = {}) {
  const row = { ...emptyRow("focus-1.0"), chargePeriodStart: "2024-09-01T00:00:00.000Z", chargePeriodEnd: "2024-09-01T01:00:00.000Z", ...patch };
  const hit = gpu.recognize(row, input);
  return { hit, instanceType: row.instanceType, gpuModel: row.gpuModel, gpuCount: row.gpuCount };
}

describe("GPU recognition", () => {
  it.each([
    ["BoxUsage:p4d.24xlarge", "p4d.24xlarge", "A100-40GB", "8"],
    ["USE1-BoxUsage:p4de.24xlarge", "p4de.24xlarge", "A100-80GB", "8"],
    ["SpotUsage:p5.48xlarge", "p5.48xlarge", "H100", "8"],
    ["APN1-BoxUsage:p5e.48xlarge", "p5e.48xlarge", "H200", "8"],
    ["BoxUsage:p5en.48xlarge", "p5en.48xlarge", "H200", "8"],
    ["BoxUsage:g5.12xlarge", "g5.12xlarge", "A10G", "4"],
    ["BoxUsage:g6.xlarge", "g6.xlarge", "L4", "1"],
    ["DedicatedUsage:g6e.48xlarge", "g6e.48xlarge", "L40S", "8"],
  ])("AWS usage type %s", (usageType, instanceType, gpuModel, gpuCount) => {
    expect(recognize({ candidates: [usageType] })).toEqual({ hit: true, instanceType, gpuModel, gpuCount });
  });

  it.each([
    ["a2-highgpu-8g", "A100-40GB", "8"],
    ["a2-ultragpu-4g", "A100-80GB", "4"],
    ["a3-highgpu-8g", "H100", "8"],
    ["g2-standard-24", "L4", "2"],
  ])("GCP machine type %s", (machine, gpuModel, gpuCount) => {
    expect(recognize({ explicit: machine })).toEqual({ hit: true, instanceType: machine, gpuModel, gpuCount });
  });

  it.each([
    ["Standard_ND96asr_v4", "Standard_ND96asr_v4", "A100-40GB", "8"],
    ["ND96isr H100 v5", "Standard_ND96isr_H100_v5", "H100", "8"],
    ["NC24ads A100 v4 Spot", "Standard_NC24ads_A100_v4", "A100-80GB", "1"],
    ["standard_nd96amsr_a100_v4", "Standard_ND96amsr_A100_v4", "A100-80GB", "8"],
  ])("Azure VM size or meter %s", (meter, instanceType, gpuModel, gpuCount) => {
    expect(recognize({ candidates: [meter] })).toEqual({ hit: true, instanceType, gpuModel, gpuCount });
  });

  it("finds an instance type as a word of a description", () => {
    expect(recognize({ texts: ["$98.32 per On Demand Linux p5.48xlarge Instance Hour"] })).toMatchObject({ instanceType: "p5.48xlarge", gpuCount: "8" });
  });

  it("reads GPU SKUs: the model from the description, the count from GPU-hours or GPU-seconds", () => {
    expect(recognize({ texts: ["Nvidia H100 80GB GPU running in Americas"] }, { pricingQuantity: "8", pricingUnit: "hour" })).toEqual({
      hit: true,
      instanceType: null,
      gpuModel: "H100",
      gpuCount: "8",
    });
    expect(recognize({ texts: ["Nvidia Tesla A100 GPU running in Americas"] }, { consumedQuantity: "57600", consumedUnit: "seconds" })).toMatchObject({ gpuModel: "A100-40GB", gpuCount: "16" });
    expect(recognize({ texts: ["Nvidia A100 80GB GPU attached to Spot Preemptible VMs running in EMEA"] })).toMatchObject({ gpuModel: "A100-80GB", gpuCount: null });
    expect(recognize({ texts: ["Nvidia L4 GPU running in Americas"] })).toMatchObject({ gpuModel: "L4" });
  });

  it("leaves non-GPU lines alone but keeps an explicit instance type", () => {
    expect(recognize({ explicit: "m6i.4xlarge", candidates: ["BoxUsage:m6i.4xlarge"], texts: ["On-demand usage of m6i.4xlarge"] })).toEqual({
      hit: false,
      instanceType: "m6i.4xlarge",
      gpuModel: null,
      gpuCount: null,
    });
    expect(recognize({ texts: ["A3 Instance Core running in Americas", "S3 Standard storage"] })).toMatchObject({ hit: false, gpuModel: null });
  });
});
