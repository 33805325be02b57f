// Settings → Connectors actions against the real database: create → list (credentials never returned)
// → update (blank credentials keep the stored ones) → disable → delete; and "Test connection" on a
// draft pointing at a closed loopback port reports the error instead of throwing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createPrisma, disconnectDb } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { orgActions } from "@/lib/actions";
import { listTelemetryConnectors } from "@/lib/telemetry/connectors";
import { openConnectorSecret } from "@/lib/telemetry/connector-secrets";
import { closeQueues } from "@/lib/queue/producers";
import type { SessionUser } from "@/lib/auth/session";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const run = randomBytes(3).toString("hex");
let admin: SessionUser;
let slug: string;
let orgId: string;

beforeAll(async () => {
  const email = `conn-admin-${run}@connectors.test`;
  const u = await prisma.user.create({ data: { email, name: "Conn Admin" } });
  admin = { id: u.id, email, name: "Conn Admin" };
  const org = await createOrg(prisma, { slug: `conn-${run}`, name: `Conn ${run}`, adminUserId: u.id });
  slug = org.slug;
  orgId = org.id;
});

afterAll(async () => {
  await closeQueues().catch(() => {});
  await prisma.$disconnect();
  await disconnectDb();
});

describe("telemetry connector actions", () => {
  it("create → list without secrets → update keeping credentials → disable → delete", async () => {
    const token = `tok-${run}-very-secret`;
    const created = await orgActions.createTelemetryConnector.asUser(admin)(slug, {
      kind: "PROMETHEUS",
      name: "gpu-prod",
      url: "http://127.0.0.1:9/prom",
      labelFilters: ["cluster=gpu-prod"],
      everySeconds: 600,
      auth: { mode: "bearer", token },
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const id = created.data.id;

    const row = await prisma.connector.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ orgId, kind: "PROMETHEUS", name: "gpu-prod", everySeconds: 600 });
    expect(row.config).toEqual({ url: "http://127.0.0.1:9/prom", labelFilters: [{ label: "cluster", op: "=", value: "gpu-prod" }] });
    expect(row.secretCiphertext).not.toBeNull();
    expect(row.secretCiphertext).not.toContain(token);
    expect(openConnectorSecret(row.secretCiphertext)).toEqual({ bearerToken: token });

    const list = await listTelemetryConnectors(prisma, { orgId });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id, name: "gpu-prod", url: "http://127.0.0.1:9/prom", hasCredentials: true, status: "NEVER_RUN", enabled: true });
    expect(JSON.stringify(list)).not.toContain(token);
    expect(JSON.stringify(created)).not.toContain(token);

    // Duplicate name: a conflict.
    const dup = await orgActions.createTelemetryConnector.asUser(admin)(slug, { kind: "OPENCOST", name: "gpu-prod", url: "http://127.0.0.1:9" });
    expect(dup).toMatchObject({ ok: false, error: { status: 409 } });

    const updated = await orgActions.updateTelemetryConnector.asUser(admin)(slug, {
      connectorId: id,
      name: "gpu-prod-2",
      url: "http://127.0.0.1:10/prom",
      labelFilters: [],
      everySeconds: 300,
      auth: { mode: "keep" },
    });
    expect(updated).toEqual({ ok: true, data: { id, name: "gpu-prod-2" } });
    const after = await prisma.connector.findUniqueOrThrow({ where: { id } });
    expect(after.config).toEqual({ url: "http://127.0.0.1:10/prom" });
    expect(after.everySeconds).toBe(300);
    expect(openConnectorSecret(after.secretCiphertext)).toEqual({ bearerToken: token });

    const removedAuth = await orgActions.updateTelemetryConnector.asUser(admin)(slug, { connectorId: id, name: "gpu-prod-2", url: "http://127.0.0.1:10/prom", auth: { mode: "none" } });
    expect(removedAuth.ok).toBe(true);
    expect((await prisma.connector.findUniqueOrThrow({ where: { id } })).secretCiphertext).toBeNull();

    const disabled = await orgActions.setTelemetryConnectorEnabled.asUser(admin)(slug, { connectorId: id, enabled: false });
    expect(disabled).toEqual({ ok: true, data: { id, enabled: false } });
    expect((await prisma.connector.findUniqueOrThrow({ where: { id } })).status).toBe("DISABLED");
    const enabled = await orgActions.setTelemetryConnectorEnabled.asUser(admin)(slug, { connectorId: id, enabled: true });
    expect(enabled.ok).toBe(true);
    expect((await prisma.connector.findUniqueOrThrow({ where: { id } })).status).toBe("NEVER_RUN");

    const deleted = await orgActions.deleteTelemetryConnector.asUser(admin)(slug, { connectorId: id });
    expect(deleted).toEqual({ ok: true, data: { deleted: id } });
    expect(await prisma.connector.findUnique({ where: { id } })).toBeNull();
    const again = await orgActions.deleteTelemetryConnector.asUser(admin)(slug, { connectorId: id });
    expect(again).toMatchObject({ ok: false, error: { status: 404 } });
  }, 30_000);

  it("test connection on a draft at a closed port reports the error", async () => {
    const res = await orgActions.testTelemetryConnection.asUser(admin)(slug, { draft: { kind: "PROMETHEUS", url: "http://127.0.0.1:9", auth: { mode: "none" } } });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.data.ok).toBe(false);
    if (res.data.ok) return;
    expect(res.data.error.length).toBeGreaterThan(0);
    expect(await prisma.connector.count({ where: { orgId } })).toBe(0);
  }, 30_000);

  it("invalid label filters and URLs are 422", async () => {
    const bad = await orgActions.createTelemetryConnector.asUser(admin)(slug, { kind: "PROMETHEUS", name: "bad", url: "http://127.0.0.1:9", labelFilters: ["no equals"] });
    expect(bad).toMatchObject({ ok: false, error: { status: 422 } });
    const badUrl = await orgActions.createTelemetryConnector.asUser(admin)(slug, { kind: "PROMETHEUS", name: "bad", url: "ftp://x" });
    expect(badUrl).toMatchObject({ ok: false, error: { status: 422 } });
  });
});
