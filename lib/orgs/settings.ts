// Reading and changing an org's settings. A changed idle threshold goes through setIdleThreshold (it
// stales the daily rollup's days in the same transaction) and the windows it returns are queued for a
// rebuild; the other fields are a plain update.
import type { PrismaClient } from "../db/client";
import { logger } from "../log";
import { setIdleThreshold } from "../costs/idle-threshold";
import { conflict, notFound } from "../http/errors";
import { fractionToPercent, type OrgSettingsInput, type OrgSettingsView } from "../domain/org-settings";

export async function loadOrgSettings(prisma: PrismaClient, orgId: string): Promise<OrgSettingsView> {
  const org = await prisma.org.findUnique({ where: { id: orgId } });
  if (!org) throw notFound("Organization not found");
  const bill = await prisma.billLineItem.findFirst({ where: { orgId }, select: { id: true } });
  return {
    name: org.name,
    slug: org.slug,
    currency: org.currency,
    currencyLocked: bill !== null,
    idleThresholdPercent: fractionToPercent(org.idleThreshold.toString()),
    teamTagKey: org.teamTagKey,
    runLabelKeys: org.runLabelKeys,
  };
}

export type SaveOrgSettingsResult = {
  settings: OrgSettingsView;
  idleThresholdChanged: boolean;
  staleDays: number;
  rebuildJobIds: string[];
};

export async function saveOrgSettings(
  prisma: PrismaClient,
  {
    orgId,
    input,
    enqueueRebuild,
  }: { orgId: string; input: OrgSettingsInput; enqueueRebuild: (w: { orgId: string; from: Date; to: Date }) => Promise<string[]> },
): Promise<SaveOrgSettingsResult> {
  const before = await loadOrgSettings(prisma, orgId);
  if (input.currency !== before.currency && before.currencyLocked) {
    throw conflict(`The reporting currency is ${before.currency}: bills have been imported in it, so it can no longer change`);
  }
  await prisma.org.update({
    where: { id: orgId },
    data: { name: input.name, currency: input.currency, teamTagKey: input.teamTagKey, runLabelKeys: input.runLabelKeys },
  });
  let staleDays = 0;
  const rebuildJobIds: string[] = [];
  const idleThresholdChanged = input.idleThresholdPercent !== before.idleThresholdPercent;
  if (idleThresholdChanged) {
    const res = await setIdleThreshold(prisma, { orgId, idleThreshold: input.idleThresholdPercent / 100 });
    staleDays = res.staleDays;
    // Until these jobs run, reports read the stale days hour by hour with the new threshold. The change
    // is committed: if the queue is unreachable, the rollups fan-out queues the stale days later.
    try {
      for (const w of res.rebuild) rebuildJobIds.push(...(await enqueueRebuild({ orgId, from: w.from, to: w.to })));
    } catch (err) {
      logger.warn({ err, orgId }, "idle threshold changed; rebuild of the stale days not queued (the rollups fan-out will)");
    }
  }
  return { settings: await loadOrgSettings(prisma, orgId), idleThresholdChanged, staleDays, rebuildJobIds };
}
