// Telemetry connector actions (Settings → Connectors). Definitions only: app/[org]/settings/actions.ts
// exposes them to the browser. Credentials are write-only: they are sealed by lib/telemetry and never
// returned; an edit with no credentials given keeps the stored ones.
import { z } from "zod";
import { db, type Connector } from "../db/client";
import { orgAction } from "../http/org-action";
import { AppError, notFound } from "../http/errors";
import { logger } from "../log";
import { parseLabelFilter } from "../connectors/prometheus/promql";
import { producers } from "../queue/producers";
import type { ConnectorSecret } from "../telemetry/connector-secrets";
import { sealConnectorSecret } from "../telemetry/connector-secrets";
import {
  configSchemaFor,
  createTelemetryConnector,
  testTelemetryConnector,
  updateTelemetryConnector,
  type ConnectionTest,
} from "../telemetry/connectors";
import { createDriver, TELEMETRY_CONNECTOR_KINDS, type TelemetryConnectorKind } from "../telemetry/drivers";

const id = z.string().min(1).max(64);

/** Credentials as the form sends them: "keep" (edit only) leaves the stored ones alone. */
const authInput = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("keep") }),
  z.object({ mode: z.literal("none") }),
  z.object({ mode: z.literal("bearer"), token: z.string().min(1).max(4096) }),
  z.object({ mode: z.literal("basic"), username: z.string().min(1).max(256), password: z.string().max(4096) }),
]);

const settingsInput = z.object({
  kind: z.enum(TELEMETRY_CONNECTOR_KINDS),
  name: z.string().trim().min(1).max(120),
  url: z.url({ protocol: /^https?$/ }).max(2048),
  /** label=value (or !=, =~, !~), Prometheus only. */
  labelFilters: z.array(z.string().trim().min(1).max(512)).max(20).default([]),
  everySeconds: z.coerce.number().int().min(60).max(86_400).default(300),
  auth: authInput.default({ mode: "keep" }),
});

export const createConnectorInput = settingsInput;
export const updateConnectorInput = settingsInput.omit({ kind: true }).extend({ connectorId: id });

function unprocessable(message: string) {
  return new AppError("unprocessable", message);
}

function parseFilters(kind: TelemetryConnectorKind, filters: string[]) {
  if (filters.length === 0) return undefined;
  if (kind !== "PROMETHEUS") throw unprocessable("Label filters apply to Prometheus connectors only");
  try {
    return filters.map(parseLabelFilter);
  } catch (err) {
    throw unprocessable((err as Error).message);
  }
}

/** undefined = keep, null = remove, else the new secret. */
function secretFrom(auth: z.infer<typeof authInput>): ConnectorSecret | null | undefined {
  switch (auth.mode) {
    case "keep":
      return undefined;
    case "none":
      return null;
    case "bearer":
      return { bearerToken: auth.token };
    case "basic":
      return { basicAuth: { username: auth.username, password: auth.password } };
  }
}

/** Library errors carry a string `code`; AppError knows how to answer them. */
function rethrow(err: unknown): never {
  const code = (err as { code?: unknown }).code;
  if (!(err instanceof AppError) && (code === "not_found" || code === "conflict" || code === "unprocessable")) {
    throw new AppError(code, (err as Error).message);
  }
  throw err;
}

/** Scheduling is best-effort: the worker's periodic sync converges within minutes when Redis is down. */
async function syncSchedule(c: { id: string; orgId: string; everySeconds: number; enabled: boolean } | { id: string; removed: true }) {
  try {
    if ("removed" in c) await withTimeout(producers().removeTelemetrySchedule(c.id));
    else await withTimeout(producers().upsertTelemetrySchedule(c));
  } catch (err) {
    logger.warn({ connectorId: c.id, err: (err as Error).message }, "connector saved; its schedule will be synced by the worker");
  }
}

function withTimeout<T>(p: Promise<T>, ms = 2_000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`queue did not answer within ${ms} ms`)), ms).unref())]);
}

async function findConnector(orgId: string, connectorId: string) {
  const c = await db().connector.findFirst({ where: { id: connectorId, orgId, kind: { in: [...TELEMETRY_CONNECTOR_KINDS] } } });
  if (!c) throw notFound("Connector not found");
  return c;
}

async function nameTaken(orgId: string, name: string, exceptId?: string) {
  const other = await db().connector.findFirst({ where: { orgId, name, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } });
  return other !== null;
}

export const createTelemetryConnectorAction = orgAction({
  permission: "connectors:manage",
  input: createConnectorInput,
  handler: async ({ ctx, input }) => {
    const config: Record<string, unknown> = { url: input.url };
    const filters = parseFilters(input.kind, input.labelFilters);
    if (filters) config.labelFilters = filters;
    const secret = secretFrom(input.auth) ?? undefined;
    const c = await createTelemetryConnector(db(), { orgId: ctx.orgId, kind: input.kind, name: input.name, config, secret, everySeconds: input.everySeconds }).catch(rethrow);
    await syncSchedule({ id: c.id, orgId: c.orgId, everySeconds: c.everySeconds, enabled: c.enabled });
    return { id: c.id, name: c.name };
  },
  audit: ({ input, result }) => ({ action: "connector.create", targetType: "connector", targetId: result.id, details: { name: result.name, kind: input.kind } }),
});

export const updateTelemetryConnectorAction = orgAction({
  permission: "connectors:manage",
  input: updateConnectorInput,
  handler: async ({ ctx, input }) => {
    const current = await findConnector(ctx.orgId, input.connectorId);
    const kind = current.kind as TelemetryConnectorKind;
    if (input.name !== current.name && (await nameTaken(ctx.orgId, input.name, current.id))) {
      throw new AppError("conflict", `A connector named "${input.name}" already exists in this organization`);
    }
    // Keep the settings the form does not show (CA, cluster, backfill...).
    const config: Record<string, unknown> = { ...((current.config as Record<string, unknown> | null) ?? {}), url: input.url };
    const filters = parseFilters(kind, input.labelFilters);
    if (filters) config.labelFilters = filters;
    else delete config.labelFilters;
    const c = await updateTelemetryConnector(db(), {
      orgId: ctx.orgId,
      connectorId: current.id,
      name: input.name,
      config,
      secret: secretFrom(input.auth),
      everySeconds: input.everySeconds,
    }).catch(rethrow);
    await syncSchedule({ id: c.id, orgId: c.orgId, everySeconds: c.everySeconds, enabled: c.enabled });
    return { id: c.id, name: c.name };
  },
  audit: ({ result }) => ({ action: "connector.update", targetType: "connector", targetId: result.id, details: { name: result.name } }),
});

export const setTelemetryConnectorEnabled = orgAction({
  permission: "connectors:manage",
  input: z.object({ connectorId: id, enabled: z.boolean() }),
  handler: async ({ ctx, input }) => {
    const current = await findConnector(ctx.orgId, input.connectorId);
    const c = await updateTelemetryConnector(db(), { orgId: ctx.orgId, connectorId: current.id, enabled: input.enabled }).catch(rethrow);
    // Re-enabling a disabled connector: back to the status its history says.
    if (input.enabled && current.status === "DISABLED") {
      await db().connector.update({ where: { id: c.id }, data: { status: c.lastError ? "FAILING" : c.lastSuccessAt ? "HEALTHY" : "NEVER_RUN" } });
    }
    await syncSchedule({ id: c.id, orgId: c.orgId, everySeconds: c.everySeconds, enabled: c.enabled });
    return { id: c.id, enabled: c.enabled };
  },
  audit: ({ result }) => ({ action: result.enabled ? "connector.enable" : "connector.disable", targetType: "connector", targetId: result.id }),
});

export const deleteTelemetryConnector = orgAction({
  permission: "connectors:manage",
  input: z.object({ connectorId: id }),
  handler: async ({ ctx, input }) => {
    const { count } = await db().connector.deleteMany({ where: { id: input.connectorId, orgId: ctx.orgId, kind: { in: [...TELEMETRY_CONNECTOR_KINDS] } } });
    if (count === 0) throw notFound("Connector not found");
    await syncSchedule({ id: input.connectorId, removed: true });
    return { deleted: input.connectorId };
  },
  audit: ({ input }) => ({ action: "connector.delete", targetType: "connector", targetId: input.connectorId }),
});

/**
 * "Test connection", without storing anything: a saved connector as it is (`connectorId` alone), or the
 * form's settings (`draft`), on top of a saved connector's credentials when the form keeps them.
 */
export const testTelemetryConnection = orgAction({
  permission: "connectors:manage",
  input: z.object({
    connectorId: id.optional(),
    draft: settingsInput.omit({ name: true, everySeconds: true }).extend({ kind: z.enum(TELEMETRY_CONNECTOR_KINDS).optional() }).optional(),
  }),
  handler: async ({ ctx, input }): Promise<ConnectionTest> => {
    if (!input.draft) {
      if (!input.connectorId) throw unprocessable("Name a connector or give its settings");
      return testTelemetryConnector(db(), { orgId: ctx.orgId, connectorId: input.connectorId }).catch(rethrow);
    }
    const saved = input.connectorId ? await findConnector(ctx.orgId, input.connectorId) : null;
    const kind = (saved?.kind as TelemetryConnectorKind | undefined) ?? input.draft.kind;
    if (!kind) throw unprocessable("Choose a connector kind");
    const config: Record<string, unknown> = { ...((saved?.config as Record<string, unknown> | null) ?? {}), url: input.draft.url };
    const filters = parseFilters(kind, input.draft.labelFilters);
    if (filters) config.labelFilters = filters;
    else delete config.labelFilters;
    const parsed = configSchemaFor(kind).safeParse(config);
    if (!parsed.success) throw unprocessable(`Invalid settings: ${z.prettifyError(parsed.error)}`);
    const secret = secretFrom(input.draft.auth);
    const secretCiphertext = secret === undefined ? (saved?.secretCiphertext ?? null) : secret === null ? null : sealConnectorSecret(secret);
    const org = await db().org.findUniqueOrThrow({ where: { id: ctx.orgId }, select: { currency: true, runLabelKeys: true, settings: true } });
    const started = performance.now();
    let driver;
    try {
      driver = createDriver({ connector: { id: saved?.id ?? "draft", orgId: ctx.orgId, kind, name: saved?.name ?? "draft", config: config as Connector["config"], secretCiphertext }, org });
      const details = await driver.test(new Date());
      return { ok: true, details, ms: Math.round(performance.now() - started) };
    } catch (err) {
      return { ok: false, error: (err as Error).message, ms: Math.round(performance.now() - started) };
    } finally {
      driver?.close();
    }
  },
});

/** "Run now": queues a run from the watermark (deterministic job id per window start). */
export const runTelemetryConnectorNow = orgAction({
  permission: "connectors:manage",
  input: z.object({ connectorId: id }),
  handler: async ({ ctx, input }) => {
    const c = await findConnector(ctx.orgId, input.connectorId);
    const requestedAt = new Date();
    const windowStart = c.watermark ?? new Date(Math.floor(requestedAt.getTime() / 3_600_000) * 3_600_000);
    let jobId: string;
    try {
      jobId = await producers().enqueueTelemetryRun({ orgId: ctx.orgId, connectorId: c.id, windowStart, cause: "manual" });
    } catch (err) {
      logger.warn({ connectorId: c.id, err: (err as Error).message }, "run now: could not queue");
      throw new AppError("internal", "The job queue is unreachable: the run could not be queued. Try again shortly.");
    }
    return { jobId, requestedAt: requestedAt.toISOString() };
  },
  audit: ({ input }) => ({ action: "connector.run", targetType: "connector", targetId: input.connectorId }),
});
