// Weekly digests through a real SMTP server on loopback: content and figures, HTML + text parts,
// one-click unsubscribe headers, and exactly one email per user and week under retries and races.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { rebuildDailyRollups } from "@/lib/costs/daily-rollup";
import { sendDigest } from "@/lib/digest/send";
import { findByUnsubscribeToken, unsubscribeByToken, unsubscribeToken } from "@/lib/digest/unsubscribe";
import { createProducers, type Producers } from "@/lib/queue/producers";
import { JOB_NAMES, QUEUES } from "@/lib/queue/contracts";
import { digestsProcessor } from "@/workers/processors/digest";
import { type RunningWorker, startWorker } from "@/workers/start-worker";
import { Queue } from "bullmq";
import { insertBillLines } from "../support/bill-lines";
import { startInbox, type Inbox } from "../support/smtp-inbox";

process.env.LOG_LEVEL ??= "warn";
const redisUrl = process.env.REDIS_URL!;
const prefix = process.env.QUEUE_PREFIX!;
const prisma = createPrisma(process.env.DATABASE_URL!, 6);
const APP = "http://burnrate.test";
// Monday 2026-11-30, 08:02 in Paris (07:02 UTC): the digest covers [11-23, 11-30) against [11-16, 11-23).
const NOW = new Date("2026-11-30T07:02:00Z");
let inbox: Inbox;
let producers: Producers;

async function world(label: string) {
  const user = await prisma.user.create({ data: { email: `${label}-${randomBytes(3).toString("hex")}@digest.test`, name: "Dana Digest" } });
  const org = await createOrg(prisma, { slug: `dg-${label}-${randomBytes(3).toString("hex")}`, name: `Digest ${label}`, adminUserId: user.id });
  const sub = await prisma.digestSubscription.create({ data: { orgId: org.id, userId: user.id, dayOfWeek: 1, hour: 8, timezone: "Europe/Paris" } });
  return { user, org, sub };
}

async function richWorld(label: string) {
  const w = await world(label);
  // Last week 7 × 100 = 700; this week 7 × 130 = 910 (+210, +30%).
  const lines = [];
  for (let i = 0; i < 7; i++) {
    lines.push({ day: `2026-11-${String(16 + i).padStart(2, "0")}`, cost: "100" });
    lines.push({ day: `2026-11-${String(23 + i).padStart(2, "0")}`, cost: "130" });
  }
  await insertBillLines(prisma, w.org.id, lines);
  await prisma.budget.create({ data: { orgId: w.org.id, name: "Cloud", amount: "2500", currency: "USD" } });
  // GPU week: one GPU at $6.88/h for 10 hours on 11-25: 4 idle hours (1%), 6 hours at 80%.
  const gpu = await prisma.gpu.create({ data: { orgId: w.org.id, uuid: `GPU-${label}`, model: "H100" } });
  await prisma.gpuHourly.createMany({
    data: Array.from({ length: 10 }, (_, i) => ({ orgId: w.org.id, gpuId: gpu.id, hour: new Date(Date.UTC(2026, 10, 25, i)), utilization: i < 4 ? 0.01 : 0.8, rate: "6.88", currency: "USD" })),
  });
  // Reports read whole days from the daily rollup, which the rollup job keeps in step with the hours.
  await prisma.$transaction((tx) => rebuildDailyRollups(tx, { orgId: w.org.id, dayFrom: new Date("2026-11-25T00:00:00Z"), dayTo: new Date("2026-11-26T00:00:00Z") }));
  for (const [i, savings] of ["1200", "5400.5", "300", "880"].entries()) {
    await prisma.recommendation.create({ data: { orgId: w.org.id, kind: "reclaim-idle", fingerprint: `fp-${i}`, title: `Recommendation ${i}`, monthlySavings: savings } });
  }
  await prisma.recommendation.create({ data: { orgId: w.org.id, kind: "quantize", fingerprint: "fp-dismissed", title: "Dismissed one", monthlySavings: "99999", status: "DISMISSED" } });
  const slo = await prisma.sloDefinition.create({ data: { orgId: w.org.id, name: "Chat API success", kind: "SUCCESS_RATIO", objective: 0.99 } });
  await prisma.sloBreach.create({ data: { orgId: w.org.id, sloId: slo.id, startedAt: new Date("2026-11-26T10:00:00Z"), endedAt: new Date("2026-11-26T12:00:00Z"), worstValue: 0.8, errorBudgetConsumed: 0.25 } });
  return w;
}

const mailer = () => ({ transport: inbox.transport(), from: "Burnrate <digest@burnrate.test>" });
const forUser = (email: string) => inbox.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((t) => t?.text.includes(email)));

beforeAll(async () => {
  inbox = await startInbox();
  producers = createProducers({ redisUrl, prefix });
  process.env.SMTP_HOST = "127.0.0.1";
  process.env.SMTP_PORT = String(inbox.port);
  process.env.APP_URL = APP;
});

afterAll(async () => {
  await producers?.close();
  await inbox?.close();
  await prisma.$disconnect();
});

describe("weekly digest by email", () => {
  it("arrives with the week's figures, an HTML and a text part, and one-click unsubscribe headers", async () => {
    const w = await richWorld("content");
    const r = await sendDigest(prisma, { orgId: w.org.id, subscriptionId: w.sub.id, week: "2026-W49", now: NOW, claimant: "job-1", mailer: mailer(), appUrl: APP });
    expect(r.outcome).toBe("sent");
    const [mail] = await inbox.waitFor(1).then(() => forUser(w.user.email));
    expect(mail!.subject).toBe(`Burnrate weekly digest for ${w.org.name} (2026-W49): $910.00 spent`);
    const text = mail!.text!;
    expect(text).toContain("This week: $910.00, up $210.00 (+30.0%) from $700.00 the week before.");
    // Budget: November so far (to the 30th 00:00) = 700 + 910 = 1,610 of 2,500 = 64.4%.
    expect(text).toContain("- Cloud (Whole organization, 2026-11): $1,610.00 of $2,500.00 (64.4%)");
    // GPUs: (4 × 0.01 + 6 × 0.8) / 10 = 48.4%; idle 4 GPU-hours × $6.88 = $27.52.
    expect(text).toContain("Mean utilization: 48.4% over 10.0 GPU-hours.");
    expect(text).toContain("Idle: 4.0 GPU-hours costing $27.52.");
    // Top 3 open recommendations by monthly savings (the dismissed one is left out).
    expect(text).toContain("1. Recommendation 1: saves $5,400.50 per month\n2. Recommendation 0: saves $1,200.00 per month\n3. Recommendation 3: saves $880.00 per month");
    expect(text).toContain("- Chat API success (success ratio ≥ 99%): 2026-11-26 10:00 to 2026-11-26 12:00 UTC, worst 80%, 25.0% of the error budget");
    expect(text).toContain(`${APP}/${w.org.slug}/budgets`);
    const html = String(mail!.html);
    expect(html).toContain("$910.00");
    expect(html).toContain("Recommendation 1");
    expect(html).toContain(`href="${APP}/${w.org.slug}/slos"`);
    const token = unsubscribeToken(w.sub.id);
    // Header lines as sent, unfolded (RFC 5322: a line break followed by white space is a fold).
    const header = (name: string) => mail!.headerLines.find((l) => l.key === name)?.line.replace(/\r?\n[ \t]+/g, " ");
    expect(header("list-unsubscribe")).toBe(`List-Unsubscribe: <${APP}/unsubscribe/${token}/one-click>`);
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(text).toContain(`Unsubscribe: ${APP}/unsubscribe/${token}`);
    const d = await prisma.delivery.findFirstOrThrow({ where: { orgId: w.org.id, kind: "EMAIL" } });
    expect(d).toMatchObject({ status: "SENT", target: w.user.email, dedupKey: `digest:${w.user.id}:2026-W49`, attempts: 1 });

    // The unsubscribe link finds the subscription and turns it off; the next send is skipped.
    expect((await findByUnsubscribeToken(prisma, token))?.id).toBe(w.sub.id);
    expect(await unsubscribeByToken(prisma, token)).toEqual({ orgName: w.org.name, email: w.user.email });
    const again = await sendDigest(prisma, { orgId: w.org.id, subscriptionId: w.sub.id, week: "2026-W50", now: NOW, claimant: "job-2", mailer: mailer(), appUrl: APP });
    expect(again).toMatchObject({ outcome: "skipped", reason: "unsubscribed" });
  });

  it("a job retried after a crash past the SMTP hand-off sends no duplicate", async () => {
    const w = await world("crash-after");
    const crash = () => Promise.reject(new Error("worker killed"));
    await expect(sendDigest(prisma, { orgId: w.org.id, subscriptionId: w.sub.id, week: "2026-W49", now: NOW, claimant: "digest-job-a", mailer: mailer(), appUrl: APP, afterHandOff: crash })).rejects.toThrow("worker killed");
    await inbox.waitFor(1);
    const retry = await sendDigest(prisma, { orgId: w.org.id, subscriptionId: w.sub.id, week: "2026-W49", now: NOW, claimant: "digest-job-a", mailer: mailer(), appUrl: APP });
    expect(retry).toMatchObject({ outcome: "skipped", reason: "interrupted after hand-off" });
    await new Promise((r) => setTimeout(r, 200));
    expect(forUser(w.user.email)).toHaveLength(1);
  });

  it("a job retried after a crash before the hand-off sends exactly once; another claimant waits out the lease", async () => {
    const w = await world("crash-before");
    // A first attempt claimed the digest and died while building it.
    await prisma.delivery.create({ data: { orgId: w.org.id, kind: "EMAIL", target: w.user.email, dedupKey: `digest:${w.user.id}:2026-W49`, claimToken: "digest-job-b", claimedAt: NOW } });
    const other = await sendDigest(prisma, { orgId: w.org.id, subscriptionId: w.sub.id, week: "2026-W49", now: NOW, claimant: "someone-else", mailer: mailer(), appUrl: APP });
    expect(other).toMatchObject({ outcome: "skipped", reason: "claimed by another worker" });
    const retry = await sendDigest(prisma, { orgId: w.org.id, subscriptionId: w.sub.id, week: "2026-W49", now: NOW, claimant: "digest-job-b", mailer: mailer(), appUrl: APP });
    expect(retry.outcome).toBe("sent");
    const late = await sendDigest(prisma, { orgId: w.org.id, subscriptionId: w.sub.id, week: "2026-W49", now: new Date(NOW.getTime() + 3_600_000), claimant: "someone-else", mailer: mailer(), appUrl: APP });
    expect(late).toMatchObject({ outcome: "skipped", reason: "already SENT" });
    await new Promise((r) => setTimeout(r, 200));
    expect(forUser(w.user.email)).toHaveLength(1);
  });

  it("two workers sending the same digest at once send one email", async () => {
    const w = await world("race");
    const results = await Promise.all(
      ["w1", "w2", "w3"].map((claimant) => sendDigest(prisma, { orgId: w.org.id, subscriptionId: w.sub.id, week: "2026-W49", now: NOW, claimant, mailer: mailer(), appUrl: APP })),
    );
    expect(results.filter((r) => r.outcome === "sent")).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(forUser(w.user.email)).toHaveLength(1);
  });

  it("the worker's hourly fan-out sends each due digest once, through the queue", async () => {
    const w = await richWorld("worker");
    // Not due: Tuesday 08:00 in Paris.
    const notDue = await world("not-due");
    await prisma.digestSubscription.update({ where: { id: notDue.sub.id }, data: { dayOfWeek: 2 } });
    const worker: RunningWorker = await startWorker({
      redisUrl,
      prefix,
      prisma,
      queues: [{ queue: QUEUES.digests, concurrency: 2 }],
      healthPort: 0,
      healthHost: "127.0.0.1",
      registerSchedules: false,
      now: () => NOW,
      processors: { [QUEUES.digests]: digestsProcessor },
    });
    const queue = new Queue(QUEUES.digests, { connection: { url: redisUrl }, prefix });
    try {
      // Two fan-outs (an overlap, a retry): the send job id is per subscription and week.
      await queue.add(JOB_NAMES.digests.fanOut, { kind: "fan-out" }, { jobId: "fan-out-1" });
      await queue.add(JOB_NAMES.digests.fanOut, { kind: "fan-out" }, { jobId: "fan-out-2" });
      const deadline = Date.now() + 15_000;
      while (forUser(w.user.email).length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 500));
      expect(forUser(w.user.email)).toHaveLength(1);
      expect(forUser(notDue.user.email)).toHaveLength(0);
      expect(forUser(w.user.email)[0]!.subject).toContain("(2026-W49): $910.00 spent");
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
