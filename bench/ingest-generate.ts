// A synthetic FOCUS 1.0 bill for the ingestion benchmark: `rows` lines over one 30-day billing period,
// hour by hour (as providers write them), for a fleet of instances of which a quarter are GPU types.
// Real exports' texture is kept: quoted descriptions with commas, NULL literals, JSON tags, 10-decimal
// costs. Deterministic for a given row count.
import { createWriteStream } from "node:fs";
import { once } from "node:events";

export const BENCH_HEADER = [
  "BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "BillingAccountId", "BillingAccountName", "BillingCurrency",
  "BillingPeriodStart", "BillingPeriodEnd", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargeFrequency",
  "ChargePeriodStart", "ChargePeriodEnd", "CommitmentDiscountId", "ConsumedQuantity", "ConsumedUnit", "InvoiceIssuerName",
  "PricingCategory", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "RegionId", "ResourceId", "ResourceName",
  "ResourceType", "ServiceCategory", "ServiceName", "SkuId", "SkuPriceId", "SubAccountId", "SubAccountName", "Tags",
];

const TYPES = [
  ["p5.48xlarge", "55.04"], ["m6i.4xlarge", "0.768"], ["c6i.2xlarge", "0.34"], ["r6i.8xlarge", "2.016"],
  ["g5.12xlarge", "5.672"], ["m6i.large", "0.096"], ["c6i.large", "0.085"], ["t3.medium", "0.0416"],
] as const;
const TEAMS = ["llm-research", "vision", "inference-platform", "data", "search", "ads", "infra"];

export async function generateFocusCsv(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  const hours = 720;
  const perHour = Math.ceil(rows / hours);
  let buf = BENCH_HEADER.join(",") + "\n";
  let bytes = 0;
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const start = Date.UTC(2024, 8, 1);
  for (let i = 0; i < rows; i++) {
    const hour = Math.floor(i / perHour);
    const n = i % perHour;
    const [type, price] = TYPES[n % TYPES.length]!;
    const t0 = new Date(start + hour * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
    const t1 = new Date(start + (hour + 1) * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
    const billed = (Number(price) * (0.5 + rand())).toFixed(10);
    const effective = n % 5 === 0 ? (Number(billed) * 0.55).toFixed(10) : billed;
    const team = TEAMS[n % TEAMS.length];
    buf +=
      `${billed},${effective},${price},${effective},111122223333,Acme payer,USD,2024-09-01 00:00:00,2024-10-01 00:00:00,Usage,NULL,` +
      `"$${price} per On Demand Linux ${type} Instance Hour, us-east-1",Usage-Based,${t0},${t1},` +
      `${n % 5 === 0 ? "arn:aws:savingsplans::111122223333:savingsplan/sp-1" : "NULL"},1,Hours,"Amazon Web Services, Inc.",` +
      `${n % 5 === 0 ? "Committed" : "Standard"},1,Hours,AWS,"Amazon Web Services, Inc.",us-east-1,i-${n.toString(16).padStart(17, "0")},NULL,instance,Compute,` +
      `Amazon Elastic Compute Cloud,${type.replace(".", "")}SKU,${type.replace(".", "")}SKU.JRTCKXETXF,44445555${String(n % 10).padStart(4, "0")},ml-${n % 10},` +
      `"{""team"": ""${team}"", ""env"": ""prod""}"\n`;
    if (buf.length > 1 << 20) {
      bytes += buf.length;
      if (!out.write(buf)) await once(out, "drain");
      buf = "";
    }
  }
  bytes += buf.length;
  out.end(buf);
  await once(out, "finish");
  return bytes;
}
