// Settings → Connectors → Bill sources, the server actions against the real database, Redis and a
// loopback S3 (s3rver): create (credentials sealed) → test connection (saved and draft, a missing
// bucket fails) → update keeping the credentials → pull now (a pull job on the queue) → disable → delete.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orgActions } from "@/lib/actions";
import type { SessionUser } from "@/lib/auth/session";
import { decryptSecret } from "@/lib/crypto/secrets";
import { createPrisma, disconnectDb } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { listBillConnectors } from "@/lib/connectors/pull/bill-connectors";
import { QUEUES } from "@/lib/queue/contracts";
import { closeQueues } from "@/lib/queue/producers";
import { type LoopbackS3, S3RVER_CREDENTIALS, startS3rver } from "../support/s3rver";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const run = randomBytes(3).toString("hex");
const queue = new Queue(QUEUES.ingestBills, { connection: { url: process.env.REDIS_URL! }, prefix: process.env.QUEUE_PREFIX! });
let admin: SessionUser;
let slug: string;
let orgId: string;
let dir: string;
let s3: LoopbackS3;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "bill-actions-"));
  s3 = await startS3rver({ directory: path.join(dir, "s3") });
  await s3.put("cur/acme/BILLING_PERIOD=2024-09/acme-00001.csv.gz", "x");
  await s3.put("cur/acme/BILLING_PERIOD=2024-09/acme-Manifest.json", "{}");
  const email = `bill-admin-${run}@connectors.test`;
  const u = await prisma.user.create({ data: { email, name: "Bill Admin" } });
  admin = { id: u.id, email, name: "Bill Admin" };
  const org = await createOrg(prisma, { slug: `bills-${run}`, name: `Bills ${run}`, adminUserId: u.id });
  slug = org.slug;
  orgId = org.id;
});

afterAll(async () => {
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  await closeQueues().catch(() => {});
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
  await prisma.$disconnect();
  await disconnectDb();
});

describe("bill connector actions", () => {
  it("create → test → update keeping credentials → pull now → disable → delete", async () => {
    const created = await orgActions.createBillConnector.asUser(admin)(slug, {
      kind: "BILL_S3",
      name: "CUR export",
      bucket: s3.bucket,
      prefix: "cur/acme/",
      endpoint: s3.endpoint,
      format: "",
      everySeconds: "1800",
      credentials: { mode: "s3", ...S3RVER_CREDENTIALS },
    });
    expect(created).toMatchObject({ ok: true, data: { name: "CUR export" } });
    if (!created.ok) return;
    const id = created.data.id;
    const row = await prisma.connector.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ orgId, kind: "BILL_S3", everySeconds: 1800, config: { bucket: "bills", prefix: "cur/acme/", endpoint: s3.endpoint, region: "us-east-1" } });
    expect(row.secretCiphertext).not.toContain(S3RVER_CREDENTIALS.secretAccessKey);
    expect(JSON.parse(decryptSecret(row.secretCiphertext!, process.env.ENCRYPTION_KEY!))).toEqual(S3RVER_CREDENTIALS);
    const listed = await listBillConnectors(prisma, orgId);
    expect(listed).toEqual([expect.objectContaining({ id, hasSecret: true, status: "NEVER_RUN" })]);
    expect(JSON.stringify(listed)).not.toContain(S3RVER_CREDENTIALS.secretAccessKey);

    // The saved connector: two objects under the prefix, one bill file (the manifest is not one).
    const saved = await orgActions.testBillConnection.asUser(admin)(slug, { connectorId: id });
    expect(saved).toMatchObject({ ok: true, data: { ok: true, details: { objects: 2, matching: 1, newest: ["cur/acme/BILLING_PERIOD=2024-09/acme-00001.csv.gz"] } } });
    // A draft naming a bucket that does not exist answers with the error rather than throwing (s3rver
    // does not check signatures, so a wrong key cannot be the failure here).
    const wrong = await orgActions.testBillConnection.asUser(admin)(slug, {
      draft: { kind: "BILL_S3", bucket: "no-such-bucket", prefix: "cur/", endpoint: s3.endpoint, credentials: { mode: "s3", ...S3RVER_CREDENTIALS } },
    });
    expect(wrong).toMatchObject({ ok: true, data: { ok: false, error: expect.stringContaining("NoSuchBucket") } });
    // The edit form's draft with "keep" uses the stored key.
    const kept = await orgActions.testBillConnection.asUser(admin)(slug, { connectorId: id, draft: { bucket: s3.bucket, prefix: "cur/", endpoint: s3.endpoint, credentials: { mode: "keep" } } });
    expect(kept).toMatchObject({ ok: true, data: { ok: true, details: { objects: 2 } } });

    const updated = await orgActions.updateBillConnector.asUser(admin)(slug, { connectorId: id, name: "CUR export (acme)", bucket: s3.bucket, prefix: "cur/", endpoint: s3.endpoint, everySeconds: 3600, credentials: { mode: "keep" } });
    expect(updated).toMatchObject({ ok: true, data: { name: "CUR export (acme)" } });
    const afterUpdate = await prisma.connector.findUniqueOrThrow({ where: { id } });
    expect(afterUpdate).toMatchObject({ name: "CUR export (acme)", everySeconds: 3600, secretCiphertext: row.secretCiphertext, config: { prefix: "cur/" } });

    const pull = await orgActions.runBillConnectorNow.asUser(admin)(slug, { connectorId: id });
    expect(pull.ok).toBe(true);
    if (!pull.ok) return;
    const job = await queue.getJob(pull.data.jobId);
    expect(job?.data).toMatchObject({ kind: "pull", orgId, connectorId: id, cause: "manual" });

    expect(await orgActions.setBillConnectorEnabled.asUser(admin)(slug, { connectorId: id, enabled: false })).toMatchObject({ ok: true, data: { enabled: false } });
    expect(await prisma.connector.findUniqueOrThrow({ where: { id } })).toMatchObject({ enabled: false, status: "DISABLED" });
    expect(await orgActions.runBillConnectorNow.asUser(admin)(slug, { connectorId: id })).toMatchObject({ ok: false, error: { status: 422 } });
    // Enabled again: back to the status its history says (never pulled yet).
    expect(await orgActions.setBillConnectorEnabled.asUser(admin)(slug, { connectorId: id, enabled: true })).toMatchObject({ ok: true, data: { enabled: true } });
    expect(await prisma.connector.findUniqueOrThrow({ where: { id } })).toMatchObject({ enabled: true, status: "NEVER_RUN" });

    expect(await orgActions.deleteBillConnector.asUser(admin)(slug, { connectorId: id })).toMatchObject({ ok: true });
    expect(await prisma.connector.findUnique({ where: { id } })).toBeNull();
    expect(await orgActions.deleteBillConnector.asUser(admin)(slug, { connectorId: id })).toMatchObject({ ok: false, error: { status: 404 } });
  }, 60_000);

  it("rejects incomplete settings and credentials of the wrong kind (422), storing nothing", async () => {
    const before = await prisma.connector.count({ where: { orgId } });
    const noBucket = await orgActions.createBillConnector.asUser(admin)(slug, { kind: "BILL_S3", name: "no bucket" });
    expect(noBucket).toMatchObject({ ok: false, error: { status: 422 } });
    const badUrl = await orgActions.createBillConnector.asUser(admin)(slug, { kind: "BILL_HTTPS", name: "ftp", url: "ftp://example.invalid/x.csv" });
    expect(badUrl).toMatchObject({ ok: false, error: { status: 422 } });
    const wrongKind = await orgActions.createBillConnector.asUser(admin)(slug, { kind: "BILL_S3", name: "token on s3", bucket: "bills", credentials: { mode: "bearer", token: "t" } });
    expect(wrongKind).toMatchObject({ ok: false, error: { status: 422 } });
    expect(await prisma.connector.count({ where: { orgId } })).toBe(before);
  });
});
