// Bill pull connector actions (Settings → Connectors → Bill sources): an S3 bucket prefix or an HTTPS
// URL. Definitions only: app/[org]/settings/actions.ts exposes them to the browser. Credentials are
// write-only: sealed by lib/connectors/pull/bill-connectors and never returned; an edit that keeps them
// leaves the stored ones alone. The worker polls every enabled bill connector each minute and pulls it
// when its interval has passed; "Pull now" queues a pull at once.
import { z } from "zod";
import { db } from "../db/client";
import { orgAction } from "../http/org-action";
import { AppError } from "../http/errors";
import { logger } from "../log";
import { BILL_CONNECTOR_KINDS, type BillConnectorKind } from "../domain/connectors";
import { BILL_FORMATS } from "../connectors/shared/bill-row";
import {
  type BillConnectionTest,
  createBillConnector,
  deleteBillConnector,
  findBillConnector,
  parseBillConfig,
  testBillSource,
  updateBillConnector,
} from "../connectors/pull/bill-connectors";
import { loadBillConnector } from "../connectors/pull/load-connector";
import { producers } from "../queue/producers";

const id = z.string().min(1).max(64);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/** Credentials as the form sends them: "keep" (edit only) leaves the stored ones alone. */
const credentialsInput = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("keep") }),
  z.object({ mode: z.literal("none") }),
  z.object({ mode: z.literal("s3"), accessKeyId: z.string().trim().min(1).max(256), secretAccessKey: z.string().min(1).max(4096), sessionToken: optionalText(8192) }),
  z.object({ mode: z.literal("bearer"), token: z.string().min(1).max(4096) }),
]);

/** The source settings the form shows: S3 fields for BILL_S3, URL fields for BILL_HTTPS. */
const sourceInput = z.object({
  bucket: optionalText(255),
  prefix: z.string().trim().max(1024).default(""),
  region: optionalText(64),
  endpoint: optionalText(2048),
  include: optionalText(512),
  url: optionalText(2048),
  fileName: optionalText(255),
  format: z.enum(BILL_FORMATS).optional().or(z.literal("").transform(() => undefined)),
});

const settingsInput = sourceInput.extend({
  kind: z.enum(BILL_CONNECTOR_KINDS),
  name: z.string().trim().min(1).max(100),
  everySeconds: z.coerce.number().int().min(60).max(7 * 86_400).default(3600),
  credentials: credentialsInput.default({ mode: "keep" }),
});

export const createBillConnectorInput = settingsInput;
export const updateBillConnectorInput = settingsInput.omit({ kind: true }).extend({ connectorId: id, enabled: z.boolean().optional() });

/** The stored config for the form's fields, keeping settings the form does not show (forcePathStyle, maxBytes). */
function configFrom(kind: BillConnectorKind, s: z.infer<typeof sourceInput>, previous: Record<string, unknown> = {}) {
  const keep = { ...(previous.maxBytes !== undefined ? { maxBytes: previous.maxBytes } : {}), ...(s.format ? { format: s.format } : {}) };
  if (kind === "BILL_S3") {
    if (!s.bucket) throw new AppError("unprocessable", "An S3 connector needs a bucket");
    return {
      ...keep,
      bucket: s.bucket,
      prefix: s.prefix,
      ...(s.region ? { region: s.region } : {}),
      ...(s.endpoint ? { endpoint: s.endpoint } : {}),
      ...(previous.forcePathStyle !== undefined ? { forcePathStyle: previous.forcePathStyle } : {}),
      ...(s.include ? { include: s.include } : {}),
    };
  }
  if (!s.url) throw new AppError("unprocessable", "An HTTPS connector needs a URL");
  if (!/^https?:\/\//i.test(s.url)) throw new AppError("unprocessable", "The URL must start with https:// (or http://)");
  return { ...keep, url: s.url, ...(s.fileName ? { fileName: s.fileName } : {}) };
}

/** undefined = keep, null = remove, else the new secret for the kind. */
function secretFrom(kind: BillConnectorKind, c: z.infer<typeof credentialsInput>): unknown {
  switch (c.mode) {
    case "keep":
      return undefined;
    case "none":
      return null;
    case "s3":
      if (kind !== "BILL_S3") throw new AppError("unprocessable", "Access keys apply to S3 connectors");
      return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) };
    case "bearer":
      if (kind !== "BILL_HTTPS") throw new AppError("unprocessable", "A bearer token applies to HTTPS connectors");
      return { headers: { Authorization: `Bearer ${c.token}` } };
  }
}

export const createBillConnectorAction = orgAction({
  permission: "connectors:manage",
  input: createBillConnectorInput,
  handler: async ({ ctx, input }) => {
    const secret = secretFrom(input.kind, input.credentials) ?? undefined;
    const c = await createBillConnector(db(), ctx.orgId, { kind: input.kind, name: input.name, config: configFrom(input.kind, input), secret, everySeconds: input.everySeconds });
    return { id: c.id, name: c.name };
  },
  audit: ({ input, result }) => ({ action: "bill_source.create", targetType: "connector", targetId: result.id, details: { name: result.name, kind: input.kind } }),
});

export const updateBillConnectorAction = orgAction({
  permission: "connectors:manage",
  input: updateBillConnectorInput,
  handler: async ({ ctx, input }) => {
    const current = await findBillConnector(db(), ctx.orgId, input.connectorId);
    const kind = current.kind as BillConnectorKind;
    const c = await updateBillConnector(db(), ctx.orgId, current.id, {
      name: input.name,
      config: configFrom(kind, input, (current.config as Record<string, unknown> | null) ?? {}),
      secret: secretFrom(kind, input.credentials),
      everySeconds: input.everySeconds,
      enabled: input.enabled,
    });
    return { id: c.id, name: c.name };
  },
  audit: ({ result }) => ({ action: "bill_source.update", targetType: "connector", targetId: result.id, details: { name: result.name } }),
});

export const setBillConnectorEnabled = orgAction({
  permission: "connectors:manage",
  input: z.object({ connectorId: id, enabled: z.boolean() }),
  handler: async ({ ctx, input }) => {
    const c = await updateBillConnector(db(), ctx.orgId, input.connectorId, { enabled: input.enabled });
    return { id: c.id, enabled: c.enabled };
  },
  audit: ({ result }) => ({ action: result.enabled ? "bill_source.enable" : "bill_source.disable", targetType: "connector", targetId: result.id }),
});

export const deleteBillConnectorAction = orgAction({
  permission: "connectors:manage",
  input: z.object({ connectorId: id }),
  handler: async ({ ctx, input }) => {
    const d = await deleteBillConnector(db(), ctx.orgId, input.connectorId);
    return { deleted: d.id, name: d.name };
  },
  audit: ({ result }) => ({ action: "bill_source.delete", targetType: "connector", targetId: result.deleted, details: { name: result.name } }),
});

/**
 * "Test connection", without ingesting anything: a saved connector as it is (`connectorId` alone), or the
 * form's settings (`draft`), with a saved connector's credentials when the form keeps them.
 */
export const testBillConnection = orgAction({
  permission: "connectors:manage",
  input: z.object({ connectorId: id.optional(), draft: sourceInput.extend({ kind: z.enum(BILL_CONNECTOR_KINDS).optional(), credentials: credentialsInput.default({ mode: "keep" }) }).optional() }),
  handler: async ({ ctx, input }): Promise<BillConnectionTest> => {
    const saved = input.connectorId ? await loadBillConnector(db(), { orgId: ctx.orgId, connectorId: (await findBillConnector(db(), ctx.orgId, input.connectorId)).id }) : null;
    if (!input.draft) {
      if (!saved) throw new AppError("unprocessable", "Name a connector or give its settings");
      return saved.kind === "BILL_S3" ? testBillSource({ kind: "BILL_S3", config: saved.config, secret: saved.secret }) : testBillSource({ kind: "BILL_HTTPS", config: saved.config, secret: saved.secret });
    }
    const kind = saved?.kind ?? input.draft.kind;
    if (!kind) throw new AppError("unprocessable", "Choose a connector kind");
    const config = parseBillConfig(kind, configFrom(kind, input.draft, (saved?.config as Record<string, unknown> | undefined) ?? {}));
    const given = secretFrom(kind, input.draft.credentials);
    const secret = given === undefined ? (saved?.secret ?? null) : given;
    return kind === "BILL_S3" ? testBillSource({ kind, config, secret }) : testBillSource({ kind, config, secret });
  },
});

/** "Pull now": queues a pull for the worker (one per connector and minute); the run shows in the connector's status and the ingestion history. */
export const runBillConnectorNow = orgAction({
  permission: "connectors:manage",
  input: z.object({ connectorId: id }),
  handler: async ({ ctx, input }) => {
    const c = await findBillConnector(db(), ctx.orgId, input.connectorId);
    if (!c.enabled) throw new AppError("unprocessable", `${c.name} is disabled; enable it first`);
    const requestedAt = new Date();
    let jobId: string;
    try {
      [jobId] = (await Promise.race([
        producers().enqueueBillPulls([{ orgId: ctx.orgId, connectorId: c.id, slot: requestedAt, cause: "manual" }]),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("queue did not answer within 2000 ms")), 2_000).unref()),
      ])) as [string];
    } catch (err) {
      logger.warn({ connectorId: c.id, err: (err as Error).message }, "pull now: could not queue");
      throw new AppError("internal", "The job queue is unreachable: the pull could not be queued. Try again shortly.");
    }
    return { jobId, requestedAt: requestedAt.toISOString() };
  },
  audit: ({ input }) => ({ action: "bill_source.run", targetType: "connector", targetId: input.connectorId }),
});
