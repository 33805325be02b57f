// The digests queue: the hourly fan-out queues one send per subscription whose day and hour (in the
// user's time zone) came in the last 24 hours; a send builds and mails one digest, claimed once in
// the database per user, org and ISO week (see lib/digest/send.ts).
import { type Job, UnrecoverableError } from "bullmq";
import { z } from "zod";
import { dueSlot } from "@/lib/digest/schedule";
import { mailerFromEnv } from "@/lib/digest/mailer";
import { sendDigest, type DigestMailer } from "@/lib/digest/send";
import { env } from "@/lib/env";
import { digestsPayloadSchema, QUEUES } from "@/lib/queue/contracts";
import type { ProcessorContext, ProcessorDefinition } from "./types";

let mailer: DigestMailer | null | undefined;

export const digestsProcessor: ProcessorDefinition = {
  queue: QUEUES.digests,
  async process(job: Job, ctx: ProcessorContext) {
    const parsed = digestsPayloadSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`Invalid ${QUEUES.digests} payload: ${z.prettifyError(parsed.error)}`);
    const now = ctx.now();
    if (parsed.data.kind === "fan-out") {
      // Without SMTP nothing can be sent: queueing sends would only fill the failed set.
      if (!env().SMTP_HOST) return { kind: "fan-out" as const, skipped: "SMTP_HOST is not set" };
      const subs = await ctx.prisma.digestSubscription.findMany({ where: { enabled: true }, select: { id: true, orgId: true, dayOfWeek: true, hour: true, timezone: true } });
      const due = subs.flatMap((s) => {
        const slot = dueSlot(s, now);
        return slot ? [{ orgId: s.orgId, subscriptionId: s.id, week: slot.week }] : [];
      });
      const jobIds = await ctx.producers.enqueueDigestSends(due);
      return { kind: "fan-out" as const, subscriptions: subs.length, due: due.length, jobIds };
    }
    // One transport per process (it pools nothing by default; creating it reads env once).
    mailer ??= mailerFromEnv();
    if (!mailer) throw new UnrecoverableError("SMTP_HOST is not set: digests cannot be sent");
    const { orgId, subscriptionId, week } = parsed.data;
    return sendDigest(ctx.prisma, { orgId, subscriptionId, week, now, claimant: job.id ?? `${subscriptionId}:${week}`, mailer, appUrl: env().APP_URL });
  },
};
