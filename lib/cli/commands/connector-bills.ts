// The bill pull connectors in the `connector` commands: `connector add s3-bills|https-bills`, their rows
// in `connector list`, and `connector run <id>` pulling one now, in process. The worker polls every
// enabled bill connector each minute and pulls it when its interval has passed, so adding one is enough.
import type { ParseArgsConfig } from "node:util";
import { stringOpt } from "../command";
import { type CommandResult, UsageError } from "../output";
import type { PrismaClient } from "../../db/client";
import { AppError } from "../../http/errors";
import type { BillConnectorJson, ConnectorSummary } from "../../domain/connectors";
import { BILL_FORMATS } from "../../connectors/shared/bill-row";
import { createBillConnector, DEFAULT_BILL_EVERY_SECONDS, listBillConnectors } from "../../connectors/pull/bill-connectors";
import { pullBillConnector } from "../../connectors/pull/pull-connector";
import { closeQueues, enqueueRollupRefreshRange } from "../../queue/producers";

export const BILL_KIND_WORDS = { "s3-bills": "BILL_S3", "https-bills": "BILL_HTTPS" } as const;
export type BillKindWord = keyof typeof BILL_KIND_WORDS;

export const isBillKindWord = (word: string | undefined): word is BillKindWord => word !== undefined && Object.hasOwn(BILL_KIND_WORDS, word);

/** Options `connector add` takes for bill connectors (merged into its own; --url, --name, --every, --bearer-token, --basic-auth are shared). */
export const BILL_ADD_OPTIONS = {
  bucket: { type: "string" },
  prefix: { type: "string" },
  region: { type: "string" },
  endpoint: { type: "string" },
  "force-path-style": { type: "boolean" },
  "access-key-id": { type: "string" },
  "secret-access-key": { type: "string" },
  "session-token": { type: "string" },
  include: { type: "string" },
  format: { type: "string" },
  "max-bytes": { type: "string" },
  "file-name": { type: "string" },
  header: { type: "string", multiple: true },
} satisfies NonNullable<ParseArgsConfig["options"]>;

export const BILL_ADD_USAGE = [
  "burnrate connector add s3-bills --org <slug> --bucket <b> [--prefix <p>] [--region <r>] [--endpoint <url> [--force-path-style]] [--access-key-id <id> --secret-access-key <key> [--session-token <t>]] [--include <regex>] [--format <f>] [--max-bytes N] [--name <name>] [--every <seconds>] [--json]",
  "burnrate connector add https-bills --org <slug> --url <url> [--bearer-token <t> | --basic-auth <user:pw>] [--header 'Name: value' ...] [--file-name <name>] [--format <f>] [--max-bytes N] [--name <name>] [--every <seconds>] [--json]",
].join("\n  ");

function positiveInt(values: Record<string, unknown>, name: string): number | undefined {
  const raw = stringOpt(values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive whole number (got "${raw}")`);
  return n;
}

function commonConfig(values: Record<string, unknown>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const format = stringOpt(values, "format");
  if (format !== undefined) {
    if (!(BILL_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${BILL_FORMATS.join(", ")} (got "${format}")`);
    config.format = format;
  }
  const maxBytes = positiveInt(values, "max-bytes");
  if (maxBytes !== undefined) config.maxBytes = maxBytes;
  return config;
}

function s3Settings(values: Record<string, unknown>) {
  const bucket = stringOpt(values, "bucket");
  if (!bucket) throw new UsageError("s3-bills needs --bucket");
  for (const o of ["url", "file-name", "header", "bearer-token", "basic-auth"]) {
    if (values[o] !== undefined) throw new UsageError(`--${o} applies to https-bills connectors, not s3-bills`);
  }
  const config: Record<string, unknown> = { bucket, ...commonConfig(values) };
  for (const [opt, key] of [["prefix", "prefix"], ["region", "region"], ["endpoint", "endpoint"], ["include", "include"]] as const) {
    const v = stringOpt(values, opt);
    if (v !== undefined) config[key] = v;
  }
  if (values["force-path-style"]) config.forcePathStyle = true;
  if (config.include !== undefined) {
    try {
      new RegExp(config.include as string, "i");
    } catch (err) {
      throw new UsageError(`--include is not a regular expression: ${(err as Error).message}`);
    }
  }
  const accessKeyId = stringOpt(values, "access-key-id");
  const secretAccessKey = stringOpt(values, "secret-access-key");
  const sessionToken = stringOpt(values, "session-token");
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) throw new UsageError("Give both --access-key-id and --secret-access-key, or neither (the worker's AWS credential chain)");
  const secret = accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined;
  if (!secret && sessionToken) throw new UsageError("--session-token needs --access-key-id and --secret-access-key");
  return { config, secret, defaultName: `s3://${bucket}/${(config.prefix as string | undefined) ?? ""}` };
}

function httpsSettings(values: Record<string, unknown>) {
  const url = stringOpt(values, "url");
  if (!url) throw new UsageError("https-bills needs --url");
  for (const o of ["bucket", "prefix", "region", "endpoint", "force-path-style", "access-key-id", "secret-access-key", "session-token", "include"]) {
    if (values[o] !== undefined) throw new UsageError(`--${o} applies to s3-bills connectors, not https-bills`);
  }
  const config: Record<string, unknown> = { url, ...commonConfig(values) };
  const fileName = stringOpt(values, "file-name");
  if (fileName) config.fileName = fileName;
  const headers: Record<string, string> = {};
  for (const h of (values.header as string[] | undefined) ?? []) {
    const i = h.indexOf(":");
    if (i < 1) throw new UsageError(`--header must be "Name: value" (got "${h}")`);
    headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  const bearer = stringOpt(values, "bearer-token");
  const basic = stringOpt(values, "basic-auth");
  if (bearer && basic) throw new UsageError("Give --bearer-token or --basic-auth, not both");
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (basic) {
    if (basic.indexOf(":") < 1) throw new UsageError("--basic-auth must be user:password");
    headers.Authorization = `Basic ${Buffer.from(basic).toString("base64")}`;
  }
  return { config, secret: Object.keys(headers).length ? { headers } : undefined, defaultName: `https ${new URL(url).host}` };
}

export async function addBillConnectorCommand(prisma: PrismaClient, kindWord: BillKindWord, orgSlug: string, values: Record<string, unknown>): Promise<CommandResult> {
  const kind = BILL_KIND_WORDS[kindWord];
  let settings: { config: Record<string, unknown>; secret: unknown; defaultName: string };
  try {
    settings = kind === "BILL_S3" ? s3Settings(values) : httpsSettings(values);
  } catch (err) {
    if (err instanceof TypeError) throw new UsageError(`--url is not a URL: ${err.message}`);
    throw err;
  }
  const every = stringOpt(values, "every");
  const everySeconds = every === undefined ? DEFAULT_BILL_EVERY_SECONDS : Number(every);
  const org = await prisma.org.findUnique({ where: { slug: orgSlug }, select: { id: true } });
  if (!org) throw new AppError("not_found", `No organization with slug "${orgSlug}"`);
  const name = stringOpt(values, "name") ?? settings.defaultName;
  const c = await createBillConnector(prisma, org.id, { kind, name, config: settings.config, secret: settings.secret, everySeconds });
  return {
    human: `Added ${kindWord} connector "${c.name}" (${c.id}) to ${orgSlug}; the worker pulls it every ${c.everySeconds}s${c.hasSecret ? " (credentials stored encrypted)" : ""}`,
    json: { id: c.id, kind: c.kind, name: c.name, everySeconds: c.everySeconds, hasCredentials: c.hasSecret },
  };
}

/** Where a bill connector pulls from, as one string (s3://bucket/prefix or the URL). */
export function billSourceUrl(c: Pick<BillConnectorJson, "kind" | "config">): string | null {
  const cfg = c.config;
  if (c.kind === "BILL_S3") return typeof cfg.bucket === "string" ? `s3://${cfg.bucket}/${typeof cfg.prefix === "string" ? cfg.prefix : ""}` : null;
  return typeof cfg.url === "string" ? cfg.url : null;
}

/** Bill connectors in the shape `connector list` prints for every connector (they have no watermark). */
export async function listBillConnectorSummaries(prisma: PrismaClient, orgId: string): Promise<ConnectorSummary[]> {
  return (await listBillConnectors(prisma, orgId)).map((c) => ({
    id: c.id,
    kind: c.kind,
    name: c.name,
    url: billSourceUrl(c),
    enabled: c.enabled,
    everySeconds: c.everySeconds,
    status: c.status,
    watermark: null,
    lagSeconds: null,
    lastRunAt: c.lastRunAt,
    lastSuccessAt: c.lastSuccessAt,
    lastError: c.lastError,
    hasCredentials: c.hasSecret,
  }));
}

/** `connector run <id>` of a bill connector: one pull now, each new delivery ingested in process; exit 1 when one failed. */
export async function runBillConnectorCommand(prisma: PrismaClient, connector: { id: string; orgId: string; name: string; enabled: boolean }): Promise<CommandResult> {
  if (!connector.enabled) throw new AppError("unprocessable", `Connector "${connector.name}" is disabled; enable it first`);
  const rollupJobs: string[] = [];
  let refreshWarning: string | undefined;
  const started = performance.now();
  let result;
  try {
    result = await pullBillConnector(prisma, {
      orgId: connector.orgId,
      connectorId: connector.id,
      onIngested: async (s) => {
        // Rates and workload costs of the replaced periods are recomputed by the worker.
        try {
          rollupJobs.push(...(await enqueueRollupRefreshRange({ orgId: connector.orgId, from: new Date(s.window.from), to: new Date(s.window.to), cause: s.runId })));
        } catch (err) {
          refreshWarning = `rollup refresh not queued (${(err as Error).message}); the hourly refresh will catch up`;
        }
      },
    });
  } finally {
    await closeQueues();
  }
  if (refreshWarning) process.stderr.write(`burnrate: warning: ${refreshWarning}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.failed.length > 0) {
    throw new AppError(
      "unprocessable",
      `Pulled "${connector.name}": ${result.ingested.length} deliver${result.ingested.length === 1 ? "y" : "ies"} ingested, ${result.failed.length} failed:\n` +
        result.failed.map((f) => `  ${f.file} (run ${f.runId}): ${f.error}`).join("\n"),
      { ...result },
    );
  }
  return {
    human: [
      `Pulled "${connector.name}" in ${seconds}s: ${result.found} deliver${result.found === 1 ? "y" : "ies"} found, ${result.ingested.length} ingested, ${result.skipped} unchanged`,
      ...result.ingested.map((i) => `  ${i.file}: ${i.rows} rows (run ${i.runId})`),
    ].join("\n"),
    json: { ...result, status: "succeeded", rollupJobs, ...(refreshWarning ? { warning: refreshWarning } : {}) },
  };
}
