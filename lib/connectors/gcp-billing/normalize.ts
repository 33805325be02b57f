// GCP Cloud Billing export (the BigQuery table, exported as newline-delimited JSON, or as CSV from a
// query that flattens it: `service.description` or `service_description`, with credits and labels as
// JSON arrays) → FOCUS. The rules (docs/ingestion.md):
//   BilledCost = EffectiveCost = cost + Σ credits[].amount (credits are negative; the invoice nets them,
//   and DOMAIN.md sums them into effective cost); ListCost = cost_at_list (else cost); ContractedCost = cost.
//   The raw cost and the credit total are kept in extra (x_Cost, x_Credits).
//   BillingPeriod = invoice.month (YYYYMM, as a UTC month); without it, the month of usage_start_time.
//   ChargeCategory by cost_type: regular → Usage, tax → Tax, adjustment / rounding_error → Adjustment.
//   PricingCategory: a COMMITTED_USAGE_DISCOUNT credit → Committed; Spot/Preemptible SKUs → Dynamic; else Standard.
//   Tags = labels ([{key, value}]); GPUs: the machine type in system_labels, else the GPU SKU description.
import { sumDecimals } from "../shared/decimal";
import { emptyRow } from "../shared/bill-row";
import { type ExactJson, JsonNumber, parseExactJson, exactText } from "../shared/exact-json";
import { nullish, type Raw } from "../shared/field-reader";
import { at, Columns, type Normalizer } from "../shared/normalizer";

/** The flattened names this normalizer reads (also the NDJSON column list). */
const NAMES = {
  account: "billing_account_id",
  serviceId: "service.id",
  service: "service.description",
  skuId: "sku.id",
  sku: "sku.description",
  start: "usage_start_time",
  end: "usage_end_time",
  projectId: "project.id",
  projectName: "project.name",
  projectNumber: "project.number",
  labels: "labels",
  systemLabels: "system_labels",
  region: "location.region",
  zone: "location.zone",
  location: "location.location",
  resourceName: "resource.name",
  resourceGlobal: "resource.global_name",
  cost: "cost",
  currency: "currency",
  conversionRate: "currency_conversion_rate",
  usageAmount: "usage.amount",
  usageUnit: "usage.unit",
  pricingAmount: "usage.amount_in_pricing_units",
  pricingUnit: "usage.pricing_unit",
  credits: "credits",
  invoiceMonth: "invoice.month",
  costType: "cost_type",
  costAtList: "cost_at_list",
  seller: "seller_name",
  transactionType: "transaction_type",
} as const;
type Name = keyof typeof NAMES;

const SERVICE_CATEGORIES: Array<[RegExp, string]> = [
  [/compute engine|kubernetes|cloud run|app engine|cloud functions|batch/i, "Compute"],
  [/storage|filestore|persistent disk/i, "Storage"],
  [/networking|cloud cdn|cloud dns|load balanc|interconnect|vpn/i, "Networking"],
  [/sql|spanner|bigtable|firestore|datastore|memorystore|alloydb/i, "Databases"],
  [/bigquery|dataflow|dataproc|pub\/sub|composer/i, "Analytics"],
  [/vertex|ai platform|gemini|vision|speech|translate|natural language/i, "AI and Machine Learning"],
  [/logging|monitoring|cloud trace/i, "Management and Governance"],
  [/security|kms|secret manager|armor/i, "Security"],
];

function serviceCategory(service: string | null): string {
  if (service) for (const [re, c] of SERVICE_CATEGORIES) if (re.test(service)) return c;
  return "Other";
}

function asArray(v: Raw): ExactJson[] {
  const s = nullish(v);
  if (!s) return [];
  try {
    const parsed = parseExactJson(s);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

function field(o: ExactJson, key: string): string | null {
  if (o === null || typeof o !== "object" || Array.isArray(o) || o instanceof JsonNumber) return null;
  return exactText(o[key]);
}

/** [{key, value}] (BigQuery) or {key: value} → {key: value}. */
function keyValues(v: Raw): Record<string, string> {
  const s = nullish(v);
  const out: Record<string, string> = {};
  if (!s) return out;
  let parsed: ExactJson;
  try {
    parsed = parseExactJson(s);
  } catch {
    return out;
  }
  if (Array.isArray(parsed)) {
    for (const kv of parsed) {
      const k = field(kv, "key");
      const val = field(kv, "value");
      if (k !== null && val !== null) out[k] = val;
    }
  } else if (parsed && typeof parsed === "object" && !(parsed instanceof JsonNumber)) {
    for (const [k, x] of Object.entries(parsed)) {
      const t = exactText(x);
      if (t !== null) out[k] = t;
    }
  }
  return out;
}

export const gcpBillingNormalizer: Normalizer = {
  currencyColumn: "currency",
  jsonColumns: Object.values(NAMES),
  prepare(header, { reader: r, gpu, format }) {
    const cols = new Columns(header);
    const both = (n: string) => [n, n.replace(/\./g, "_")];
    cols.require(r.file, "GCP billing export", [both(NAMES.account), both(NAMES.cost), both(NAMES.currency), both(NAMES.start), both(NAMES.end)]);
    const i = Object.fromEntries(Object.entries(NAMES).map(([k, n]) => [k, cols.find(...both(n))])) as Record<Name, number>;
    const extraIdx = cols.find("__extra");
    const columnCount = header.length;

    return (f) => {
      if (f.length !== columnCount) r.fail(undefined, `expected ${columnCount} fields as in the header, found ${f.length}`, "malformed_csv");
      const row = emptyRow(format);
      const col = (k: Name) => header[i[k]] ?? NAMES[k];
      row.providerName = "Google Cloud";
      row.publisherName = r.text(at(f, i.seller)) ?? "Google Cloud";
      row.invoiceIssuerName = "Google Cloud";
      row.billingAccountId = r.required(f[i.account], col("account"));
      row.billingCurrency = r.currency(f[i.currency], col("currency"));
      row.chargePeriodStart = r.requiredTimestamp(f[i.start], col("start"));
      row.chargePeriodEnd = r.requiredTimestamp(f[i.end], col("end"));
      const month = r.text(at(f, i.invoiceMonth));
      if (month !== null) {
        const m = /^(\d{4})(\d{2})$/.exec(month.trim());
        if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return r.fail(col("invoiceMonth"), `${JSON.stringify(month)} is not an invoice month (YYYYMM)`, "invalid_date");
        row.billingPeriodStart = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)).toISOString();
        row.billingPeriodEnd = new Date(Date.UTC(Number(m[1]), Number(m[2]), 1)).toISOString();
      } else {
        const d = new Date(row.chargePeriodStart);
        row.billingPeriodStart = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString();
        row.billingPeriodEnd = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString();
      }
      r.checkPeriods(row, { billingEnd: col("invoiceMonth"), chargeEnd: col("end") });

      const cost = r.requiredDecimal(f[i.cost], col("cost"));
      const credits = asArray(at(f, i.credits));
      const amounts: string[] = [];
      let committed: { id: string | null; spend: boolean } | null = null;
      for (const c of credits) {
        const amount = field(c, "amount");
        if (amount === null) continue;
        amounts.push(r.decimal(amount, `${col("credits")}[].amount`)!);
        const type = field(c, "type") ?? "";
        if (/COMMITTED_USAGE_DISCOUNT/.test(type)) committed = { id: field(c, "id") ?? field(c, "name"), spend: /DOLLAR_BASE/.test(type) };
      }
      const creditTotal = sumDecimals(amounts);
      const net = amounts.length ? sumDecimals([cost, creditTotal]) : cost;
      row.billedCost = net;
      row.effectiveCost = net;
      row.listCost = r.decimal(at(f, i.costAtList), col("costAtList")) ?? cost;
      row.contractedCost = cost;

      const costType = (r.text(at(f, i.costType)) ?? "regular").toLowerCase();
      row.chargeCategory = costType === "tax" ? "Tax" : costType === "adjustment" || costType === "rounding_error" ? "Adjustment" : "Usage";
      row.chargeFrequency = row.chargeCategory === "Usage" ? "Usage-Based" : "One-Time";
      const sku = r.text(at(f, i.sku));
      row.chargeDescription = sku;
      if (row.chargeCategory === "Usage") {
        row.pricingCategory = committed ? "Committed" : sku && /\b(spot|preemptible)\b/i.test(sku) ? "Dynamic" : "Standard";
      }
      if (committed) {
        row.commitmentDiscountId = committed.id;
        row.commitmentDiscountType = "Committed Use Discount";
        row.commitmentDiscountCategory = committed.spend ? "Spend" : "Usage";
        row.commitmentDiscountStatus = "Used";
      }
      row.pricingQuantity = r.decimal(at(f, i.pricingAmount), col("pricingAmount"));
      row.pricingUnit = r.text(at(f, i.pricingUnit));
      row.consumedQuantity = r.decimal(at(f, i.usageAmount), col("usageAmount"));
      row.consumedUnit = r.text(at(f, i.usageUnit));
      row.serviceName = r.text(at(f, i.service));
      row.serviceCategory = serviceCategory(row.serviceName);
      row.resourceId = r.text(at(f, i.resourceGlobal));
      row.resourceName = r.text(at(f, i.resourceName));
      row.regionId = r.text(at(f, i.region)) ?? r.text(at(f, i.location));
      row.skuId = r.text(at(f, i.skuId));
      row.subAccountId = r.text(at(f, i.projectId));
      row.subAccountName = r.text(at(f, i.projectName));
      row.tags = JSON.stringify(keyValues(at(f, i.labels)));

      const systemLabels = keyValues(at(f, i.systemLabels));
      const extra: Record<string, unknown> = {};
      const put = (k: string, v: string | null) => {
        if (v !== null) extra[k] = v;
      };
      put("x_Cost", cost);
      if (amounts.length) {
        put("x_Credits", creditTotal);
        extra.credits = JSON.parse(JSON.stringify(credits, (_k, x: unknown) => (x instanceof JsonNumber ? x.text : x)));
      }
      put("service.id", r.text(at(f, i.serviceId)));
      put("project.number", r.text(at(f, i.projectNumber)));
      put("location.zone", r.text(at(f, i.zone)));
      put("cost_type", r.text(at(f, i.costType)));
      put("invoice.month", month);
      put("currency_conversion_rate", r.text(at(f, i.conversionRate)));
      put("transaction_type", r.text(at(f, i.transactionType)));
      if (Object.keys(systemLabels).length) extra.system_labels = systemLabels;
      const rest = nullish(at(f, extraIdx));
      if (rest) Object.assign(extra, JSON.parse(rest) as object);
      row.extra = JSON.stringify(extra);

      const machine = systemLabels["compute.googleapis.com/machine_spec"] ?? null;
      gpu.recognize(row, { explicit: machine, candidates: [], texts: [sku] });
      return row;
    };
  },
};
