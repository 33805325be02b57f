// Azure Cost Management export (CSV; EA and MCA column sets, actual or amortized) → FOCUS. The rules
// (docs/ingestion.md):
//   BilledCost = CostInBillingCurrency (older exports: Cost, PreTaxCost).
//   EffectiveCost: reservation / savings plan purchases → 0 (their cost reaches usage through
//     amortization); usage covered by a reservation or savings plan, and Unused* rows → EffectivePrice ×
//     Quantity when the export has a non-zero EffectivePrice (amortized exports), else the cost;
//     everything else → the cost.
//   ListCost = PayGPrice × Quantity (else the cost); ContractedCost = UnitPrice × Quantity (else the cost).
//   ChargePeriod = Date (one day, UTC); BillingPeriod = BillingPeriodStartDate … EndDate (Azure's end
//     is the last day, inclusive: +1 day), else the month of Date.
//   ChargeCategory by ChargeType: Usage, UnusedReservation, UnusedSavingsPlan → Usage; Purchase → Purchase;
//     Refund → Credit; Tax → Tax; RoundingAdjustment and others → Adjustment.
//   PricingCategory by PricingModel: OnDemand → Standard, Spot → Dynamic, Reservation / SavingsPlan → Committed.
//   GPUs: AdditionalInfo.ServiceType (the VM size), else the meter name (ND96isr H100 v5).
import { mulDecimals, isZeroDecimal } from "../shared/decimal";
import { emptyRow } from "../shared/bill-row";
import { nullish, type Raw } from "../shared/field-reader";
import { at, Columns, type Normalizer } from "../shared/normalizer";
import { addDays } from "../shared/timestamps";

const SERVICE_CATEGORIES: Array<[RegExp, string]> = [
  [/virtual machines|container|kubernetes|functions|app service|batch|cloud services/i, "Compute"],
  [/storage|backup/i, "Storage"],
  [/bandwidth|virtual network|load balancer|network|dns|front door|vpn|expressroute|application gateway/i, "Networking"],
  [/sql|cosmos|database|redis|mysql|postgre/i, "Databases"],
  [/machine learning|cognitive|openai|ai services/i, "AI and Machine Learning"],
  [/monitor|log analytics|automation|insight/i, "Management and Governance"],
  [/security|key vault|sentinel|defender/i, "Security"],
];

function serviceCategory(meterCategory: string | null): string {
  if (meterCategory) for (const [re, c] of SERVICE_CATEGORIES) if (re.test(meterCategory)) return c;
  return "Other";
}

function additionalInfo(v: Raw): Record<string, unknown> | null {
  const s = nullish(v);
  if (!s || s[0] !== "{") return null;
  try {
    return JSON.parse(s) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const EXTRA = ["MeterCategory", "MeterSubCategory", "MeterName", "MeterRegion", "ResourceGroup", "ResourceGroupName", "ChargeType", "PricingModel", "Frequency", "ProductName", "ConsumedService", "InvoiceSectionName", "CostCenter", "AdditionalInfo", "Term", "Date"];

export const azureCostNormalizer: Normalizer = {
  currencyColumn: "BillingCurrencyCode",
  prepare(header, { reader: r, gpu, format }) {
    const cols = new Columns(header);
    cols.require(r.file, "Azure cost export", [
      ["BillingAccountId", "BillingProfileId"],
      ["BillingCurrencyCode", "BillingCurrency", "Currency"],
      ["Date", "UsageDate", "UsageDateTime"],
      ["CostInBillingCurrency", "Cost", "PreTaxCost"],
    ]);
    const c = (...names: string[]) => cols.find(...names);
    const i = {
      account: c("BillingAccountId", "BillingProfileId"),
      accountName: c("BillingAccountName", "BillingProfileName"),
      currency: c("BillingCurrencyCode", "BillingCurrency", "Currency"),
      date: c("Date", "UsageDate", "UsageDateTime"),
      bpStart: c("BillingPeriodStartDate"),
      bpEnd: c("BillingPeriodEndDate"),
      cost: c("CostInBillingCurrency", "Cost", "PreTaxCost"),
      quantity: c("Quantity", "UsageQuantity"),
      unit: c("UnitOfMeasure"),
      effectivePrice: c("EffectivePrice"),
      unitPrice: c("UnitPrice"),
      paygPrice: c("PayGPrice"),
      pricingModel: c("PricingModel"),
      chargeType: c("ChargeType"),
      frequency: c("Frequency"),
      benefitId: c("benefitId", "BenefitId"),
      benefitName: c("benefitName", "BenefitName"),
      reservationId: c("ReservationId"),
      reservationName: c("ReservationName"),
      meterCategory: c("MeterCategory"),
      meterSubCategory: c("MeterSubCategory"),
      meterName: c("MeterName"),
      meterId: c("MeterId"),
      partNumber: c("PartNumber"),
      productName: c("ProductName", "Product"),
      resourceId: c("ResourceId", "InstanceId", "InstanceName"),
      resourceName: c("ResourceName"),
      location: c("ResourceLocation", "ResourceLocationNormalized", "Location"),
      subscription: c("SubscriptionId", "SubscriptionGuid"),
      subscriptionName: c("SubscriptionName"),
      publisher: c("PublisherName"),
      publisherType: c("PublisherType"),
      invoiceId: c("InvoiceId"),
      tags: c("Tags"),
      info: c("AdditionalInfo"),
    };
    const extraCols = EXTRA.map((name) => ({ name, k: cols.find(name) })).filter((e) => e.k >= 0);
    const columnCount = header.length;
    const colName = (k: number) => header[k] ?? "?";

    return (f) => {
      if (f.length !== columnCount) r.fail(undefined, `expected ${columnCount} fields as in the header, found ${f.length}`, "malformed_csv");
      const row = emptyRow(format);
      const dec = (k: number) => r.decimal(at(f, k), colName(k));
      row.providerName = "Microsoft";
      const publisherType = r.text(at(f, i.publisherType));
      row.publisherName = r.text(at(f, i.publisher)) ?? (publisherType && publisherType !== "Azure" && publisherType !== "Microsoft" ? publisherType : "Microsoft");
      row.invoiceIssuerName = "Microsoft";
      row.invoiceId = r.text(at(f, i.invoiceId));
      row.billingAccountId = r.required(f[i.account], colName(i.account));
      row.billingAccountName = r.text(at(f, i.accountName));
      row.billingCurrency = r.currency(f[i.currency], colName(i.currency));
      const day = r.requiredTimestamp(f[i.date], colName(i.date));
      row.chargePeriodStart = day;
      row.chargePeriodEnd = addDays(day, 1);
      const bpStart = r.timestamp(at(f, i.bpStart), "BillingPeriodStartDate");
      const bpEnd = r.timestamp(at(f, i.bpEnd), "BillingPeriodEndDate");
      if (bpStart && bpEnd) {
        row.billingPeriodStart = bpStart;
        // Azure writes the last day of the period; FOCUS wants the exclusive end. A value that is already
        // the first of a month (some MCA exports) is taken as exclusive.
        row.billingPeriodEnd = new Date(bpEnd).getUTCDate() === 1 && new Date(bpStart).getUTCDate() === 1 ? bpEnd : addDays(bpEnd, 1);
      } else {
        const d = new Date(day);
        row.billingPeriodStart = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString();
        row.billingPeriodEnd = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString();
      }
      r.checkPeriods(row, { billingEnd: "BillingPeriodEndDate", chargeEnd: colName(i.date) });

      const cost = r.requiredDecimal(f[i.cost], colName(i.cost));
      const quantity = dec(i.quantity);
      const chargeType = r.text(at(f, i.chargeType)) ?? "Usage";
      const model = r.text(at(f, i.pricingModel)) ?? "OnDemand";
      const commitment = /^(reservation|savingsplan|savings plan)$/i.test(model);
      const unused = /^Unused(Reservation|SavingsPlan)$/i.test(chargeType);
      const times = (price: string | null) => (price !== null && quantity !== null ? mulDecimals(price, quantity) : null);
      const effectivePrice = dec(i.effectivePrice);
      let effective = cost;
      if (/^purchase$/i.test(chargeType) && commitment) effective = "0";
      else if ((commitment || unused) && effectivePrice !== null && !isZeroDecimal(effectivePrice)) effective = times(effectivePrice) ?? cost;
      row.billedCost = cost;
      row.effectiveCost = effective;
      row.listCost = times(dec(i.paygPrice)) ?? cost;
      row.contractedCost = times(dec(i.unitPrice)) ?? cost;

      const ct = chargeType.toLowerCase();
      row.chargeCategory = ct === "usage" || unused ? "Usage" : ct === "purchase" ? "Purchase" : ct === "refund" ? "Credit" : ct === "tax" ? "Tax" : "Adjustment";
      const frequency = (r.text(at(f, i.frequency)) ?? "").toLowerCase();
      row.chargeFrequency = frequency === "recurring" ? "Recurring" : frequency === "onetime" || frequency === "one-time" ? "One-Time" : row.chargeCategory === "Usage" ? "Usage-Based" : "One-Time";
      if (row.chargeCategory === "Usage") {
        row.pricingCategory = /^spot$/i.test(model) ? "Dynamic" : commitment || unused ? "Committed" : /^ondemand$/i.test(model) ? "Standard" : "Other";
      }
      if (commitment || unused) {
        const savingsPlan = /savings/i.test(model) || /savingsplan/i.test(chargeType);
        row.commitmentDiscountId = r.text(at(f, i.benefitId)) ?? r.text(at(f, i.reservationId));
        row.commitmentDiscountType = savingsPlan ? "Savings Plan" : "Reservation";
        row.commitmentDiscountCategory = savingsPlan ? "Spend" : "Usage";
        if (row.chargeCategory === "Usage") row.commitmentDiscountStatus = unused ? "Unused" : "Used";
      }
      const meterCategory = r.text(at(f, i.meterCategory));
      const meterName = r.text(at(f, i.meterName));
      const productName = r.text(at(f, i.productName));
      row.chargeDescription = productName ?? meterName;
      row.pricingQuantity = quantity;
      row.pricingUnit = r.text(at(f, i.unit));
      if (row.chargeCategory === "Usage") {
        row.consumedQuantity = quantity;
        row.consumedUnit = row.pricingUnit;
      }
      row.serviceName = meterCategory;
      row.serviceCategory = serviceCategory(meterCategory);
      const resourceId = r.text(at(f, i.resourceId));
      row.resourceId = resourceId;
      row.resourceName = r.text(at(f, i.resourceName)) ?? (resourceId ? (resourceId.split("/").filter(Boolean).pop() ?? null) : null);
      const typeMatch = resourceId ? /\/providers\/([^/]+\/[^/]+)\//i.exec(resourceId) : null;
      row.resourceType = typeMatch ? typeMatch[1]!.toLowerCase() : null;
      const location = r.text(at(f, i.location));
      row.regionId = location ? location.toLowerCase().replace(/\s+/g, "") : null;
      row.skuId = r.text(at(f, i.meterId));
      row.skuPriceId = r.text(at(f, i.partNumber));
      row.subAccountId = r.text(at(f, i.subscription));
      row.subAccountName = r.text(at(f, i.subscriptionName));
      row.tags = r.jsonObject(at(f, i.tags), "Tags");

      const extra: Record<string, string> = {};
      for (const e of extraCols) {
        const v = nullish(f[e.k]);
        if (v !== null) extra[e.name] = v;
      }
      row.extra = JSON.stringify(extra);

      const info = additionalInfo(at(f, i.info));
      const size = [info?.ServiceType, info?.VMSize, info?.vmSize].find((x): x is string => typeof x === "string" && x.length > 0) ?? null;
      gpu.recognize(row, { explicit: size, candidates: [meterName, r.text(at(f, i.meterSubCategory))], texts: [productName] });
      return row;
    };
  },
};
