import type { Command } from "../command";
import { stringOpt } from "../command";
import { UsageError } from "../output";
import { db } from "../../db/client";
import { AppError } from "../../http/errors";
import { isTelemetryConnectorKind } from "../../telemetry/drivers";
import { runTelemetryConnector } from "../../telemetry/run-connector";
import { runBillConnectorCommand } from "./connector-bills";

function dateOpt(values: Record<string, unknown>, name: string): Date | undefined {
  const raw = stringOpt(values, name);
  if (raw === undefined) return undefined;
  const d = new Date(raw);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--${name} "${raw}" is not an ISO date-time`);
  return d;
}

export const connectorRunCommand: Command = {
  usage: "burnrate connector run <id> [--from <iso> --to <iso>] [--json]",
  summary: "Run a connector now, to completion (exit code 1 when it fails): a telemetry connector from its watermark (or --from/--to); a bill connector pulls and ingests what is new",
  options: { from: { type: "string" }, to: { type: "string" } },
  async run({ positionals, values }) {
    const id = positionals[0];
    if (!id) throw new UsageError(`Usage: ${this.usage}`);
    const from = dateOpt(values, "from");
    const to = dateOpt(values, "to");
    if ((from === undefined) !== (to === undefined)) throw new UsageError("Give both --from and --to, or neither");
    if (from && to && from >= to) throw new UsageError("--from must be before --to");

    const prisma = db();
    // The CLI is an operator's tool: the connector id names its org.
    const connector = await prisma.connector.findUnique({ where: { id }, select: { id: true, orgId: true, kind: true, name: true, enabled: true } });
    if (!connector) throw new AppError("not_found", `No connector with id "${id}"`);
    if (connector.kind === "BILL_S3" || connector.kind === "BILL_HTTPS") {
      if (from || to) throw new UsageError("--from/--to apply to telemetry connectors; a bill connector pulls what is new at its source");
      return runBillConnectorCommand(prisma, connector);
    }
    if (!isTelemetryConnectorKind(connector.kind)) throw new UsageError(`Connector "${connector.name}" is a ${connector.kind} connector, not a telemetry connector`);

    const result = await runTelemetryConnector({
      prisma,
      orgId: connector.orgId,
      connectorId: connector.id,
      window: from && to ? { from, to } : undefined,
      source: "CLI",
      refresh: "inline",
    });
    const w = result.window ? `${result.window.from} → ${result.window.to}` : "nothing new";
    return {
      human: [
        `Ran "${connector.name}" (${result.chunks} chunk${result.chunks === 1 ? "" : "s"}, ${w}) in ${(result.timings.totalMs / 1000).toFixed(1)}s`,
        `  ${result.rows.gpuHours} GPU-hours, ${result.rows.gapHours} gap hours, ${result.rows.trafficHours} workload-hours of traffic or CPU/RAM cost; ${result.samples} samples`,
        `  watermark ${result.watermark ?? "not set"}${result.refreshed ? `; rollups refreshed ${result.refreshed.from} → ${result.refreshed.to}` : ""}`,
      ].join("\n"),
      json: { ...result, status: "succeeded" },
    };
  },
};
