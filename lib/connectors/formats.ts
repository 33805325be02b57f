// Which format a bill is in, told from its header (overridable by the caller), and its normalizer.
import { awsCurNormalizer } from "./aws-cur/normalize";
import { azureCostNormalizer } from "./azure-cost/normalize";
import { focusNormalizer } from "./focus/normalize";
import { gcpBillingNormalizer } from "./gcp-billing/normalize";
import { BILL_FORMATS, type BillFormat } from "./shared/bill-row";
import { IngestError } from "./shared/ingest-error";
import type { Normalizer } from "./shared/normalizer";

const has = (set: Set<string>, ...names: string[]) => names.some((n) => set.has(n));

/** The format a header belongs to, or undefined. Header names are compared case-insensitively. */
export function detectFormat(header: string[]): BillFormat | undefined {
  const h = new Set(header.map((c) => c.trim().toLowerCase()));
  if (h.has("billedcost") && h.has("effectivecost") && (h.has("chargeperiodstart") || h.has("billingperiodstart"))) {
    if (has(h, "serviceprovidername", "hostprovidername", "invoiceid", "pricingcurrency")) return "focus-1.2";
    if (has(h, "capacityreservationid", "commitmentdiscountquantity", "commitmentdiscountunit", "servicesubcategory", "skumeter", "skupricedetails")) {
      return "focus-1.1";
    }
    return "focus-1.0";
  }
  if (has(h, "line_item_unblended_cost", "lineitem/unblendedcost", "line_item_usage_type", "lineitem/usagetype")) {
    // Legacy CUR: slash-style CSV headers, or the flattened resource_tags_user_* columns of its
    // Athena/Parquet flavour. CUR 2.0 has map columns (product, resource_tags) and account names.
    if ([...h].some((c) => c.includes("/"))) return "aws-cur-legacy";
    if (has(h, "resource_tags", "product", "bill_payer_account_name", "line_item_usage_account_name")) return "aws-cur-2.0";
    return "aws-cur-legacy";
  }
  if (h.has("cost") && has(h, "usage_start_time") && has(h, "service.description", "service_description", "sku.description", "sku_description")) {
    return "gcp-billing";
  }
  if (has(h, "costinbillingcurrency", "pretaxcost", "costinusd", "cost") && has(h, "metercategory", "metercategory") && has(h, "date", "usagedate", "usagedatetime")) {
    return "azure-cost";
  }
  return undefined;
}

export function normalizerFor(format: BillFormat): Normalizer {
  switch (format) {
    case "focus-1.0":
    case "focus-1.1":
    case "focus-1.2":
      return focusNormalizer;
    case "aws-cur-2.0":
    case "aws-cur-legacy":
      return awsCurNormalizer;
    case "gcp-billing":
      return gcpBillingNormalizer;
    case "azure-cost":
      return azureCostNormalizer;
  }
}

export function unknownFormatError(file: string, header: string[]): IngestError {
  const shown = header.slice(0, 6).map((c) => JSON.stringify(c)).join(", ");
  return new IngestError({
    code: "unknown_format",
    file,
    line: 1,
    reason:
      `the header matches no known bill format (FOCUS 1.0/1.1/1.2, AWS CUR 2.0 or legacy, GCP billing export, Azure cost export); ` +
      `it starts with ${shown}${header.length > 6 ? ", …" : ""}. Pass a format explicitly (${BILL_FORMATS.join(", ")}) if it is one of them`,
  });
}
