// Raising an alert: insert the event under its dedup key and, in the same transaction, one delivery
// row per routed channel. The unique (org_id, dedup_key) makes this the exactly-once point: two
// evaluations racing on the same crossing both INSERT ... ON CONFLICT DO NOTHING, one gets the row,
// the other gets nothing back and queues nothing. Delivery jobs are queued after commit; a crash in
// between leaves PENDING rows that the next evaluation re-queues (job id = delivery id).
import type { AlertKind, PrismaClient, Severity } from "../db/client";
import type { Producers } from "../queue/producers";
import type { AlertPayload } from "./payload";
import { channelMatches } from "./routing";

export type RaiseInput = {
  orgId: string;
  kind: AlertKind;
  severity: Severity;
  dedupKey: string;
  title: string;
  payload: AlertPayload;
  budgetId?: string | null;
  sloBreachId?: string | null;
  /** Deliver only to these channels (a resolve goes where its breach went); default: routing. */
  channelIds?: string[];
  now: Date;
};

export type Raised = { eventId: string; deliveryIds: string[] } | null;

export async function raiseAlert(prisma: PrismaClient, input: RaiseInput): Promise<Raised> {
  return prisma.$transaction(async (tx) => {
    const created = await tx.alertEvent.createManyAndReturn({
      data: [
        {
          orgId: input.orgId,
          kind: input.kind,
          severity: input.severity,
          dedupKey: input.dedupKey,
          title: input.title,
          payload: input.payload,
          budgetId: input.budgetId ?? null,
          sloBreachId: input.sloBreachId ?? null,
          createdAt: input.now,
        },
      ],
      skipDuplicates: true,
      select: { id: true },
    });
    const event = created[0];
    if (!event) return null;
    if (input.payload.superseded) return { eventId: event.id, deliveryIds: [] };
    const channels = await tx.alertChannel.findMany({ where: { orgId: input.orgId, kind: "SLACK" }, orderBy: { createdAt: "asc" } });
    const targets = input.channelIds
      ? channels.filter((c) => c.enabled && input.channelIds!.includes(c.id))
      : channels.filter((c) => channelMatches(c, { severity: input.severity, scope: input.payload.scope }));
    if (targets.length === 0) return { eventId: event.id, deliveryIds: [] };
    const deliveries = await tx.delivery.createManyAndReturn({
      data: targets.map((c) => ({ orgId: input.orgId, alertEventId: event.id, channelId: c.id, kind: "SLACK" as const, target: c.name, dedupKey: `alert:${event.id}:${c.id}` })),
      skipDuplicates: true,
      select: { id: true },
    });
    return { eventId: event.id, deliveryIds: deliveries.map((d) => d.id) };
  });
}

/** Queues every PENDING delivery of the org (new ones, and any left behind by a crash before queueing). */
export async function queuePendingDeliveries(prisma: PrismaClient, producers: Producers, orgId: string): Promise<number> {
  const pending = await prisma.delivery.findMany({ where: { orgId, status: "PENDING", kind: "SLACK", alertEventId: { not: null } }, select: { id: true }, take: 1000 });
  await producers.enqueueDeliveries(pending.map((d) => ({ orgId, deliveryId: d.id })));
  return pending.length;
}
