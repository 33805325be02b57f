import path from "node:path";
import type { Command } from "../command";
import { stringOpt } from "../command";
import { UsageError } from "../output";
import { db } from "../../db/client";
import { AppError } from "../../http/errors";
import { BILL_FORMATS, isBillFormat } from "../../connectors/shared/bill-row";
import { executeIngestionRun, createIngestionRun, type RunOptions } from "../../ingest/runs";
import { closeQueues, enqueueRollupRefreshRange } from "../../queue/producers";

function parseRates(values: Record<string, unknown>): Record<string, string> | undefined {
  const raw = values.rate;
  const list = Array.isArray(raw) ? (raw as string[]) : typeof raw === "string" ? [raw] : [];
  if (list.length === 0) return undefined;
  const rates: Record<string, string> = {};
  for (const item of list) {
    const m = /^([A-Za-z]{3})=(\d+(?:\.\d+)?)$/.exec(item.trim());
    if (!m) throw new UsageError(`--rate "${item}" must look like EUR=1.0825 (1 EUR in the target currency)`);
    rates[m[1]!.toUpperCase()] = m[2]!;
  }
  return rates;
}

export const ingestBillCommand: Command = {
  usage:
    "burnrate ingest bill <file> [<file>...] --org <slug> [--format <format>] [--rate EUR=1.08 ...] [--currency USD] [--max-bytes N] [--no-refresh] [--json]",
  summary: "Ingest a cloud bill (FOCUS, AWS CUR, GCP or Azure export; CSV, gzip, NDJSON or Parquet), replacing the billing periods it covers",
  options: {
    org: { type: "string" },
    format: { type: "string" },
    rate: { type: "string", multiple: true },
    currency: { type: "string" },
    "max-bytes": { type: "string" },
    "no-refresh": { type: "boolean" },
  },
  async run({ positionals, values }) {
    const slug = stringOpt(values, "org");
    if (positionals.length === 0 || !slug) throw new UsageError(`Usage: ${this.usage}`);
    const format = stringOpt(values, "format");
    if (format !== undefined && !isBillFormat(format)) throw new UsageError(`--format must be one of ${BILL_FORMATS.join(", ")}`);
    const maxRaw = stringOpt(values, "max-bytes");
    const maxBytes = maxRaw === undefined ? undefined : Number(maxRaw);
    if (maxBytes !== undefined && !(Number.isInteger(maxBytes) && maxBytes > 0)) throw new UsageError("--max-bytes must be a positive integer");
    const rates = parseRates(values);
    const currency = stringOpt(values, "currency")?.toUpperCase();

    const prisma = db();
    const org = await prisma.org.findUnique({ where: { slug } });
    if (!org) throw new AppError("not_found", `No organization with slug "${slug}"`);
    const files = positionals.map((p) => ({ uri: path.resolve(p), name: path.basename(p) }));
    const options: RunOptions = {
      ...(format ? { format } : {}),
      ...(rates ? { rates } : {}),
      ...(currency ? { targetCurrency: currency } : {}),
      ...(maxBytes ? { maxBytes } : {}),
      ...(files.length > 1 ? { files } : {}),
    };
    const run = await createIngestionRun(prisma, {
      orgId: org.id,
      source: "CLI",
      fileName: files.map((f) => f.name).join(", ").slice(0, 500),
      sourceUri: files[0]!.uri,
      options,
    });
    const s = await executeIngestionRun(prisma, { orgId: org.id, runId: run.id });

    // Rates and workload costs of the replaced periods are recomputed by the worker.
    let rollupJobs: string[] = [];
    let refreshWarning: string | undefined;
    if (!values["no-refresh"]) {
      try {
        rollupJobs = await enqueueRollupRefreshRange({ orgId: org.id, from: new Date(s.window.from), to: new Date(s.window.to), cause: run.id });
      } catch (err) {
        refreshWarning = `rollup refresh not queued (${(err as Error).message}); run it later or let the hourly refresh catch up`;
        process.stderr.write(`burnrate: warning: ${refreshWarning}\n`);
      } finally {
        await closeQueues();
      }
    }

    const json = {
      runId: s.runId,
      org: org.slug,
      format: s.format,
      files: s.files,
      rows: s.rows,
      billedCost: s.billedCost,
      effectiveCost: s.effectiveCost,
      listCost: s.listCost,
      contractedCost: s.contractedCost,
      currency: s.currency,
      billingPeriods: s.billingPeriods,
      gpuRows: s.gpuRows,
      rowsReplaced: s.rowsReplaced,
      durationMs: s.durationMs,
      rollupJobs,
      ...(refreshWarning ? { warning: refreshWarning } : {}),
    };
    const human = [
      `Ingested ${s.rows} rows (${s.format}) into ${org.slug} in ${(s.durationMs / 1000).toFixed(2)}s, run ${s.runId}`,
      `  billed ${s.billedCost} ${s.currency}, effective ${s.effectiveCost}, list ${s.listCost}; ${s.gpuRows} GPU rows; ${s.rowsReplaced} earlier rows replaced`,
      ...s.billingPeriods.map((p) => `  ${p.billingAccountId} ${p.billingPeriodStart.slice(0, 10)} → ${p.billingPeriodEnd.slice(0, 10)}: ${p.rows} rows, billed ${p.billedCost}`),
    ];
    return { human: human.join("\n"), json };
  },
};
