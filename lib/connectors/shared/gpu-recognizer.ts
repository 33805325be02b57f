// GPU recognition: links a bill line to the org's GPU catalog (data, editable by admins; keys are
// instance types, machine types, VM sizes or SKU ids). Two kinds of lines carry GPUs:
//   - instance lines: the instance type appears in an explicit column (product_instance_type,
//     x_InstanceType, Azure's ServiceType), in a usage type (BoxUsage:p5.48xlarge,
//     USE1-SpotUsage:p4d.24xlarge), in an Azure meter name (ND96isr H100 v5 → Standard_ND96isr_H100_v5)
//     or as a word of the description / SKU id. gpu_count is the catalog's GPUs per instance.
//   - GPU SKU lines (GCP bills GPUs apart from the VM): a description that says GPU and names a catalog
//     GPU model ("Nvidia H100 80GB GPU running in Americas"). gpu_count is GPU-hours / hours of the line.
// Lines of the same instance and hour that the rules above miss (the GCP VM's core and RAM SKUs) are
// linked afterwards, in SQL over the whole file (see propagateGpuToResourceLines in the pipeline).
import { divDecimals } from "./decimal";
import type { BillRow } from "./bill-row";
import { nullish, type Raw } from "./field-reader";
import { detach } from "./timestamps";

export type GpuCatalogItem = { provider: string; key: string; gpuModel: string; gpuCount: string; gpuMemoryGib: number };

type ModelMatcher = { model: string; first: string; rest: string[]; memoryToken: string | null; memory: number };

const MEMORY_TOKEN = /^\d+gb$/;
const TOKEN_SPLIT = /[\s,;()[\]"'|/]+/;
const AZURE_SUFFIX = /\s+(spot|low priority)$/i;

export class GpuRecognizer {
  private readonly byKey = new Map<string, GpuCatalogItem>();
  private readonly models: ModelMatcher[] = [];
  // Bills repeat the same instance types and descriptions on thousands of lines: what the inputs of a
  // line resolve to is cached (bounded; keys detached from the file's text chunks).
  private readonly hits = new Map<string, GpuCatalogItem | null>();
  private readonly skuModels = new Map<string, string | null>();

  constructor(catalog: GpuCatalogItem[]) {
    for (const e of catalog) {
      const k = e.key.toLowerCase();
      if (!this.byKey.has(k)) this.byKey.set(k, e);
    }
    const seen = new Map<string, number>();
    for (const e of catalog) seen.set(e.gpuModel, Math.max(seen.get(e.gpuModel) ?? 0, e.gpuMemoryGib));
    for (const [model, memory] of seen) {
      const tokens = model.toLowerCase().split(/[\s-]+/).filter(Boolean);
      const [first, ...rest] = tokens;
      if (!first) continue;
      this.models.push({ model, first, rest, memoryToken: rest.find((t) => MEMORY_TOKEN.test(t)) ?? null, memory });
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The catalog entry for an instance type / usage type / meter name, if any. */
  lookup(candidate: string): GpuCatalogItem | undefined {
    const t = candidate.trim();
    if (!t) return undefined;
    const lower = t.toLowerCase();
    const direct = this.byKey.get(lower);
    if (direct) return direct;
    const colon = lower.lastIndexOf(":");
    if (colon >= 0) {
      const hit = this.byKey.get(lower.slice(colon + 1));
      if (hit) return hit;
    }
    if (lower.includes(" ")) {
      const size = "standard_" + lower.replace(AZURE_SUFFIX, "").trim().replace(/\s+/g, "_");
      return this.byKey.get(size);
    }
    return undefined;
  }

  /**
   * Sets instanceType, gpuModel and gpuCount on the row when it belongs to a catalog GPU instance or is a
   * GPU SKU. `explicit` is a column that names the instance type outright (kept even when it is no GPU
   * type, e.g. m6i.4xlarge); `candidates` may hold one (usage types, meter names); `texts` are scanned
   * word by word (descriptions, SKU ids). Returns whether the row is a GPU row.
   */
  recognize(row: BillRow, { explicit, candidates = [], texts = [] }: { explicit?: Raw; candidates?: Raw[]; texts?: Raw[] }): boolean {
    const ex = nullish(explicit);
    let key = ex ?? "";
    for (const c of candidates) key += "\u0001" + (c ?? "");
    for (const t of texts) key += "\u0002" + (t ?? "");
    let hit = this.hits.get(key);
    if (hit === undefined) {
      hit = (ex ? this.lookup(ex) : undefined) ?? null;
      for (let i = 0; !hit && i < candidates.length; i++) {
        const c = nullish(candidates[i]);
        if (c) hit = this.lookup(c) ?? null;
      }
      for (let i = 0; !hit && i < texts.length; i++) {
        const t = nullish(texts[i]);
        if (t) hit = this.scan(t) ?? null;
      }
      if (this.hits.size >= 50_000) this.hits.clear();
      this.hits.set(detach(key), hit);
    }
    if (hit) {
      row.instanceType = hit.key;
      row.gpuModel = hit.gpuModel;
      row.gpuCount = hit.gpuCount;
      return true;
    }
    if (ex) row.instanceType = cleanInstanceType(ex);
    for (const t of texts) {
      const text = nullish(t);
      if (!text || !/\bgpus?\b/i.test(text)) continue;
      let model = this.skuModels.get(text);
      if (model === undefined) {
        model = this.matchModel(text);
        if (this.skuModels.size >= 10_000) this.skuModels.clear();
        this.skuModels.set(detach(text), model);
      }
      if (model) {
        row.gpuModel = model;
        row.gpuCount = gpuCountFromQuantity(row);
        return true;
      }
    }
    return false;
  }

  private scan(text: string): GpuCatalogItem | undefined {
    const s = text.length > 400 ? text.slice(0, 400) : text;
    for (const raw of s.split(TOKEN_SPLIT)) {
      if (raw.length < 4) continue;
      const token = raw.replace(/[.:]+$/, "");
      const hit = this.lookup(token);
      if (hit) return hit;
    }
    return undefined;
  }

  /** The catalog GPU model a GPU SKU description names: all its tokens present, no other memory size. */
  private matchModel(text: string): string | null {
    const words = new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean));
    const memories = [...words].filter((w) => MEMORY_TOKEN.test(w));
    let best: { m: ModelMatcher; score: number } | null = null;
    for (const m of this.models) {
      if (!words.has(m.first)) continue;
      if (m.memoryToken && !words.has(m.memoryToken) && memories.length > 0) continue;
      const score = m.rest.filter((t) => words.has(t)).length;
      if (!best || score > best.score || (score === best.score && m.memory < best.m.memory)) best = { m, score };
    }
    return best?.m.model ?? null;
  }
}

/** "BoxUsage:m6i.4xlarge" → "m6i.4xlarge"; other values as given. */
function cleanInstanceType(s: string): string {
  const t = s.trim();
  const colon = t.lastIndexOf(":");
  return colon >= 0 ? t.slice(colon + 1) : t;
}

/** GPUs of a GPU SKU line: its GPU-hours (or GPU-seconds) over the hours the line covers. */
function gpuCountFromQuantity(row: BillRow): string | null {
  if (!row.chargePeriodStart || !row.chargePeriodEnd) return null;
  const seconds = (Date.parse(row.chargePeriodEnd) - Date.parse(row.chargePeriodStart)) / 1000;
  if (!(seconds > 0)) return null;
  for (const [q, unit] of [
    [row.pricingQuantity, row.pricingUnit],
    [row.consumedQuantity, row.consumedUnit],
  ] as const) {
    if (!q || !unit) continue;
    const u = unit.toLowerCase();
    let count: string;
    if (/sec/.test(u) || u === "s") count = divDecimals(q, String(seconds), 4);
    else if (/hour|hr/.test(u) || u === "h") count = divDecimals(q, String(seconds / 3600), 4);
    else continue;
    return count === "0" ? null : count;
  }
  return null;
}
