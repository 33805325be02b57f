// Built-in GPU catalog: instance type / machine type / VM size → GPUs it carries. Copied into each org
// at creation (the org's catalog is data, editable by admins); later edits never touch this list.
// List prices are public on-demand prices per instance-hour where DOMAIN.md gives them; null elsewhere.
export type GpuCatalogSeed = {
  provider: "aws" | "gcp" | "azure" | "onprem";
  key: string;
  gpuModel: string;
  gpuCount: number;
  gpuMemoryGib: number;
  listPriceHourly: number | null;
  notes?: string;
};

const sizes = (
  provider: GpuCatalogSeed["provider"],
  gpuModel: string,
  gpuMemoryGib: number,
  entries: Array<[key: string, gpuCount: number]>,
): GpuCatalogSeed[] => entries.map(([key, gpuCount]) => ({ provider, key, gpuModel, gpuCount, gpuMemoryGib, listPriceHourly: null }));

export const GPU_CATALOG_DEFAULTS: GpuCatalogSeed[] = [
  // AWS
  { provider: "aws", key: "p5.48xlarge", gpuModel: "H100", gpuCount: 8, gpuMemoryGib: 80, listPriceHourly: 55.04, notes: "public list price" },
  { provider: "aws", key: "p5.4xlarge", gpuModel: "H100", gpuCount: 1, gpuMemoryGib: 80, listPriceHourly: null },
  { provider: "aws", key: "p5e.48xlarge", gpuModel: "H200", gpuCount: 8, gpuMemoryGib: 141, listPriceHourly: null },
  { provider: "aws", key: "p5en.48xlarge", gpuModel: "H200", gpuCount: 8, gpuMemoryGib: 141, listPriceHourly: 63.3, notes: "public list price" },
  { provider: "aws", key: "p4d.24xlarge", gpuModel: "A100-40GB", gpuCount: 8, gpuMemoryGib: 40, listPriceHourly: 21.96, notes: "public list price" },
  { provider: "aws", key: "p4de.24xlarge", gpuModel: "A100-80GB", gpuCount: 8, gpuMemoryGib: 80, listPriceHourly: null },
  ...sizes("aws", "A10G", 24, [["g5.xlarge", 1], ["g5.2xlarge", 1], ["g5.4xlarge", 1], ["g5.8xlarge", 1], ["g5.16xlarge", 1], ["g5.12xlarge", 4], ["g5.24xlarge", 4], ["g5.48xlarge", 8]]),
  ...sizes("aws", "L4", 24, [["g6.xlarge", 1], ["g6.2xlarge", 1], ["g6.4xlarge", 1], ["g6.8xlarge", 1], ["g6.16xlarge", 1], ["g6.12xlarge", 4], ["g6.24xlarge", 4], ["g6.48xlarge", 8]]),
  ...sizes("aws", "L40S", 48, [["g6e.xlarge", 1], ["g6e.2xlarge", 1], ["g6e.4xlarge", 1], ["g6e.8xlarge", 1], ["g6e.16xlarge", 1], ["g6e.12xlarge", 4], ["g6e.24xlarge", 4], ["g6e.48xlarge", 8]]),
  // GCP
  ...sizes("gcp", "A100-40GB", 40, [["a2-highgpu-1g", 1], ["a2-highgpu-2g", 2], ["a2-highgpu-4g", 4], ["a2-highgpu-8g", 8], ["a2-megagpu-16g", 16]]),
  ...sizes("gcp", "A100-80GB", 80, [["a2-ultragpu-1g", 1], ["a2-ultragpu-2g", 2], ["a2-ultragpu-4g", 4], ["a2-ultragpu-8g", 8]]),
  ...sizes("gcp", "H100", 80, [["a3-highgpu-1g", 1], ["a3-highgpu-2g", 2], ["a3-highgpu-4g", 4], ["a3-highgpu-8g", 8], ["a3-megagpu-8g", 8], ["a3-edgegpu-8g", 8]]),
  ...sizes("gcp", "H200", 141, [["a3-ultragpu-8g", 8]]),
  ...sizes("gcp", "L4", 24, [["g2-standard-4", 1], ["g2-standard-8", 1], ["g2-standard-12", 1], ["g2-standard-16", 1], ["g2-standard-32", 1], ["g2-standard-24", 2], ["g2-standard-48", 4], ["g2-standard-96", 8]]),
  // Azure
  ...sizes("azure", "A100-40GB", 40, [["Standard_ND96asr_v4", 8]]),
  ...sizes("azure", "A100-80GB", 80, [["Standard_ND96amsr_A100_v4", 8], ["Standard_NC24ads_A100_v4", 1], ["Standard_NC48ads_A100_v4", 2], ["Standard_NC96ads_A100_v4", 4]]),
  ...sizes("azure", "H100", 80, [["Standard_ND96isr_H100_v5", 8]]),
  // On-prem reference server
  { provider: "onprem", key: "dgx-h100", gpuModel: "H100", gpuCount: 8, gpuMemoryGib: 80, listPriceHourly: null, notes: "8×H100 server; rate from cluster amortization inputs" },
];
