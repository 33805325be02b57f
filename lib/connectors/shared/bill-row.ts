// The normalized bill line every source format produces: FOCUS columns as text, exactly as they go into
// bill_line_items (costs as decimal text, timestamps as ISO UTC text, tags and extra as JSON text).

export const BILL_FORMATS = [
  "focus-1.0",
  "focus-1.1",
  "focus-1.2",
  "aws-cur-2.0",
  "aws-cur-legacy",
  "gcp-billing",
  "azure-cost",
] as const;
export type BillFormat = (typeof BILL_FORMATS)[number];

export function isBillFormat(s: string): s is BillFormat {
  return (BILL_FORMATS as readonly string[]).includes(s);
}

export type BillRow = {
  sourceFormat: BillFormat;
  providerName: string | null;
  publisherName: string | null;
  invoiceIssuerName: string | null;
  invoiceId: string | null;
  billingAccountId: string | null;
  billingAccountName: string | null;
  billingCurrency: string | null;
  billingPeriodStart: string | null;
  billingPeriodEnd: string | null;
  chargePeriodStart: string | null;
  chargePeriodEnd: string | null;
  chargeCategory: string | null;
  chargeClass: string | null;
  chargeDescription: string | null;
  chargeFrequency: string | null;
  billedCost: string | null;
  effectiveCost: string | null;
  listCost: string | null;
  contractedCost: string | null;
  pricingCategory: string | null;
  pricingQuantity: string | null;
  pricingUnit: string | null;
  consumedQuantity: string | null;
  consumedUnit: string | null;
  commitmentDiscountId: string | null;
  commitmentDiscountType: string | null;
  commitmentDiscountCategory: string | null;
  commitmentDiscountStatus: string | null;
  serviceName: string | null;
  serviceCategory: string | null;
  resourceId: string | null;
  resourceName: string | null;
  resourceType: string | null;
  regionId: string | null;
  skuId: string | null;
  skuPriceId: string | null;
  subAccountId: string | null;
  subAccountName: string | null;
  instanceType: string | null;
  gpuModel: string | null;
  gpuCount: string | null;
  /** JSON object text. */
  tags: string;
  /** JSON object text: source columns with no FOCUS home (x_ columns and the like), kept verbatim. */
  extra: string;
};

/** A row with every column null, tags and extra empty: normalizers fill in what their source has. */
export function emptyRow(sourceFormat: BillFormat): BillRow {
  return {
    sourceFormat,
    providerName: null,
    publisherName: null,
    invoiceIssuerName: null,
    invoiceId: null,
    billingAccountId: null,
    billingAccountName: null,
    billingCurrency: null,
    billingPeriodStart: null,
    billingPeriodEnd: null,
    chargePeriodStart: null,
    chargePeriodEnd: null,
    chargeCategory: null,
    chargeClass: null,
    chargeDescription: null,
    chargeFrequency: null,
    billedCost: null,
    effectiveCost: null,
    listCost: null,
    contractedCost: null,
    pricingCategory: null,
    pricingQuantity: null,
    pricingUnit: null,
    consumedQuantity: null,
    consumedUnit: null,
    commitmentDiscountId: null,
    commitmentDiscountType: null,
    commitmentDiscountCategory: null,
    commitmentDiscountStatus: null,
    serviceName: null,
    serviceCategory: null,
    resourceId: null,
    resourceName: null,
    resourceType: null,
    regionId: null,
    skuId: null,
    skuPriceId: null,
    subAccountId: null,
    subAccountName: null,
    instanceType: null,
    gpuModel: null,
    gpuCount: null,
    tags: "{}",
    extra: "{}",
  };
}

/** BillRow fields in staging-table column order, with their column names and SQL types. */
export const ROW_COLUMNS: ReadonlyArray<{ field: Exclude<keyof BillRow, never>; column: string; type: string }> = [
  { field: "sourceFormat", column: "source_format", type: "text NOT NULL" },
  { field: "providerName", column: "provider_name", type: "text NOT NULL" },
  { field: "publisherName", column: "publisher_name", type: "text" },
  { field: "invoiceIssuerName", column: "invoice_issuer_name", type: "text" },
  { field: "invoiceId", column: "invoice_id", type: "text" },
  { field: "billingAccountId", column: "billing_account_id", type: "text NOT NULL" },
  { field: "billingAccountName", column: "billing_account_name", type: "text" },
  { field: "billingCurrency", column: "billing_currency", type: "varchar(3) NOT NULL" },
  { field: "billingPeriodStart", column: "billing_period_start", type: "timestamptz(3) NOT NULL" },
  { field: "billingPeriodEnd", column: "billing_period_end", type: "timestamptz(3) NOT NULL" },
  { field: "chargePeriodStart", column: "charge_period_start", type: "timestamptz(3) NOT NULL" },
  { field: "chargePeriodEnd", column: "charge_period_end", type: "timestamptz(3) NOT NULL" },
  { field: "chargeCategory", column: "charge_category", type: "text NOT NULL" },
  { field: "chargeClass", column: "charge_class", type: "text" },
  { field: "chargeDescription", column: "charge_description", type: "text" },
  { field: "chargeFrequency", column: "charge_frequency", type: "text" },
  { field: "billedCost", column: "billed_cost", type: "numeric NOT NULL" },
  { field: "effectiveCost", column: "effective_cost", type: "numeric NOT NULL" },
  { field: "listCost", column: "list_cost", type: "numeric" },
  { field: "contractedCost", column: "contracted_cost", type: "numeric" },
  { field: "pricingCategory", column: "pricing_category", type: "text" },
  { field: "pricingQuantity", column: "pricing_quantity", type: "numeric" },
  { field: "pricingUnit", column: "pricing_unit", type: "text" },
  { field: "consumedQuantity", column: "consumed_quantity", type: "numeric" },
  { field: "consumedUnit", column: "consumed_unit", type: "text" },
  { field: "commitmentDiscountId", column: "commitment_discount_id", type: "text" },
  { field: "commitmentDiscountType", column: "commitment_discount_type", type: "text" },
  { field: "commitmentDiscountCategory", column: "commitment_discount_category", type: "text" },
  { field: "commitmentDiscountStatus", column: "commitment_discount_status", type: "text" },
  { field: "serviceName", column: "service_name", type: "text" },
  { field: "serviceCategory", column: "service_category", type: "text" },
  { field: "resourceId", column: "resource_id", type: "text" },
  { field: "resourceName", column: "resource_name", type: "text" },
  { field: "resourceType", column: "resource_type", type: "text" },
  { field: "regionId", column: "region_id", type: "text" },
  { field: "skuId", column: "sku_id", type: "text" },
  { field: "skuPriceId", column: "sku_price_id", type: "text" },
  { field: "subAccountId", column: "sub_account_id", type: "text" },
  { field: "subAccountName", column: "sub_account_name", type: "text" },
  { field: "instanceType", column: "instance_type", type: "text" },
  { field: "gpuModel", column: "gpu_model", type: "text" },
  { field: "gpuCount", column: "gpu_count", type: "numeric(8, 4)" },
  { field: "tags", column: "tags", type: "jsonb NOT NULL" },
  { field: "extra", column: "extra", type: "jsonb NOT NULL" },
];

const NEEDS_QUOTES = /[",\n\r]/;

/** Free text: quoted when it holds a separator, a quote or a line break; NULL is an empty field. */
function field(v: string | null): string {
  if (v === null) return "";
  if (v === "") return '""';
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Values the normalizers produced themselves (ISO timestamps, validated decimals, currency codes,
 * canonical charge categories, the format name): never empty, never a separator, so no check. */
function safe(v: string | null): string {
  return v === null ? "" : v;
}

/** One CSV line for COPY: the row's columns in ROW_COLUMNS order. NULL is an empty unquoted field. */
export function rowToCsvLine(r: BillRow): string {
  return (
    r.sourceFormat + "," + field(r.providerName) + "," + field(r.publisherName) + "," + field(r.invoiceIssuerName) + "," +
    field(r.invoiceId) + "," + field(r.billingAccountId) + "," + field(r.billingAccountName) + "," + safe(r.billingCurrency) + "," +
    safe(r.billingPeriodStart) + "," + safe(r.billingPeriodEnd) + "," + safe(r.chargePeriodStart) + "," + safe(r.chargePeriodEnd) + "," +
    safe(r.chargeCategory) + "," + field(r.chargeClass) + "," + field(r.chargeDescription) + "," + field(r.chargeFrequency) + "," +
    safe(r.billedCost) + "," + safe(r.effectiveCost) + "," + safe(r.listCost) + "," + safe(r.contractedCost) + "," +
    field(r.pricingCategory) + "," + safe(r.pricingQuantity) + "," + field(r.pricingUnit) + "," + safe(r.consumedQuantity) + "," +
    field(r.consumedUnit) + "," + field(r.commitmentDiscountId) + "," + field(r.commitmentDiscountType) + "," +
    field(r.commitmentDiscountCategory) + "," + field(r.commitmentDiscountStatus) + "," + field(r.serviceName) + "," +
    field(r.serviceCategory) + "," + field(r.resourceId) + "," + field(r.resourceName) + "," + field(r.resourceType) + "," +
    field(r.regionId) + "," + field(r.skuId) + "," + field(r.skuPriceId) + "," + field(r.subAccountId) + "," +
    field(r.subAccountName) + "," + field(r.instanceType) + "," + field(r.gpuModel) + "," + safe(r.gpuCount) + "," +
    field(r.tags) + "," + field(r.extra) + "\n"
  );
}
