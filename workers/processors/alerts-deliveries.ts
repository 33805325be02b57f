// The deliveries queue: one job per delivery row (an alert to one Slack channel). Retries of 429/5xx
// are scheduled here, not by BullMQ's backoff, so Slack's Retry-After is honoured: the job is moved
// back to delayed for exactly that long and the attempt is counted on the delivery row.
import { DelayedError, type Job, UnrecoverableError } from "bullmq";
import { z } from "zod";
import { deliverOne } from "@/lib/alerts/deliver";
import { env } from "@/lib/env";
import { deliveryPayloadSchema, QUEUES } from "@/lib/queue/contracts";
import type { ProcessorContext, ProcessorDefinition } from "./types";

export const deliveriesProcessor: ProcessorDefinition = {
  queue: QUEUES.deliveries,
  async process(job: Job, ctx: ProcessorContext) {
    const parsed = deliveryPayloadSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`Invalid ${QUEUES.deliveries} payload: ${z.prettifyError(parsed.error)}`);
    const e = env();
    if (!e.ENCRYPTION_KEY) throw new UnrecoverableError("ENCRYPTION_KEY is not set: webhook URLs cannot be read");
    const result = await deliverOne(ctx.prisma, {
      orgId: parsed.data.orgId,
      deliveryId: parsed.data.deliveryId,
      now: ctx.now,
      config: { encryptionKey: e.ENCRYPTION_KEY, appUrl: e.APP_URL, retryBaseMs: e.ALERT_RETRY_BASE_MS, maxAttempts: e.ALERT_MAX_ATTEMPTS },
    });
    if (result.outcome === "retry") {
      ctx.log.warn({ deliveryId: parsed.data.deliveryId, delayMs: result.delayMs, error: result.error }, "delivery will be retried");
      await job.moveToDelayed(Date.now() + result.delayMs, job.token);
      throw new DelayedError();
    }
    return result;
  },
};
