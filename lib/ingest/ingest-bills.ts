// The bill ingestion pipeline. One run = one or more files (a CUR delivery is several parts) loaded
// as one unit, in one transaction on one connection:
//   1. stream each file (gzip seen through), parse, detect or apply the format, normalize every record
//      to FOCUS columns, validate it (an error names file, line and column) and recognize GPUs;
//   2. COPY the rows into bill_line_items under the new run's id. Until COMMIT they are staged: no other
//      transaction sees them, and a failure anywhere (or a killed process: Postgres rolls back a dead
//      connection's transaction) leaves the table exactly as it was;
//   3. validate the whole: rows present, one currency (or a rate for each other one), one end per
//      billing period, the run not ingested meanwhile by another attempt;
//   4. swap: delete the earlier rows of exactly the (billing account, billing period) slices the files
//      cover, record the run's totals, COMMIT. Readers see the old slices until the commit and the new
//      ones after, never a mix.
// Why not a separate staging table: COPY into a temporary table followed by INSERT … SELECT does the
// index work once more in series with the load (measured 4.3 s vs 4.1 s of database time for 200k
// rows, and the normalizing JavaScript can no longer overlap with the index work), which broke the
// 2× bare-COPY budget of the benchmark. The uncommitted rows are the staging area.
// Costs stay decimal text from the file to NUMERIC; sums are computed by Postgres, exactly.
import { once } from "node:events";
import { stat } from "node:fs/promises";
import type { Writable } from "node:stream";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Prisma, type PrismaClient } from "../db/client";
import { pgPool } from "../db/pg";
import { logger } from "../log";
import { detectFormat, normalizerFor, unknownFormatError } from "../connectors/formats";
import { type BillFormat, type BillRow, ROW_COLUMNS } from "../connectors/shared/bill-row";
import { CopyBinaryEncoder } from "../connectors/shared/copy-binary";
import { type BillFileInput, DEFAULT_MAX_BILL_BYTES } from "../connectors/shared/bill-source";
import { DecimalSum, mulDecimals } from "../connectors/shared/decimal";
import { FieldReader } from "../connectors/shared/field-reader";
import { GpuRecognizer } from "../connectors/shared/gpu-recognizer";
import { IngestError, isIngestError } from "../connectors/shared/ingest-error";
import { openRecords } from "../connectors/shared/records";

export type IngestBillsOptions = {
  prisma: PrismaClient;
  pool?: pg.Pool;
  orgId: string;
  /** An existing ingestion run of this org (QUEUED, or FAILED/RUNNING for a retry or re-run). */
  runId: string;
  files: BillFileInput[];
  /** Skip detection and read every file as this format. */
  format?: BillFormat;
  /**
   * Conversion rates into `targetCurrency` (1 unit of the key currency = rate units of the target).
   * Without rates every row of a run must be in one currency.
   */
  rates?: Record<string, string>;
  targetCurrency?: string;
  maxBytes?: number;
  /** How often progress is written to the run row. */
  progressIntervalMs?: number;
};

export type SliceSummary = {
  billingAccountId: string;
  billingPeriodStart: string;
  billingPeriodEnd: string;
  currency: string;
  rows: number;
  billedCost: string;
  effectiveCost: string;
  listCost: string;
};

export type IngestSummary = {
  runId: string;
  format: string;
  files: Array<{ name: string; format: BillFormat; rows: number }>;
  rows: number;
  billedCost: string;
  effectiveCost: string;
  listCost: string;
  contractedCost: string;
  currency: string;
  billingPeriods: SliceSummary[];
  gpuRows: number;
  rowsReplaced: number;
  /** Union of the replaced billing periods: the window whose rollups need a refresh. */
  window: { from: string; to: string };
  durationMs: number;
  /** Where the time went: reading + normalizing + COPY (overlapped), then each swap step. */
  timings: Record<string, number>;
};

const COPY_COLUMNS = ["org_id", "ingestion_run_id", ...ROW_COLUMNS.map((c) => c.column)];
const COPY_BATCH_BYTES = 1 << 18;
const ID = /^[A-Za-z0-9_-]+$/;

type Sums = { billed: DecimalSum; effective: DecimalSum; list: DecimalSum; contracted: DecimalSum };
type Slice = { accountId: string; start: string; end: string; rows: number; line: number; file: string; sums: Sums };

const newSums = (): Sums => ({ billed: new DecimalSum(), effective: new DecimalSum(), list: new DecimalSum(), contracted: new DecimalSum() });

/** Streams strings into a COPY, honouring backpressure and surfacing the server's error. */
class CopyWriter {
  private error: Error | null = null;
  private readonly done: Promise<void>;

  constructor(private readonly stream: Writable) {
    this.done = new Promise<void>((resolve, reject) => {
      stream.once("finish", resolve);
      stream.once("error", (err: Error) => {
        this.error = err;
        reject(err);
      });
    });
    this.done.catch(() => undefined);
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.error) throw this.error;
    if (!this.stream.write(chunk)) await Promise.race([once(this.stream, "drain"), this.done]);
    if (this.error) throw this.error;
  }

  /** Ends the COPY; resolves with the rows the server stored. */
  async end(): Promise<number> {
    this.stream.end();
    await this.done;
    return (this.stream as Writable & { rowCount: number }).rowCount;
  }

  abort(err: Error) {
    if (!this.stream.destroyed) this.stream.destroy(err);
  }
}

/** Progress on the run row, written at most every `intervalMs`, never two writes at once. */
function progressWriter(prisma: PrismaClient, runId: string, intervalMs: number) {
  let last = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  let busy = false;
  return {
    tick(state: { rows: number; bytes: number; bytesTotal: number }, force = false) {
      const now = Date.now();
      if (busy || (!force && now - last < intervalMs)) return;
      last = now;
      busy = true;
      const progress = state.bytesTotal > 0 ? Math.min(0.95, (0.95 * state.bytes) / state.bytesTotal) : 0;
      inFlight = prisma.ingestionRun
        .updateMany({ where: { id: runId, status: "RUNNING" }, data: { rowsLoaded: state.rows, bytesRead: BigInt(state.bytes), progress } })
        .catch((err: unknown) => logger.warn({ runId, err }, "progress update failed"))
        .finally(() => {
          busy = false;
        });
    },
    flush: () => inFlight,
  };
}

async function loadRecognizer(prisma: PrismaClient, orgId: string): Promise<GpuRecognizer> {
  const entries = await prisma.gpuCatalogEntry.findMany({ where: { orgId }, orderBy: [{ provider: "asc" }, { key: "asc" }] });
  return new GpuRecognizer(entries.map((e) => ({ provider: e.provider, key: e.key, gpuModel: e.gpuModel, gpuCount: e.gpuCount.toString(), gpuMemoryGib: e.gpuMemoryGib })));
}

/** Marks a run failed with the error (best effort: the caller rethrows the original error). */
export async function markRunFailed(prisma: PrismaClient, runId: string, err: unknown): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  const detail = isIngestError(err) ? err.detail : { code: "internal", reason: message };
  await prisma.ingestionRun
    // Only a run this attempt holds: another attempt may have finished it (SUCCEEDED) meanwhile.
    .updateMany({ where: { id: runId, status: { in: ["RUNNING", "QUEUED"] } }, data: { status: "FAILED", error: message.slice(0, 2000), errorDetail: detail, finishedAt: new Date() } })
    .catch((e: unknown) => logger.error({ runId, err: e }, "could not mark the ingestion run failed"));
}

function convertRow(row: BillRow, rate: string, target: string) {
  const original = { x_OriginalBillingCurrency: row.billingCurrency, x_ExchangeRate: rate, x_OriginalBilledCost: row.billedCost, x_OriginalEffectiveCost: row.effectiveCost };
  row.billedCost = mulDecimals(row.billedCost!, rate);
  row.effectiveCost = mulDecimals(row.effectiveCost!, rate);
  if (row.listCost !== null) row.listCost = mulDecimals(row.listCost, rate);
  if (row.contractedCost !== null) row.contractedCost = mulDecimals(row.contractedCost, rate);
  row.billingCurrency = target;
  row.extra = JSON.stringify({ ...(JSON.parse(row.extra) as object), ...original });
}

export async function ingestBills(options: IngestBillsOptions): Promise<IngestSummary> {
  const { prisma, orgId, runId, files } = options;
  const pool = options.pool ?? pgPool();
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BILL_BYTES;
  const started = performance.now();
  const rates = Object.fromEntries(Object.entries(options.rates ?? {}).map(([k, v]) => [k.toUpperCase(), v]));
  const haveRates = Object.keys(rates).length > 0;
  if (files.length === 0) throw new Error("ingestBills: no files");

  if (!ID.test(orgId) || !ID.test(runId)) throw new Error("ingestBills: unexpected characters in an id");
  // A run that succeeded is never executed again (a re-run is a new run): its committed rows carry its
  // id, and the swap below only spares rows of the run being loaded.
  const claimed = await prisma.ingestionRun.updateMany({
    where: { id: runId, orgId, status: { in: ["QUEUED", "RUNNING", "FAILED"] } },
    data: { status: "RUNNING", startedAt: new Date(), finishedAt: null, error: null, errorDetail: Prisma.DbNull, attempts: { increment: 1 }, rowsLoaded: 0, bytesRead: 0n, progress: 0 },
  });
  if (claimed.count !== 1) throw new Error(`Ingestion run ${runId} does not exist in this organization, or has already succeeded or been deleted`);

  let client: pg.PoolClient | undefined;
  let writer: CopyWriter | undefined;
  const progress = progressWriter(prisma, runId, options.progressIntervalMs ?? 500);
  try {
    const gpu = await loadRecognizer(prisma, orgId);
    let targetCurrency = options.targetCurrency?.toUpperCase();
    if (haveRates && !targetCurrency) {
      targetCurrency = (await prisma.org.findUniqueOrThrow({ where: { id: orgId }, select: { currency: true } })).currency;
    }

    client = await pool.connect();
    await client.query("BEGIN");
    writer = new CopyWriter(client.query(copyFrom(`COPY bill_line_items (${COPY_COLUMNS.join(", ")}) FROM STDIN WITH (FORMAT binary)`)));
    const encoder = new CopyBinaryEncoder(orgId, runId, COPY_BATCH_BYTES);

    const sizes = await Promise.all(files.map((f) => stat(f.path).then((st) => st.size, () => 0)));
    const state = { rows: 0, bytes: 0, bytesTotal: sizes.reduce((a, b) => a + b, 0) };
    await prisma.ingestionRun.updateMany({ where: { id: runId }, data: { bytesTotal: BigInt(state.bytesTotal) } });
    const slices = new Map<string, Slice>();
    const fileStats: IngestSummary["files"] = [];
    let currency: string | null = null;
    let currencySeenAt = "";
    let gpuRows = 0;
    let gpuSkuRows = 0;
    let resourceRowsWithoutGpu = 0;
    let copyWait = 0;
    let lastSlice: Slice | undefined;

    for (let fileIndex = 0; fileIndex < files.length; fileIndex++) {
      const file = files[fileIndex]!;
      const reader = new FieldReader(file.name);
      const stream = await openRecords(file, {
        maxBytes,
        onBytes: (n) => (state.bytes += n),
        jsonColumns: normalizerFor(options.format ?? "gcp-billing").jsonColumns ?? [],
      });
      const format = options.format ?? (stream.kind === "ndjson" ? "gcp-billing" : detectFormat(stream.header));
      if (!format) throw unknownFormatError(file.name, stream.header);
      const normalizer = normalizerFor(format);
      const normalize = normalizer.prepare(stream.header, { reader, gpu, format });
      let fileRows = 0;

      for await (const batch of stream.batches) {
        for (let k = 0; k < batch.length; k++) {
          const rec = batch[k]!;
          reader.line = rec.line;
          const row = normalize(rec.fields);

          if (haveRates) {
            if (row.billingCurrency !== targetCurrency) {
              const rate =
                rates[row.billingCurrency!] ??
                reader.fail(normalizer.currencyColumn, `${row.billingCurrency} has no conversion rate into ${targetCurrency}; give one (--rate ${row.billingCurrency}=<rate>)`, "mixed_currency");
              convertRow(row, rate, targetCurrency!);
            }
            currency = targetCurrency!;
          } else if (row.billingCurrency !== currency) {
            if (currency !== null) {
              reader.fail(
                normalizer.currencyColumn,
                `found ${row.billingCurrency} after ${currency} (${currencySeenAt}); a bill in more than one currency needs a conversion rate for each other currency (--rate ${row.billingCurrency}=<rate in ${currency}>)`,
                "mixed_currency",
              );
            }
            currency = row.billingCurrency;
            currencySeenAt = `line ${rec.line} of ${file.name}`;
          }

          // Consecutive rows are mostly of one slice: compare with the last one before building a key.
          let slice = lastSlice;
          if (slice === undefined || slice.accountId !== row.billingAccountId || slice.start !== row.billingPeriodStart) {
            const key = row.billingAccountId + "\u0000" + row.billingPeriodStart;
            slice = slices.get(key);
            if (!slice) {
              slice = { accountId: row.billingAccountId!, start: row.billingPeriodStart!, end: row.billingPeriodEnd!, rows: 0, line: rec.line, file: file.name, sums: newSums() };
              slices.set(key, slice);
            }
            lastSlice = slice;
          }
          if (slice.end !== row.billingPeriodEnd) {
            reader.fail(
              undefined,
              `the billing period of account ${row.billingAccountId} starting ${row.billingPeriodStart} ends at ${row.billingPeriodEnd} here but at ${slice.end} on line ${slice.line} of ${slice.file}`,
              "invalid_date",
            );
          }
          slice.rows++;
          // Exact sums as the rows go by (Postgres would need another pass over them).
          slice.sums.billed.add(row.billedCost!);
          slice.sums.effective.add(row.effectiveCost!);
          if (row.listCost !== null) slice.sums.list.add(row.listCost);
          if (row.contractedCost !== null) slice.sums.contracted.add(row.contractedCost);
          if (row.gpuModel !== null) {
            gpuRows++;
            if (row.instanceType === null) gpuSkuRows++;
          } else if (row.resourceId !== null) resourceRowsWithoutGpu++;

          encoder.row(row);
          if (encoder.full) {
            const w0 = performance.now();
            await writer.write(encoder.take());
            copyWait += performance.now() - w0;
          }
        }
        fileRows += batch.length;
        state.rows += batch.length;
        progress.tick(state);
      }
      if (fileRows === 0) throw new IngestError({ code: "no_rows", file: file.name, reason: "the file has a header but no bill rows" });
      fileStats.push({ name: file.name, format, rows: fileRows });
    }
    encoder.finish();
    await writer.write(encoder.take());
    const e0 = performance.now();
    const copied = await writer.end();
    copyWait += performance.now() - e0;
    writer = undefined;
    if (copied !== state.rows) throw new Error(`Ingestion run ${runId}: ${state.rows} rows were sent but ${copied} were stored; nothing was changed`);
    // copyWaitMs: how long reading and normalizing stood still waiting for the database to take the
    // rows (part of loadMs): near loadMs − the process's own CPU time when the database is the bottleneck.
    const timings: Record<string, number> = { loadMs: Math.round(performance.now() - started), copyWaitMs: Math.round(copyWait) };
    let mark = performance.now();
    const step = (name: string) => {
      const now = performance.now();
      timings[name] = Math.round(now - mark);
      mark = now;
    };
    progress.tick(state, true);
    await progress.flush();

    // ── validate and swap ──
    // Two runs may load at once; their swaps take turns per org, so each sees the other's result.
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`ingest-bills:${orgId}`]);
    const current = await client.query<{ status: string }>("SELECT status FROM ingestion_runs WHERE id = $1 FOR UPDATE", [runId]);
    if (current.rows[0]?.status !== "RUNNING") {
      throw new Error(`Ingestion run ${runId} is ${current.rows[0]?.status ?? "gone"}: another attempt finished it first; this one is rolled back`);
    }
    step("lockMs");
    const accounts = [...slices.values()].map((s) => s.accountId);
    const periods = [...slices.values()].map((s) => s.start);
    const sliceArgs = [orgId, runId, accounts, periods];
    const inSlices = `b.org_id = $1 AND b.billing_account_id = s.account AND b.billing_period_start = s.period`;
    const sliceJoin = `unnest($3::text[], $4::timestamptz[]) AS s(account, period)`;
    if (gpuSkuRows > 0 && resourceRowsWithoutGpu > 0) await propagateGpuToResourceLines(client, sliceArgs, sliceJoin, inSlices);
    step("propagateMs");
    const deleted = await client.query(`DELETE FROM bill_line_items b USING ${sliceJoin} WHERE ${inSlices} AND b.ingestion_run_id IS DISTINCT FROM $2`, sliceArgs);
    step("deleteMs");

    // GPU SKU bills: the propagation may have linked more lines to a GPU; count them again.
    if (gpuSkuRows > 0 && resourceRowsWithoutGpu > 0) {
      const counted = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM bill_line_items b JOIN ${sliceJoin} ON ${inSlices} WHERE b.ingestion_run_id = $2 AND b.gpu_model IS NOT NULL`,
        sliceArgs,
      );
      gpuRows = Number(counted.rows[0]!.n);
    }
    const total = newSums();
    const sortedSlices = [...slices.values()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.accountId < b.accountId ? -1 : 1));
    for (const sl of sortedSlices) {
      total.billed.add(sl.sums.billed.toString());
      total.effective.add(sl.sums.effective.toString());
      total.list.add(sl.sums.list.toString());
      total.contracted.add(sl.sums.contracted.toString());
    }
    const t = { billed: total.billed.toString(), effective: total.effective.toString(), list: total.list.toString(), contracted: total.contracted.toString(), gpu_rows: String(gpuRows) };
    step("sumsMs");
    const billingPeriods: SliceSummary[] = sortedSlices.map((sl) => ({
      billingAccountId: sl.accountId,
      billingPeriodStart: sl.start,
      billingPeriodEnd: sl.end,
      currency: currency!,
      rows: sl.rows,
      billedCost: sl.sums.billed.toString(),
      effectiveCost: sl.sums.effective.toString(),
      listCost: sl.sums.list.toString(),
    }));
    const windowFrom = billingPeriods.reduce((m, s) => (s.billingPeriodStart < m ? s.billingPeriodStart : m), billingPeriods[0]!.billingPeriodStart);
    const windowTo = billingPeriods.reduce((m, s) => (s.billingPeriodEnd > m ? s.billingPeriodEnd : m), billingPeriods[0]!.billingPeriodEnd);
    const formats = [...new Set(fileStats.map((f) => f.format))];
    const summary: IngestSummary = {
      runId,
      format: formats.join("+"),
      files: fileStats,
      rows: state.rows,
      billedCost: t.billed,
      effectiveCost: t.effective,
      listCost: t.list,
      contractedCost: t.contracted,
      currency: currency!,
      billingPeriods,
      gpuRows: Number(t.gpu_rows),
      rowsReplaced: deleted.rowCount ?? 0,
      window: { from: windowFrom, to: windowTo },
      durationMs: 0,
      timings,
    };
    const singleAccount = new Set(accounts).size === 1 ? accounts[0]! : null;
    await client.query(
      `UPDATE ingestion_runs SET status = 'SUCCEEDED', kind = $2, rows_total = $3, rows_loaded = $3, bytes_read = $4, progress = 1,
              billed_cost = $5, effective_cost = $6, list_cost = $7, currency = $8, billing_periods = $9::jsonb, gpu_rows = $10,
              rows_replaced = $11, window_start = $12, window_end = $13, billing_account_id = $14, error = NULL, error_detail = NULL,
              finished_at = clock_timestamp()
       WHERE id = $1`,
      [runId, summary.format, summary.rows, state.bytes, summary.billedCost, summary.effectiveCost, summary.listCost, summary.currency, JSON.stringify(billingPeriods), summary.gpuRows, summary.rowsReplaced, windowFrom, windowTo, singleAccount],
    );
    await client.query("COMMIT");
    step("commitMs");
    client.release();
    client = undefined;
    summary.durationMs = Math.round(performance.now() - started);
    logger.info({ runId, orgId, rows: summary.rows, durationMs: summary.durationMs, timings }, "bill ingestion committed");
    return summary;
  } catch (err) {
    writer?.abort(err instanceof Error ? err : new Error(String(err)));
    if (client) {
      // The connection may be mid-COPY: roll back, and drop the connection rather than reuse it.
      await client.query("ROLLBACK").catch(() => undefined);
      client.release(true);
      client = undefined;
    }
    await progress.flush();
    await markRunFailed(prisma, runId, err);
    throw err;
  }
}

/**
 * Lines of a GPU instance that recognition missed by themselves take the GPU of the instance's
 * recognized lines: same resource, same charge period start, same service, both usage. Only needed when
 * a bill itemizes GPUs as SKUs (GCP): the VM's core and RAM SKUs do not say which machine type they
 * belong to, while the GPU SKU line names the GPU.
 */
async function propagateGpuToResourceLines(client: pg.PoolClient, args: unknown[], sliceJoin: string, inSlices: string) {
  await client.query(
    `UPDATE bill_line_items t
     SET gpu_model = g.gpu_model, gpu_count = g.gpu_count, instance_type = COALESCE(t.instance_type, g.instance_type)
     FROM (
       SELECT b.resource_id, b.charge_period_start, b.service_name,
              max(b.instance_type) AS instance_type, max(b.gpu_model) AS gpu_model, max(b.gpu_count) AS gpu_count
       FROM bill_line_items b JOIN ${sliceJoin} ON ${inSlices}
       WHERE b.ingestion_run_id = $2 AND b.gpu_model IS NOT NULL AND b.resource_id IS NOT NULL AND b.charge_category = 'Usage'
       GROUP BY 1, 2, 3
     ) g
     WHERE t.org_id = $1 AND t.ingestion_run_id = $2 AND t.gpu_model IS NULL AND t.charge_category = 'Usage'
       AND t.resource_id = g.resource_id AND t.charge_period_start = g.charge_period_start
       AND t.service_name IS NOT DISTINCT FROM g.service_name
       AND t.billing_account_id = ANY($3::text[]) AND t.billing_period_start = ANY($4::timestamptz[])`,
    args,
  );
}
