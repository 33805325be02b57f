import { readFileSync } from "node:fs";
import type { Command } from "../command";
import { stringOpt } from "../command";
import { UsageError } from "../output";
import { db } from "../../db/client";
import { AppError } from "../../http/errors";
import { logger } from "../../log";
import { parseLabelFilter } from "../../connectors/prometheus/promql";
import { queueConnectionFromEnv } from "../../queue/connection";
import { createProducers } from "../../queue/producers";
import type { ConnectorSecret } from "../../telemetry/connector-secrets";
import { createTelemetryConnector } from "../../telemetry/connectors";
import { addBillConnectorCommand, BILL_ADD_OPTIONS, BILL_ADD_USAGE, isBillKindWord } from "./connector-bills";

const KINDS = { prometheus: "PROMETHEUS", opencost: "OPENCOST", kubecost: "KUBECOST" } as const;

function intOpt(values: Record<string, unknown>, name: string): number | undefined {
  const raw = stringOpt(values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number (got "${raw}")`);
  return n;
}

export const connectorAddCommand: Command = {
  usage:
    "burnrate connector add prometheus|opencost|kubecost --org <slug> --url <url> [--name <name>] [--bearer-token <t> | --basic-auth <user:pw>] [--ca-file <pem>] [--label-filter k=v ...] [--cluster <name>] [--every <seconds>] [--backfill-days <n>] [--chunk-hours <n>] [--json]\n  " +
    BILL_ADD_USAGE,
  summary: "Add a telemetry connector or a bill pull connector (S3 prefix, HTTPS URL); credentials are stored encrypted",
  options: {
    org: { type: "string" },
    url: { type: "string" },
    name: { type: "string" },
    "bearer-token": { type: "string" },
    "basic-auth": { type: "string" },
    "ca-file": { type: "string" },
    "label-filter": { type: "string", multiple: true },
    cluster: { type: "string" },
    every: { type: "string" },
    "backfill-days": { type: "string" },
    "chunk-hours": { type: "string" },
    ...BILL_ADD_OPTIONS,
  },
  async run({ positionals, values }) {
    const kindWord = positionals[0]?.toLowerCase();
    const orgSlug = stringOpt(values, "org");
    if (isBillKindWord(kindWord)) {
      if (!orgSlug) throw new UsageError(`Usage: ${this.usage}`);
      return addBillConnectorCommand(db(), kindWord, orgSlug, values);
    }
    const stray = Object.keys(BILL_ADD_OPTIONS).find((o) => values[o] !== undefined);
    if (stray) throw new UsageError(`--${stray} applies to s3-bills and https-bills connectors`);
    const url = stringOpt(values, "url");
    if (!kindWord || !orgSlug || !url) throw new UsageError(`Usage: ${this.usage}`);
    const kind = KINDS[kindWord as keyof typeof KINDS];
    if (!kind) throw new UsageError(`Connector kind must be one of ${Object.keys(KINDS).join(", ")}, s3-bills, https-bills (got "${kindWord}")`);

    const bearer = stringOpt(values, "bearer-token");
    const basic = stringOpt(values, "basic-auth");
    if (bearer && basic) throw new UsageError("Give --bearer-token or --basic-auth, not both");
    const secret: ConnectorSecret = {};
    if (bearer) secret.bearerToken = bearer;
    if (basic) {
      const i = basic.indexOf(":");
      if (i < 1) throw new UsageError("--basic-auth must be user:password");
      secret.basicAuth = { username: basic.slice(0, i), password: basic.slice(i + 1) };
    }

    const config: Record<string, unknown> = { url };
    const caFile = stringOpt(values, "ca-file");
    if (caFile) {
      let pem: string;
      try {
        pem = readFileSync(caFile, "utf8");
      } catch (err) {
        throw new UsageError(`--ca-file ${caFile}: ${(err as Error).message}`);
      }
      if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new UsageError(`--ca-file ${caFile} holds no PEM certificate`);
      config.caPem = pem;
    }
    const filters = (values["label-filter"] as string[] | undefined) ?? [];
    if (filters.length) {
      if (kind !== "PROMETHEUS") throw new UsageError("--label-filter applies to prometheus connectors only");
      try {
        config.labelFilters = filters.map(parseLabelFilter);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    const backfillDays = intOpt(values, "backfill-days");
    if (backfillDays !== undefined) config.backfillDays = backfillDays;
    const chunkHours = intOpt(values, "chunk-hours");
    if (chunkHours !== undefined) config.chunkHours = chunkHours;

    const prisma = db();
    const org = await prisma.org.findUnique({ where: { slug: orgSlug } });
    if (!org) throw new AppError("not_found", `No organization with slug "${orgSlug}"`);
    const clusterName = stringOpt(values, "cluster");
    if (clusterName) {
      const cluster = await prisma.cluster.findFirst({ where: { orgId: org.id, name: clusterName }, select: { id: true } });
      if (!cluster) throw new AppError("not_found", `No cluster named "${clusterName}" in ${orgSlug}`);
      config.clusterId = cluster.id;
    }

    const connector = await createTelemetryConnector(prisma, { orgId: org.id, kind, name: stringOpt(values, "name"), config, secret, everySeconds: intOpt(values, "every") });

    // Schedule it now if Redis answers; otherwise the worker's periodic sync picks it up.
    let scheduled = false;
    const producers = createProducers({ ...queueConnectionFromEnv(), readyTimeoutMs: 2_000 });
    try {
      await producers.upsertTelemetrySchedule({ id: connector.id, orgId: org.id, everySeconds: connector.everySeconds, enabled: connector.enabled });
      scheduled = true;
    } catch (err) {
      logger.warn({ err: (err as Error).message }, "connector saved but not scheduled yet (Redis unreachable); the worker will schedule it");
    } finally {
      await producers.close();
    }
    return {
      human: `Added ${kindWord} connector "${connector.name}" (${connector.id}) to ${orgSlug}, every ${connector.everySeconds}s${scheduled ? "" : " (not scheduled yet: Redis unreachable)"}`,
      json: { id: connector.id, kind, name: connector.name, everySeconds: connector.everySeconds, scheduled },
    };
  },
};
