// FOCUS 1.0 bill rows consistent with the demo fleet: hourly instance usage for every cloud GPU node
// (on-demand, spot with a moving price, savings-plan covered with its recurring purchase), the GCP GPU
// SKU billed apart from the VM's cores and RAM, and daily non-GPU lines (storage, network, CPU nodes),
// plus one credit. Rows use FOCUS column names: the demo writes them out as a FOCUS CSV and ingests it
// through the real pipeline, whose GPU recognition finds the instance types (BoxUsage:p5.48xlarge), the
// GCP GPU SKU ("Nvidia H100 80GB GPU", 8 GPU-hours per hour) and the VM lines of the same instance.
import type { DemoNode } from "./demo-fleet";
import { createRng } from "./random";

export type FocusRow = {
  ProviderName: string;
  PublisherName: string;
  InvoiceIssuerName: string;
  BillingAccountId: string;
  BillingAccountName: string;
  BillingCurrency: string;
  BillingPeriodStart: Date;
  BillingPeriodEnd: Date;
  ChargePeriodStart: Date;
  ChargePeriodEnd: Date;
  ChargeCategory: "Usage" | "Purchase" | "Tax" | "Credit" | "Adjustment";
  ChargeDescription: string;
  ChargeFrequency: "Usage-Based" | "Recurring" | "One-Time";
  BilledCost: number;
  EffectiveCost: number;
  ListCost: number;
  ContractedCost: number;
  PricingCategory: "Standard" | "Dynamic" | "Committed" | "Other" | null;
  PricingQuantity: number | null;
  PricingUnit: string | null;
  ConsumedQuantity: number | null;
  ConsumedUnit: string | null;
  CommitmentDiscountId: string | null;
  CommitmentDiscountType: string | null;
  CommitmentDiscountCategory: string | null;
  CommitmentDiscountStatus: "Used" | "Unused" | null;
  ServiceName: string;
  ServiceCategory: string;
  ResourceId: string | null;
  ResourceName: string | null;
  ResourceType: string | null;
  RegionId: string | null;
  SkuId: string | null;
  SkuPriceId: string | null;
  SubAccountId: string;
  SubAccountName: string;
  Tags: Record<string, string>;
};

/** Demo prices per instance-hour (AWS figures are DOMAIN.md's public list prices). */
export const DEMO_PRICES = {
  "p5.48xlarge": 55.04,
  "p4d.24xlarge": 21.96,
  /** a3-highgpu-8g: 8 × H100 GPU SKU + the VM's cores and RAM. */
  "a3-highgpu-8g.gpu": 8 * 9.8,
  "a3-highgpu-8g.vm": 9.85,
  /** Savings-plan discount on p5 and the spot discount on p4d. */
  savingsPlanDiscount: 0.45,
  spotDiscount: 0.62,
};

const AWS = { ProviderName: "AWS", PublisherName: "AWS", InvoiceIssuerName: "AWS", BillingAccountId: "111122223333", BillingAccountName: "Demo AI Inc. payer" };
const GCP = { ProviderName: "Google Cloud", PublisherName: "Google Cloud", InvoiceIssuerName: "Google Cloud", BillingAccountId: "01ABCD-23EFGH-45IJKL", BillingAccountName: "Demo AI Inc. GCP" };
const SAVINGS_PLAN_ID = "arn:aws:savingsplans::111122223333:savingsplan/3f7d2c1a-demo-sp-0001";

const HOUR = 3_600_000;
const round = (x: number, d = 6) => Math.round(x * 10 ** d) / 10 ** d;

function billingPeriod(t: Date) {
  const start = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1));
  const end = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1));
  return { BillingPeriodStart: start, BillingPeriodEnd: end };
}

type Base = Omit<FocusRow, "ChargePeriodStart" | "ChargePeriodEnd" | "BillingPeriodStart" | "BillingPeriodEnd">;

function row(base: Base, from: Date, to: Date): FocusRow {
  return { ...base, ...billingPeriod(from), ChargePeriodStart: from, ChargePeriodEnd: to };
}

const nulls = {
  CommitmentDiscountId: null,
  CommitmentDiscountType: null,
  CommitmentDiscountCategory: null,
  CommitmentDiscountStatus: null,
  SkuPriceId: null,
} as const;

/**
 * The bill of `hours` hours from `start`. `credit: false` leaves out the one-off credit (the demo bills
 * as many days before its telemetry window as in it, with one credit in all).
 */
export function* demoBillRows({ nodes, start, hours, seed, credit = true }: { nodes: DemoNode[]; start: Date; hours: number; seed: number; credit?: boolean }): Generator<FocusRow> {
  const rng = createRng(seed ^ 0xb111);
  const cloudNodes = nodes.filter((n) => n.resourceId);
  const spNodes = cloudNodes.filter((n) => n.pricing === "Committed");
  const spHourly = spNodes.length * DEMO_PRICES["p5.48xlarge"] * (1 - DEMO_PRICES.savingsPlanDiscount);
  // The spot price moves once a day.
  const spotFactor: number[] = [];
  for (let d = 0; d <= Math.ceil(hours / 24); d++) spotFactor.push(rng.between(0.92, 1.08));

  for (let h = 0; h < hours; h++) {
    const from = new Date(start.getTime() + h * HOUR);
    const to = new Date(from.getTime() + HOUR);
    for (const n of cloudNodes) {
      const tags = { team: n.team, cluster: n.cluster, env: "prod", node: n.name };
      const common = {
        ChargeCategory: "Usage" as const,
        ChargeFrequency: "Usage-Based" as const,
        PricingQuantity: 1,
        PricingUnit: "Hours",
        ConsumedQuantity: 1,
        ConsumedUnit: "Hours",
        ResourceId: n.resourceId,
        ResourceName: n.hostname,
        SubAccountId: n.subAccountId,
        Tags: tags,
        ...nulls,
      };
      if (n.instanceType === "a3-highgpu-8g") {
        const gpu = DEMO_PRICES["a3-highgpu-8g.gpu"];
        const vm = DEMO_PRICES["a3-highgpu-8g.vm"];
        const g = { ...GCP, ...common, ServiceName: "Compute Engine", ServiceCategory: "Compute", ResourceType: "Virtual Machine", RegionId: "us-central1", SubAccountName: "demo-ml-prod", BillingCurrency: "USD", PricingCategory: "Standard" as const };
        yield row({ ...g, ChargeDescription: "Nvidia H100 80GB GPU running in Americas", BilledCost: gpu, EffectiveCost: gpu, ListCost: gpu, ContractedCost: gpu, SkuId: "GPU-H100-80GB-AMERICAS", PricingQuantity: 8, PricingUnit: "GPU-Hours", ConsumedQuantity: 8, ConsumedUnit: "GPU-Hours" }, from, to);
        yield row({ ...g, ChargeDescription: "A3 Instance Core and Ram running in Americas", BilledCost: vm, EffectiveCost: vm, ListCost: vm, ContractedCost: vm, SkuId: "A3-CORE-RAM-AMERICAS" }, from, to);
        continue;
      }
      const list = DEMO_PRICES[n.instanceType as "p5.48xlarge" | "p4d.24xlarge"];
      const a = { ...AWS, ...common, ServiceName: "Amazon Elastic Compute Cloud", ServiceCategory: "Compute", ResourceType: "Instance", RegionId: "us-east-1", SubAccountName: "ml-prod", BillingCurrency: "USD" };
      if (n.pricing === "Committed") {
        const eff = round(list * (1 - DEMO_PRICES.savingsPlanDiscount));
        yield row({ ...a, ChargeDescription: `Savings Plan covered usage of ${n.instanceType}`, PricingCategory: "Committed", BilledCost: 0, EffectiveCost: eff, ListCost: list, ContractedCost: eff, SkuId: `BoxUsage:${n.instanceType}`, CommitmentDiscountId: SAVINGS_PLAN_ID, CommitmentDiscountType: "Savings Plan", CommitmentDiscountCategory: "Spend", CommitmentDiscountStatus: "Used" }, from, to);
      } else if (n.pricing === "Dynamic") {
        const spot = round(list * (1 - DEMO_PRICES.spotDiscount) * spotFactor[Math.floor(h / 24)]!);
        yield row({ ...a, ChargeDescription: `Spot usage of ${n.instanceType}`, PricingCategory: "Dynamic", BilledCost: spot, EffectiveCost: spot, ListCost: list, ContractedCost: spot, SkuId: `SpotUsage:${n.instanceType}` }, from, to);
      } else {
        yield row({ ...a, ChargeDescription: `On-demand usage of ${n.instanceType}`, PricingCategory: "Standard", BilledCost: list, EffectiveCost: list, ListCost: list, ContractedCost: list, SkuId: `BoxUsage:${n.instanceType}` }, from, to);
      }
    }
    // The savings plan's hourly commitment, paid as it is used (fully used: every covered hour runs).
    if (spNodes.length) {
      yield row({ ...AWS, ...nulls, BillingCurrency: "USD", ChargeCategory: "Purchase", ChargeFrequency: "Recurring", ChargeDescription: "Savings Plan recurring fee", BilledCost: round(spHourly), EffectiveCost: 0, ListCost: round(spHourly), ContractedCost: round(spHourly), PricingCategory: "Committed", PricingQuantity: round(spHourly), PricingUnit: "USD", ConsumedQuantity: null, ConsumedUnit: null, CommitmentDiscountId: SAVINGS_PLAN_ID, CommitmentDiscountType: "Savings Plan", CommitmentDiscountCategory: "Spend", ServiceName: "Savings Plans for AWS Compute usage", ServiceCategory: "Compute", ResourceId: SAVINGS_PLAN_ID, ResourceName: null, ResourceType: "Savings Plan", RegionId: null, SkuId: "ComputeSavingsPlans", SubAccountId: "111122223333", SubAccountName: "payer", Tags: {} }, from, to);
    }
  }

  // Daily non-GPU lines.
  const days = Math.floor(hours / 24);
  for (let d = 0; d < days; d++) {
    const from = new Date(start.getTime() + d * 24 * HOUR);
    const to = new Date(from.getTime() + 24 * HOUR);
    const daily: Array<[typeof AWS | typeof GCP, string, string, string, number, Record<string, string>, string | null]> = [
      [AWS, "Amazon Simple Storage Service", "Storage", "S3 Standard storage (training datasets)", 300 + rng.between(0, 25), { team: "llm-research", env: "prod" }, "demo-datasets-bucket"],
      [AWS, "Amazon Elastic Block Store", "Storage", "EBS gp3 volumes", 92 + rng.between(0, 8), { team: "llm-research", env: "prod" }, null],
      [AWS, "AWS Data Transfer", "Networking", "Data transfer out to internet", 35 + rng.between(0, 45), {}, null],
      [AWS, "Amazon Elastic Compute Cloud", "Compute", "On-demand usage of m6i.4xlarge (6 CPU nodes)", 6 * 0.768 * 24, { team: "inference-platform", env: "prod" }, null],
      [AWS, "Amazon Elastic Kubernetes Service", "Compute", "EKS cluster hours", 2.4, { cluster: "aws-use1-training" }, "aws-use1-training"],
      [GCP, "Cloud Storage", "Storage", "Standard storage US multi-region", 118 + rng.between(0, 10), { team: "inference-platform" }, null],
      [GCP, "Networking", "Networking", "Network inter-zone egress", 22 + rng.between(0, 18), {}, null],
    ];
    for (const [p, service, category, desc, cost, tags, resource] of daily) {
      const c = round(cost, 4);
      yield row({ ...p, ...nulls, BillingCurrency: "USD", ChargeCategory: "Usage", ChargeFrequency: "Usage-Based", ChargeDescription: desc, BilledCost: c, EffectiveCost: c, ListCost: c, ContractedCost: c, PricingCategory: "Standard", PricingQuantity: null, PricingUnit: null, ConsumedQuantity: null, ConsumedUnit: null, ServiceName: service, ServiceCategory: category, ResourceId: resource, ResourceName: resource, ResourceType: resource ? "Bucket" : null, RegionId: p === AWS ? "us-east-1" : "us-central1", SkuId: null, SubAccountId: p === AWS ? "444455556666" : "demo-ml-prod", SubAccountName: p === AWS ? "ml-prod" : "demo-ml-prod", Tags: tags }, from, to);
    }
  }
  // A one-off credit in the middle of the window.
  if (credit && days > 3) {
    const from = new Date(start.getTime() + Math.floor(days / 2) * 24 * HOUR);
    yield row({ ...AWS, ...nulls, BillingCurrency: "USD", ChargeCategory: "Credit", ChargeFrequency: "One-Time", ChargeDescription: "AWS Activate credit", BilledCost: -500, EffectiveCost: -500, ListCost: -500, ContractedCost: -500, PricingCategory: null, PricingQuantity: null, PricingUnit: null, ConsumedQuantity: null, ConsumedUnit: null, ServiceName: "AWS Credits", ServiceCategory: "Other", ResourceId: null, ResourceName: null, ResourceType: null, RegionId: null, SkuId: null, SubAccountId: "111122223333", SubAccountName: "payer", Tags: {} }, from, new Date(from.getTime() + 24 * HOUR));
  }
}
