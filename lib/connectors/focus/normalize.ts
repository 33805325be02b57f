// FOCUS 1.0, 1.1 and 1.2 CSV → bill_line_items. FOCUS is the canonical shape, so this is mostly a
// column mapping plus the quirks of real exports: NULL/empty as null, mixed-case enum values
// (Usage-based), timestamps without a zone (UTC), Tags as a JSON object, and any column without a home
// in the table (x_ columns, AvailabilityZone, Id, unit prices...) kept verbatim in `extra`.
// 1.2 renamed ProviderName to ServiceProviderName and added HostProviderName and InvoiceId; both
// generations are read. EffectiveCost > ListCost is legal data (the FinOps sample has it), not an error.
import { emptyRow } from "../shared/bill-row";
import { nullish, type Raw } from "../shared/field-reader";
import { at, Columns, type Normalizer } from "../shared/normalizer";

/** FOCUS columns the table stores, by BillRow field. The first name found in the header wins. */
const MAPPED = {
  providerName: ["ProviderName", "ServiceProviderName"],
  publisherName: ["PublisherName"],
  invoiceIssuerName: ["InvoiceIssuerName"],
  invoiceId: ["InvoiceId"],
  billingAccountId: ["BillingAccountId"],
  billingAccountName: ["BillingAccountName"],
  billingCurrency: ["BillingCurrency"],
  billingPeriodStart: ["BillingPeriodStart"],
  billingPeriodEnd: ["BillingPeriodEnd"],
  chargePeriodStart: ["ChargePeriodStart"],
  chargePeriodEnd: ["ChargePeriodEnd"],
  chargeCategory: ["ChargeCategory"],
  chargeClass: ["ChargeClass"],
  chargeDescription: ["ChargeDescription"],
  chargeFrequency: ["ChargeFrequency"],
  billedCost: ["BilledCost"],
  effectiveCost: ["EffectiveCost"],
  listCost: ["ListCost"],
  contractedCost: ["ContractedCost"],
  pricingCategory: ["PricingCategory"],
  pricingQuantity: ["PricingQuantity"],
  pricingUnit: ["PricingUnit"],
  consumedQuantity: ["ConsumedQuantity"],
  consumedUnit: ["ConsumedUnit"],
  commitmentDiscountId: ["CommitmentDiscountId"],
  commitmentDiscountType: ["CommitmentDiscountType"],
  commitmentDiscountCategory: ["CommitmentDiscountCategory"],
  commitmentDiscountStatus: ["CommitmentDiscountStatus"],
  serviceName: ["ServiceName"],
  serviceCategory: ["ServiceCategory"],
  resourceId: ["ResourceId"],
  resourceName: ["ResourceName"],
  resourceType: ["ResourceType"],
  regionId: ["RegionId"],
  skuId: ["SkuId"],
  skuPriceId: ["SkuPriceId"],
  subAccountId: ["SubAccountId"],
  subAccountName: ["SubAccountName"],
  tags: ["Tags"],
} as const;

export const FOCUS_REQUIRED: Array<string | string[]> = [
  "BilledCost",
  "EffectiveCost",
  "BillingAccountId",
  "BillingCurrency",
  "BillingPeriodStart",
  "BillingPeriodEnd",
  "ChargePeriodStart",
  "ChargePeriodEnd",
  "ChargeCategory",
  ["ProviderName", "ServiceProviderName"],
];

/** x_ columns (or FOCUS 1.1 SkuMeter) that may name the instance type or VM size, in priority order. */
const INSTANCE_HINT = /^(x_)?(instance_?type|vm_?size|machine_?type|service_?type)$/i;
const CANDIDATE_HINT = /^(x_)?(usage_?type|sku_?meter(_?name)?|meter_?name|operation)$/i;
const SKU_DETAILS = /^(x_)?sku_?(price_?)?details$/i;

function fromSkuDetails(v: Raw): string | null {
  const s = nullish(v);
  if (!s || s[0] !== "{") return null;
  try {
    const o = JSON.parse(s) as Record<string, unknown>;
    for (const k of ["ServiceType", "VMSize", "InstanceType", "MachineType", "x_ServiceType", "x_VMSize", "x_InstanceType"]) {
      if (typeof o[k] === "string" && o[k]) return o[k] as string;
    }
  } catch {
    // not JSON: no hint
  }
  return null;
}

export const focusNormalizer: Normalizer = {
  currencyColumn: "BillingCurrency",
  prepare(header, { reader: r, gpu, format }) {
    const cols = new Columns(header);
    cols.require(r.file, "FOCUS", FOCUS_REQUIRED);
    const idx = Object.fromEntries(Object.entries(MAPPED).map(([field, names]) => [field, cols.find(...names)])) as Record<keyof typeof MAPPED, number>;
    const used = new Set(Object.values(idx).filter((i) => i >= 0));
    const extraCols = header.map((name, i) => ({ name: name.trim(), i })).filter((c) => !used.has(c.i));
    const explicitIdx = extraCols.filter((c) => INSTANCE_HINT.test(c.name)).map((c) => c.i);
    const candidateIdx = extraCols.filter((c) => CANDIDATE_HINT.test(c.name)).map((c) => c.i);
    const detailsIdx = extraCols.filter((c) => SKU_DETAILS.test(c.name)).map((c) => c.i);
    const providerCol = header[idx.providerName]!.trim();
    const columnCount = header.length;

    return (f) => {
      if (f.length !== columnCount) r.fail(undefined, `expected ${columnCount} fields as in the header, found ${f.length}`, "malformed_csv");
      const row = emptyRow(format);
      row.providerName = r.required(f[idx.providerName], providerCol);
      row.publisherName = r.text(at(f, idx.publisherName));
      row.invoiceIssuerName = r.text(at(f, idx.invoiceIssuerName));
      row.invoiceId = r.text(at(f, idx.invoiceId));
      row.billingAccountId = r.required(f[idx.billingAccountId], "BillingAccountId");
      row.billingAccountName = r.text(at(f, idx.billingAccountName));
      row.billingCurrency = r.currency(f[idx.billingCurrency], "BillingCurrency");
      row.billingPeriodStart = r.requiredTimestamp(f[idx.billingPeriodStart], "BillingPeriodStart");
      row.billingPeriodEnd = r.requiredTimestamp(f[idx.billingPeriodEnd], "BillingPeriodEnd");
      row.chargePeriodStart = r.requiredTimestamp(f[idx.chargePeriodStart], "ChargePeriodStart");
      row.chargePeriodEnd = r.requiredTimestamp(f[idx.chargePeriodEnd], "ChargePeriodEnd");
      r.checkPeriods(row, { billingEnd: "BillingPeriodEnd", chargeEnd: "ChargePeriodEnd" });
      row.chargeCategory = r.chargeCategory(f[idx.chargeCategory], "ChargeCategory");
      row.chargeClass = r.chargeClass(at(f, idx.chargeClass));
      row.chargeDescription = r.text(at(f, idx.chargeDescription));
      row.chargeFrequency = r.chargeFrequency(at(f, idx.chargeFrequency));
      row.billedCost = r.requiredDecimal(f[idx.billedCost], "BilledCost");
      row.effectiveCost = r.requiredDecimal(f[idx.effectiveCost], "EffectiveCost");
      row.listCost = r.decimal(at(f, idx.listCost), "ListCost");
      row.contractedCost = r.decimal(at(f, idx.contractedCost), "ContractedCost");
      row.pricingCategory = r.pricingCategory(at(f, idx.pricingCategory));
      row.pricingQuantity = r.decimal(at(f, idx.pricingQuantity), "PricingQuantity");
      row.pricingUnit = r.text(at(f, idx.pricingUnit));
      row.consumedQuantity = r.decimal(at(f, idx.consumedQuantity), "ConsumedQuantity");
      row.consumedUnit = r.text(at(f, idx.consumedUnit));
      row.commitmentDiscountId = r.text(at(f, idx.commitmentDiscountId));
      row.commitmentDiscountType = r.text(at(f, idx.commitmentDiscountType));
      row.commitmentDiscountCategory = r.commitmentCategory(at(f, idx.commitmentDiscountCategory));
      row.commitmentDiscountStatus = r.commitmentStatus(at(f, idx.commitmentDiscountStatus));
      row.serviceName = r.text(at(f, idx.serviceName));
      row.serviceCategory = r.text(at(f, idx.serviceCategory));
      row.resourceId = r.text(at(f, idx.resourceId));
      row.resourceName = r.text(at(f, idx.resourceName));
      row.resourceType = r.text(at(f, idx.resourceType));
      row.regionId = r.text(at(f, idx.regionId));
      row.skuId = r.text(at(f, idx.skuId));
      row.skuPriceId = r.text(at(f, idx.skuPriceId));
      row.subAccountId = r.text(at(f, idx.subAccountId));
      row.subAccountName = r.text(at(f, idx.subAccountName));
      row.tags = r.jsonObject(at(f, idx.tags), "Tags");

      let extra = "";
      for (let k = 0; k < extraCols.length; k++) {
        const c = extraCols[k]!;
        const v = nullish(f[c.i]);
        if (v === null) continue;
        extra += (extra ? "," : "{") + JSON.stringify(c.name) + ":" + JSON.stringify(v);
      }
      row.extra = extra ? extra + "}" : "{}";

      let explicit: Raw = undefined;
      for (const i of explicitIdx) explicit ??= nullish(f[i]);
      for (const i of detailsIdx) explicit ??= fromSkuDetails(f[i]);
      const candidates: Raw[] = [row.skuId];
      for (const i of candidateIdx) candidates.push(f[i]);
      gpu.recognize(row, { explicit, candidates, texts: [row.chargeDescription, row.resourceType] });
      return row;
    };
  },
};
