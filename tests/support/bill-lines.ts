// Minimal FOCUS-shaped bill lines for tests that need spend in bill_line_items.
import type { PrismaClient } from "@/lib/db/client";

export type TestLine = {
  day: string;
  cost: string;
  currency?: string;
  team?: string;
  service?: string;
  gpuModel?: string;
  resourceId?: string;
  tags?: Record<string, string>;
};

export async function insertBillLines(prisma: PrismaClient, orgId: string, lines: TestLine[]) {
  await prisma.billLineItem.createMany({
    data: lines.map((l) => {
      const start = new Date(`${l.day}T00:00:00Z`);
      const monthStart = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1));
      const monthEnd = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
      return {
        orgId,
        sourceFormat: "focus-1.2",
        providerName: "AWS",
        billingAccountId: "111122223333",
        billingCurrency: l.currency ?? "USD",
        billingPeriodStart: monthStart,
        billingPeriodEnd: monthEnd,
        chargePeriodStart: start,
        chargePeriodEnd: new Date(start.getTime() + 86_400_000),
        chargeCategory: "Usage",
        billedCost: l.cost,
        effectiveCost: l.cost,
        serviceName: l.service ?? "Amazon Elastic Compute Cloud",
        gpuModel: l.gpuModel ?? null,
        resourceId: l.resourceId ?? null,
        tags: { ...(l.team ? { team: l.team } : {}), ...l.tags },
      };
    }),
  });
}
