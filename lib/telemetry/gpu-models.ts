// GPU model names and MIG slice sizes, from what dcgm-exporter reports (modelName, GPU_I_PROFILE).
//
// Models are normalized to the names the GPU catalog and the bills use ("NVIDIA H100 80GB HBM3" → H100,
// "NVIDIA A100-SXM4-40GB" → A100-40GB), so a fleet can be grouped by model whatever the source.
//
// A MIG slice is its share of the physical GPU's compute: a GPU instance profile "<n>g.<mem>gb" takes n
// of the GPU's compute slices, 7 on A100/H100/H200/B200-class GPUs and 4 on the A30
// (DOMAIN.md: 3g.40gb on an H100 = 3/7). Compute-instance profiles ("1c.3g.40gb") and media-extension
// suffixes ("1g.10gb+me") carry the same GPU-instance size.

const MODEL_PATTERNS: Array<[RegExp, string | ((m: RegExpMatchArray) => string)]> = [
  [/\bGH200\b/i, "GH200"],
  [/\bGB200\b/i, "GB200"],
  [/\bB200\b/i, "B200"],
  [/\bB100\b/i, "B100"],
  [/\bH200\b/i, "H200"],
  [/\bH100\b/i, "H100"],
  [/\bH800\b/i, "H800"],
  [/\bA100\b.*?\b(40|80)\s?GB\b/i, (m) => `A100-${m[1]}GB`],
  [/\bA100\b/i, "A100-40GB"],
  [/\bA800\b/i, "A800"],
  [/\bL40S\b/i, "L40S"],
  [/\bL40\b/i, "L40"],
  [/\bL4\b/i, "L4"],
  [/\bA10G\b/i, "A10G"],
  [/\bA10\b/i, "A10"],
  [/\bA30\b/i, "A30"],
  [/\bV100\b/i, "V100"],
  [/\bT4\b/i, "T4"],
];

export function normalizeGpuModel(modelName: string | null | undefined): string {
  const raw = (modelName ?? "").trim();
  if (!raw) return "unknown";
  for (const [pattern, name] of MODEL_PATTERNS) {
    const m = raw.match(pattern);
    if (m) return typeof name === "string" ? name : name(m);
  }
  return raw.replace(/^(NVIDIA|Tesla)\s+/i, "");
}

/** Compute slices per GPU for MIG-capable models; anything else MIG-capable is assumed to have 7. */
const MIG_SLICES: Array<[RegExp, number]> = [[/\bA30\b/i, 4]];
const DEFAULT_MIG_SLICES = 7;

export function migSlicesFor(model: string): number {
  for (const [pattern, slices] of MIG_SLICES) if (pattern.test(model)) return slices;
  return DEFAULT_MIG_SLICES;
}

/**
 * Share of the physical GPU a MIG GPU-instance profile takes (3g.40gb on an H100 → 3/7).
 * Returns null for a profile that does not name a GPU-instance size.
 */
export function migFraction(profile: string, model: string): number | null {
  const m = profile.trim().match(/(?:^|\.)(\d+)g\.\d+gb/i);
  if (!m) return null;
  const slices = migSlicesFor(model);
  const n = Number(m[1]);
  if (!Number.isInteger(n) || n < 1 || n > slices) return null;
  return n / slices;
}

/** Rounds like the gpu_hourly.gpu_hours column (numeric(10, 6)). */
export function roundGpuHours(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
