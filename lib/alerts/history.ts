// The alert history: every alert event with its deliveries, and every digest email, newest first.
import type { PrismaClient } from "../db/client";
import type { AlertPayload } from "./payload";

export type HistoryDelivery = { id: string; kind: "SLACK" | "EMAIL"; target: string; status: string; attempts: number; responseCode: number | null; error: string | null; sentAt: string | null; updatedAt: string };
export type HistoryItem =
  | { type: "alert"; id: string; at: string; kind: string; severity: string; title: string; summary: string; path: string; superseded: boolean; deliveries: HistoryDelivery[] }
  | { type: "digest" | "test"; id: string; at: string; title: string; deliveries: HistoryDelivery[] };

function delivery(d: { id: string; kind: "SLACK" | "EMAIL"; target: string; status: string; attempts: number; responseCode: number | null; lastError: string | null; sentAt: Date | null; updatedAt: Date }): HistoryDelivery {
  return { id: d.id, kind: d.kind, target: d.target, status: d.status, attempts: d.attempts, responseCode: d.responseCode, error: d.lastError, sentAt: d.sentAt?.toISOString() ?? null, updatedAt: d.updatedAt.toISOString() };
}

export async function alertHistory(prisma: PrismaClient, { orgId, from, to, limit = 500 }: { orgId: string; from: Date; to: Date; limit?: number }): Promise<HistoryItem[]> {
  const [events, loose] = await Promise.all([
    prisma.alertEvent.findMany({ where: { orgId, createdAt: { gte: from, lt: to } }, include: { deliveries: { orderBy: { createdAt: "asc" } } }, orderBy: { createdAt: "desc" }, take: limit }),
    prisma.delivery.findMany({ where: { orgId, alertEventId: null, createdAt: { gte: from, lt: to } }, orderBy: { createdAt: "desc" }, take: limit }),
  ]);
  const items: HistoryItem[] = events.map((e) => {
    const p = e.payload as unknown as AlertPayload;
    return { type: "alert", id: e.id, at: e.createdAt.toISOString(), kind: e.kind, severity: e.severity, title: e.title, summary: p.summary ?? "", path: p.path ?? "", superseded: Boolean(p.superseded), deliveries: e.deliveries.map(delivery) };
  });
  for (const d of loose) {
    const isDigest = d.dedupKey.startsWith("digest:");
    items.push({
      type: isDigest ? "digest" : "test",
      id: d.id,
      at: d.createdAt.toISOString(),
      title: isDigest ? (d.subject ?? `Weekly digest ${d.dedupKey.split(":").pop()}`) : `Test message to ${d.target}`,
      deliveries: [delivery(d)],
    });
  }
  return items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
}
