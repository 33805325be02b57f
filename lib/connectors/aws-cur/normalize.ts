// AWS Cost and Usage Reports → FOCUS. Reads CUR 2.0 (Data Exports: snake_case columns, `resource_tags`
// and `product` as maps) and legacy CUR, both as CSV (legacy CSV headers like `lineItem/UnblendedCost`
// are turned into their snake_case names first) and as Parquet. The rules (docs/ingestion.md):
//   BilledCost     = line_item_unblended_cost
//   EffectiveCost  by line_item_line_item_type:
//     SavingsPlanCoveredUsage → savings_plan_savings_plan_effective_cost
//     DiscountedUsage         → reservation_effective_cost
//     SavingsPlanRecurringFee → savings_plan_total_commitment_to_date − savings_plan_used_commitment (the unused part)
//     RIFee                   → reservation_unused_amortized_upfront_fee_for_billing_period + reservation_unused_recurring_fee
//     SavingsPlanNegation, SavingsPlanUpfrontFee, RI upfront Fee → 0 (amortized into the covered usage)
//     anything else           → line_item_unblended_cost
//   ListCost       = pricing_public_on_demand_cost (else unblended); ContractedCost = line_item_net_unblended_cost (else unblended)
//   ChargeCategory: *Usage and SavingsPlanNegation → Usage; Fee, RIFee, SavingsPlan*Fee → Purchase; Tax → Tax;
//                   Credit, Refund and discounts → Credit; anything else → Adjustment
//   PricingCategory: covered usage → Committed; Spot (pricing_term or a SpotUsage usage type) → Dynamic; OnDemand → Standard
import { addDecimals, subDecimals } from "../shared/decimal";
import { emptyRow } from "../shared/bill-row";
import { nullish, type Raw } from "../shared/field-reader";
import { at, Columns, type Normalizer } from "../shared/normalizer";

/** `lineItem/UnblendedCost` → `line_item_unblended_cost`; `savingsPlan/SavingsPlanARN` → `savings_plan_savings_plan_a_r_n`. */
export function curColumnName(header: string): string {
  const h = header.trim();
  const slash = h.indexOf("/");
  if (slash < 0) return h.toLowerCase();
  const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/^_/, "").replace(/[^a-z0-9_:]/g, "_");
  const category = snake(h.slice(0, slash));
  const name = h.slice(slash + 1);
  // Tag keys keep their case: resourceTags/user:CostCenter → resource_tags/user:CostCenter is handled by the tag reader.
  if (category === "resource_tags") return `resource_tags/${name}`;
  return `${category}_${snake(name)}`;
}

const USAGE_TYPES = new Set(["Usage", "DiscountedUsage", "SavingsPlanCoveredUsage", "SavingsPlanNegation"]);
const PURCHASE_TYPES = new Set(["Fee", "RIFee", "SavingsPlanUpfrontFee", "SavingsPlanRecurringFee"]);
const CREDIT_TYPES = new Set(["Credit", "Refund", "BundledDiscount", "Discount", "EdpDiscount", "PrivateRateDiscount", "DistributorDiscount", "SppDiscount"]);

const SERVICE_CATEGORIES: Array<[RegExp, string]> = [
  [/^(AmazonEC2|AmazonECS|AmazonEKS|AWSLambda|AmazonLightsail|AWSBatch|ElasticMapReduce)$/i, "Compute"],
  [/^(AmazonS3|AmazonEFS|AmazonFSx|AmazonGlacier|AWSBackup|AmazonS3GlacierDeepArchive)$/i, "Storage"],
  [/^(AmazonRDS|AmazonDynamoDB|AmazonElastiCache|AmazonRedshift|AmazonDocDB|AmazonNeptune)$/i, "Databases"],
  [/^(AmazonVPC|AmazonCloudFront|AmazonRoute53|AWSDataTransfer|AWSELB|AmazonApiGateway|AWSDirectConnect)$/i, "Networking"],
  [/^(AmazonSageMaker|AmazonBedrock|AmazonRekognition|AmazonComprehend|AmazonTextract)$/i, "AI and Machine Learning"],
  [/^(AmazonCloudWatch|AWSConfig|AWSCloudTrail|AWSSystemsManager)$/i, "Management and Governance"],
  [/^(AWSKMS|AWSSecretsManager|AmazonGuardDuty|AWSSecurityHub|awswaf)$/i, "Security"],
];

function serviceCategory(productCode: string | null, family: string | null): string {
  if (productCode) for (const [re, cat] of SERVICE_CATEGORIES) if (re.test(productCode)) return cat;
  if (family && /data transfer/i.test(family)) return "Networking";
  if (family && /storage/i.test(family)) return "Storage";
  if (family && /compute/i.test(family)) return "Compute";
  return "Other";
}

/** CUR 2.0 map columns arrive as JSON text in CSV and as objects (already JSON text) from Parquet. */
function parseMap(v: Raw): Record<string, unknown> | null {
  const s = nullish(v);
  if (!s || s[0] !== "{") return null;
  try {
    const o = JSON.parse(s) as unknown;
    return o && typeof o === "object" && !Array.isArray(o) ? (o as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Columns kept in `extra` (the rest of CUR's 100+ columns is not stored). */
const EXTRA = [
  "identity_line_item_id",
  "line_item_line_item_type",
  "line_item_usage_type",
  "line_item_operation",
  "line_item_product_code",
  "line_item_availability_zone",
  "line_item_unblended_rate",
  "line_item_net_unblended_cost",
  "pricing_term",
  "pricing_public_on_demand_rate",
  "product_product_family",
  "product_instance_type",
  "savings_plan_savings_plan_effective_cost",
  "reservation_effective_cost",
  "cost_category",
];

export const awsCurNormalizer: Normalizer = {
  currencyColumn: "line_item_currency_code",
  prepare(rawHeader, { reader: r, gpu, format }) {
    const header = rawHeader.map(curColumnName);
    const cols = new Columns(header);
    cols.require(r.file, "AWS CUR", [
      "bill_payer_account_id",
      "line_item_currency_code",
      "bill_billing_period_start_date",
      "bill_billing_period_end_date",
      "line_item_usage_start_date",
      "line_item_usage_end_date",
      "line_item_line_item_type",
      "line_item_unblended_cost",
    ]);
    const c = (...names: string[]) => cols.find(...names);
    const i = {
      payer: c("bill_payer_account_id"),
      payerName: c("bill_payer_account_name"),
      currency: c("line_item_currency_code"),
      bpStart: c("bill_billing_period_start_date"),
      bpEnd: c("bill_billing_period_end_date"),
      start: c("line_item_usage_start_date"),
      end: c("line_item_usage_end_date"),
      type: c("line_item_line_item_type"),
      unblended: c("line_item_unblended_cost"),
      netUnblended: c("line_item_net_unblended_cost"),
      publicCost: c("pricing_public_on_demand_cost"),
      spEffective: c("savings_plan_savings_plan_effective_cost"),
      spTotal: c("savings_plan_total_commitment_to_date"),
      spUsed: c("savings_plan_used_commitment"),
      spArn: c("savings_plan_savings_plan_a_r_n"),
      riEffective: c("reservation_effective_cost"),
      riUnusedUpfront: c("reservation_unused_amortized_upfront_fee_for_billing_period"),
      riUnusedRecurring: c("reservation_unused_recurring_fee"),
      riArn: c("reservation_reservation_a_r_n"),
      description: c("line_item_line_item_description"),
      usageType: c("line_item_usage_type"),
      usageAmount: c("line_item_usage_amount"),
      pricingUnit: c("pricing_unit"),
      pricingTerm: c("pricing_term"),
      productCode: c("line_item_product_code"),
      productName: c("product_product_name"),
      productFamily: c("product_product_family"),
      product: c("product"),
      instanceType: c("product_instance_type"),
      region: c("product_region_code", "product_region"),
      sku: c("product_sku"),
      rateId: c("pricing_rate_id"),
      resourceId: c("line_item_resource_id"),
      account: c("line_item_usage_account_id"),
      accountName: c("line_item_usage_account_name"),
      billingEntity: c("bill_billing_entity"),
      invoicingEntity: c("bill_invoicing_entity"),
      legalEntity: c("line_item_legal_entity"),
      invoiceId: c("bill_invoice_id"),
      tags: c("resource_tags"),
    };
    const tagCols = header
      .map((h, k) => ({ h, k }))
      .filter(({ h }) => h.startsWith("resource_tags/") || h.startsWith("resource_tags_"))
      .map(({ h, k }) => ({ k, key: h.startsWith("resource_tags/") ? rawHeader[k]!.trim().slice("resourceTags/".length).replace(/^user:/, "") : h.slice("resource_tags_".length).replace(/^user_/, "") }));
    const extraCols = EXTRA.map((name) => ({ name, k: cols.find(name) })).filter((e) => e.k >= 0);
    const columnCount = header.length;

    return (f) => {
      if (f.length !== columnCount) r.fail(undefined, `expected ${columnCount} fields as in the header, found ${f.length}`, "malformed_csv");
      const row = emptyRow(format);
      const type = r.required(f[i.type], "line_item_line_item_type");
      const unblended = r.requiredDecimal(f[i.unblended], "line_item_unblended_cost");
      row.providerName = "AWS";
      const billingEntity = r.text(at(f, i.billingEntity));
      row.publisherName = billingEntity === "AWS Marketplace" ? (r.text(at(f, i.legalEntity)) ?? billingEntity) : "AWS";
      row.invoiceIssuerName = r.text(at(f, i.invoicingEntity)) ?? r.text(at(f, i.legalEntity)) ?? "Amazon Web Services, Inc.";
      row.invoiceId = r.text(at(f, i.invoiceId));
      row.billingAccountId = r.required(f[i.payer], "bill_payer_account_id");
      row.billingAccountName = r.text(at(f, i.payerName));
      row.billingCurrency = r.currency(f[i.currency], "line_item_currency_code");
      row.billingPeriodStart = r.requiredTimestamp(f[i.bpStart], "bill_billing_period_start_date");
      row.billingPeriodEnd = r.requiredTimestamp(f[i.bpEnd], "bill_billing_period_end_date");
      row.chargePeriodStart = r.requiredTimestamp(f[i.start], "line_item_usage_start_date");
      row.chargePeriodEnd = r.requiredTimestamp(f[i.end], "line_item_usage_end_date");
      r.checkPeriods(row, { billingEnd: "bill_billing_period_end_date", chargeEnd: "line_item_usage_end_date" });

      const dec = (k: number, name: string) => r.decimal(at(f, k), name);
      const covered = type === "SavingsPlanCoveredUsage" || type === "DiscountedUsage";
      let effective = unblended;
      switch (type) {
        case "SavingsPlanCoveredUsage":
          effective = dec(i.spEffective, "savings_plan_savings_plan_effective_cost") ?? unblended;
          break;
        case "DiscountedUsage":
          effective = dec(i.riEffective, "reservation_effective_cost") ?? unblended;
          break;
        case "SavingsPlanRecurringFee": {
          const total = dec(i.spTotal, "savings_plan_total_commitment_to_date");
          const used = dec(i.spUsed, "savings_plan_used_commitment");
          effective = total !== null && used !== null ? subDecimals(total, used) : unblended;
          break;
        }
        case "RIFee":
          effective = addDecimals(dec(i.riUnusedUpfront, "reservation_unused_amortized_upfront_fee_for_billing_period") ?? "0", dec(i.riUnusedRecurring, "reservation_unused_recurring_fee") ?? "0");
          break;
        case "SavingsPlanNegation":
        case "SavingsPlanUpfrontFee":
          effective = "0";
          break;
        case "Fee":
          if (r.text(at(f, i.riArn))) effective = "0";
          break;
      }
      row.billedCost = unblended;
      row.effectiveCost = effective;
      row.listCost = dec(i.publicCost, "pricing_public_on_demand_cost") ?? unblended;
      row.contractedCost = dec(i.netUnblended, "line_item_net_unblended_cost") ?? unblended;

      row.chargeCategory = USAGE_TYPES.has(type) ? "Usage" : PURCHASE_TYPES.has(type) ? "Purchase" : type === "Tax" ? "Tax" : CREDIT_TYPES.has(type) ? "Credit" : "Adjustment";
      row.chargeFrequency = row.chargeCategory === "Usage" ? "Usage-Based" : type === "RIFee" || type === "SavingsPlanRecurringFee" ? "Recurring" : "One-Time";
      const usageType = r.text(at(f, i.usageType));
      const term = r.text(at(f, i.pricingTerm));
      if (row.chargeCategory === "Usage") {
        row.pricingCategory = covered ? "Committed" : term === "Spot" || (usageType !== null && /SpotUsage/.test(usageType)) ? "Dynamic" : term === "OnDemand" || term === null ? "Standard" : "Other";
      }
      const spArn = r.text(at(f, i.spArn));
      const riArn = r.text(at(f, i.riArn));
      if (spArn && (type.startsWith("SavingsPlan") || covered)) {
        row.commitmentDiscountId = spArn;
        row.commitmentDiscountType = "Savings Plan";
        row.commitmentDiscountCategory = "Spend";
      } else if (riArn && (type === "DiscountedUsage" || type === "RIFee" || type === "Fee")) {
        row.commitmentDiscountId = riArn;
        row.commitmentDiscountType = "Reservation";
        row.commitmentDiscountCategory = "Usage";
      }
      if (covered) row.commitmentDiscountStatus = "Used";

      row.chargeDescription = r.text(at(f, i.description));
      const amount = dec(i.usageAmount, "line_item_usage_amount");
      const unit = r.text(at(f, i.pricingUnit));
      row.pricingQuantity = amount;
      row.pricingUnit = unit;
      if (row.chargeCategory === "Usage") {
        row.consumedQuantity = amount;
        row.consumedUnit = unit;
      }
      const productCode = r.text(at(f, i.productCode));
      const product = parseMap(at(f, i.product));
      const productName = r.text(at(f, i.productName)) ?? (typeof product?.product_name === "string" ? product.product_name : null);
      const family = r.text(at(f, i.productFamily)) ?? (typeof product?.product_family === "string" ? product.product_family : null);
      row.serviceName = productName ?? productCode;
      row.serviceCategory = serviceCategory(productCode, family);
      row.resourceId = r.text(at(f, i.resourceId));
      row.regionId = r.text(at(f, i.region)) ?? (typeof product?.region_code === "string" ? product.region_code : null);
      row.skuId = r.text(at(f, i.sku));
      row.skuPriceId = r.text(at(f, i.rateId));
      row.subAccountId = r.text(at(f, i.account));
      row.subAccountName = r.text(at(f, i.accountName));

      const tags: Record<string, string> = {};
      const map = parseMap(at(f, i.tags));
      if (map) for (const [k, v] of Object.entries(map)) if (v !== null && v !== "") tags[k.replace(/^user_/, "")] = String(v);
      for (const t of tagCols) {
        const v = nullish(f[t.k]);
        if (v !== null) tags[t.key] = v;
      }
      row.tags = JSON.stringify(tags);
      const extra: Record<string, string> = {};
      for (const e of extraCols) {
        const v = nullish(f[e.k]);
        if (v !== null) extra[e.name] = v;
      }
      row.extra = JSON.stringify(extra);

      const instanceType = r.text(at(f, i.instanceType)) ?? (typeof product?.instance_type === "string" ? product.instance_type : null);
      gpu.recognize(row, { explicit: instanceType, candidates: [usageType], texts: [row.chargeDescription] });
      return row;
    };
  },
};
