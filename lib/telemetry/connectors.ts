// Creating, listing and describing telemetry connectors (CLI now, the Settings page later).
// Config is validated by the connector kind's schema; credentials are sealed before they are stored
// and never returned.
import { z } from "zod";
import type { ConnectorSummary } from "@/lib/domain/connectors";
import type { Connector, PrismaClient } from "@/lib/db/client";
import { openCostConfigSchema } from "@/lib/connectors/opencost/config";
import { prometheusConfigSchema } from "@/lib/connectors/prometheus/config";
import { type ConnectorSecret, sealConnectorSecret } from "./connector-secrets";
import { createDriver, TELEMETRY_CONNECTOR_KINDS, type TelemetryConnectorKind } from "./drivers";

export const DEFAULT_EVERY_SECONDS = 300;

export type CreateTelemetryConnectorInput = {
  orgId: string;
  kind: TelemetryConnectorKind;
  name?: string;
  config: Record<string, unknown>;
  secret?: ConnectorSecret;
  everySeconds?: number;
  encryptionKey?: string;
};

export function configSchemaFor(kind: TelemetryConnectorKind) {
  return kind === "PROMETHEUS" ? prometheusConfigSchema : openCostConfigSchema;
}

export async function createTelemetryConnector(prisma: PrismaClient, input: CreateTelemetryConnectorInput): Promise<Connector> {
  const parsed = configSchemaFor(input.kind).safeParse(input.config);
  if (!parsed.success) throw Object.assign(new Error(`Invalid ${input.kind.toLowerCase()} connector settings: ${z.prettifyError(parsed.error)}`), { code: "unprocessable" });
  const everySeconds = input.everySeconds ?? DEFAULT_EVERY_SECONDS;
  if (!Number.isInteger(everySeconds) || everySeconds < 60 || everySeconds > 86_400) {
    throw Object.assign(new Error("everySeconds must be a whole number of seconds from 60 to 86400"), { code: "unprocessable" });
  }
  const secretCiphertext = input.secret ? sealConnectorSecret(input.secret, input.encryptionKey) : null;
  const url = new URL(parsed.data.url);
  const name = input.name ?? `${input.kind.toLowerCase()} ${url.host}`;
  if (await prisma.connector.findFirst({ where: { orgId: input.orgId, name }, select: { id: true } })) {
    throw Object.assign(new Error(`A connector named "${name}" already exists in this organization`), { code: "conflict" });
  }
  // Store what was given (defaults stay implicit, so improving a default reaches existing connectors).
  return prisma.connector.create({
    data: { orgId: input.orgId, kind: input.kind, name, config: input.config as object, secretCiphertext, everySeconds },
  });
}

export type { ConnectorSummary };

export async function listTelemetryConnectors(prisma: PrismaClient, { orgId, now = new Date() }: { orgId: string; now?: Date }): Promise<ConnectorSummary[]> {
  const rows = await prisma.connector.findMany({
    where: { orgId, kind: { in: [...TELEMETRY_CONNECTOR_KINDS] } },
    orderBy: [{ kind: "asc" }, { name: "asc" }],
  });
  return rows.map((c) => ({
    id: c.id,
    kind: c.kind,
    name: c.name,
    url: typeof (c.config as { url?: unknown })?.url === "string" ? (c.config as { url: string }).url : null,
    enabled: c.enabled,
    everySeconds: c.everySeconds,
    status: c.status,
    watermark: c.watermark?.toISOString() ?? null,
    lagSeconds: c.watermark ? Math.max(0, Math.round((now.getTime() - c.watermark.getTime()) / 1000)) : null,
    lastRunAt: c.lastRunAt?.toISOString() ?? null,
    lastSuccessAt: c.lastSuccessAt?.toISOString() ?? null,
    lastError: c.lastError,
    hasCredentials: c.secretCiphertext !== null,
  }));
}

export type UpdateTelemetryConnectorInput = {
  orgId: string;
  connectorId: string;
  name?: string;
  /** Replaces the whole config (validated for the connector's kind). */
  config?: Record<string, unknown>;
  /** New credentials; null removes them; undefined keeps them. */
  secret?: ConnectorSecret | null;
  everySeconds?: number;
  enabled?: boolean;
  /** Start over: the next scheduled run backfills again. */
  resetWatermark?: boolean;
  encryptionKey?: string;
};

/** Edits a connector. The caller re-syncs its job scheduler (producers.upsertTelemetrySchedule); the worker's sync job does it within 10 minutes anyway. */
export async function updateTelemetryConnector(prisma: PrismaClient, input: UpdateTelemetryConnectorInput): Promise<Connector> {
  const current = await prisma.connector.findFirst({ where: { id: input.connectorId, orgId: input.orgId } });
  if (!current) throw Object.assign(new Error("No such connector in this organization"), { code: "not_found" });
  if (!(TELEMETRY_CONNECTOR_KINDS as readonly string[]).includes(current.kind)) throw Object.assign(new Error(`${current.kind} is not a telemetry connector`), { code: "unprocessable" });
  if (input.config) {
    const parsed = configSchemaFor(current.kind as TelemetryConnectorKind).safeParse(input.config);
    if (!parsed.success) throw Object.assign(new Error(`Invalid settings: ${z.prettifyError(parsed.error)}`), { code: "unprocessable" });
  }
  if (input.everySeconds !== undefined && (!Number.isInteger(input.everySeconds) || input.everySeconds < 60 || input.everySeconds > 86_400)) {
    throw Object.assign(new Error("everySeconds must be a whole number of seconds from 60 to 86400"), { code: "unprocessable" });
  }
  return prisma.connector.update({
    where: { id: current.id },
    data: {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.config ? { config: input.config as object } : {}),
      ...(input.secret !== undefined ? { secretCiphertext: input.secret === null ? null : sealConnectorSecret(input.secret, input.encryptionKey) } : {}),
      ...(input.everySeconds !== undefined ? { everySeconds: input.everySeconds } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled, status: input.enabled ? current.status : "DISABLED" } : {}),
      ...(input.resetWatermark ? { watermark: null } : {}),
    },
  });
}

export type ConnectionTest = { ok: true; details: Record<string, unknown>; ms: number } | { ok: false; error: string; ms: number };

/** "Test connection": asks the source what it has seen lately, without storing anything. */
export async function testTelemetryConnector(
  prisma: PrismaClient,
  { orgId, connectorId, now = new Date(), encryptionKey }: { orgId: string; connectorId: string; now?: Date; encryptionKey?: string },
): Promise<ConnectionTest> {
  const started = performance.now();
  const connector = await prisma.connector.findFirst({ where: { id: connectorId, orgId } });
  if (!connector) throw Object.assign(new Error("No such connector in this organization"), { code: "not_found" });
  const org = await prisma.org.findUniqueOrThrow({ where: { id: orgId }, select: { currency: true, runLabelKeys: true, settings: true } });
  let driver;
  try {
    driver = createDriver({ connector, org, encryptionKey });
    const details = await driver.test(now);
    return { ok: true, details, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, error: (err as Error).message, ms: Math.round(performance.now() - started) };
  } finally {
    driver?.close();
  }
}
