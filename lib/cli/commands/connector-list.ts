import type { Command } from "../command";
import { stringOpt } from "../command";
import { UsageError } from "../output";
import { db } from "../../db/client";
import { AppError } from "../../http/errors";
import { listTelemetryConnectors } from "../../telemetry/connectors";
import { listBillConnectorSummaries } from "./connector-bills";

export const connectorListCommand: Command = {
  usage: "burnrate connector list --org <slug> [--json]",
  summary: "List an organization's telemetry and bill pull connectors with status, watermark, lag and last error",
  options: { org: { type: "string" } },
  async run({ values }) {
    const orgSlug = stringOpt(values, "org");
    if (!orgSlug) throw new UsageError(`Usage: ${this.usage}`);
    const prisma = db();
    const org = await prisma.org.findUnique({ where: { slug: orgSlug }, select: { id: true } });
    if (!org) throw new AppError("not_found", `No organization with slug "${orgSlug}"`);
    const connectors = [...(await listTelemetryConnectors(prisma, { orgId: org.id })), ...(await listBillConnectorSummaries(prisma, org.id))];
    const human = connectors.length
      ? connectors
          .map((c) => `${c.id}  ${c.kind.padEnd(10)} ${c.name}  ${c.status}${c.watermark ? `  watermark ${c.watermark} (lag ${c.lagSeconds}s)` : ""}${c.lastError ? `\n    last error: ${c.lastError}` : ""}`)
          .join("\n")
      : `No connectors in ${orgSlug}`;
    return { human, json: connectors };
  },
};
