// Ingestion runs as records: create (QUEUED), execute by id (the worker, the CLI, a re-run), re-run as
// a new run of the same source, and delete (its rows go, the run stays as an audit record, DELETED).
import path from "node:path";
import { z } from "zod";
import type { IngestionSource, PrismaClient } from "../db/client";
import { withPgTransaction } from "../db/pg";
import { BILL_FORMATS } from "../connectors/shared/bill-row";
import { type IngestSummary, ingestBills } from "./ingest-bills";
import { type ResolvedSource, resolveRunSources } from "./run-sources";

/** Bill runs (telemetry connectors write ingestion runs too, with their connector kind as kind). */
export const BILL_RUN_WHERE = { OR: [{ kind: { in: [...BILL_FORMATS, "bill"] } }, { kind: { contains: "+" } }] };

/** What a run remembers of how it was asked to ingest (also what a re-run repeats). */
export const runOptionsSchema = z.object({
  format: z.enum(BILL_FORMATS).optional(),
  rates: z.record(z.string().regex(/^[A-Za-z]{3}$/), z.string().regex(/^\d+(\.\d+)?$/)).optional(),
  targetCurrency: z.string().regex(/^[A-Za-z]{3}$/).optional(),
  maxBytes: z.number().int().positive().optional(),
  /** More than one file in one run (a CUR delivery in parts): their URIs and display names. */
  files: z.array(z.object({ uri: z.string().min(1), name: z.string().min(1) })).optional(),
});
export type RunOptions = z.infer<typeof runOptionsSchema>;

export async function createIngestionRun(
  prisma: PrismaClient,
  {
    orgId,
    source,
    fileName,
    sourceUri,
    sourceVersion,
    connectorId,
    options = {},
  }: { orgId: string; source: IngestionSource; fileName: string; sourceUri: string; sourceVersion?: string; connectorId?: string; options?: RunOptions },
) {
  return prisma.ingestionRun.create({
    data: {
      orgId,
      source,
      kind: options.format ?? "bill",
      fileName,
      sourceUri,
      sourceVersion: sourceVersion ?? null,
      connectorId: connectorId ?? null,
      options: runOptionsSchema.parse(options),
      status: "QUEUED",
    },
  });
}

/** Runs the ingestion of an existing run, fetching remote sources first. Throws what ingestBills throws. */
export async function executeIngestionRun(prisma: PrismaClient, { orgId, runId }: { orgId: string; runId: string }): Promise<IngestSummary> {
  const run = await prisma.ingestionRun.findFirst({ where: { id: runId, orgId } });
  if (!run) throw new Error(`Ingestion run ${runId} does not exist in this organization`);
  const options = runOptionsSchema.parse(run.options ?? {});
  let resolved: ResolvedSource | undefined;
  try {
    resolved = await resolveRunSources(prisma, { run, options });
    return await ingestBills({
      prisma,
      orgId,
      runId,
      files: resolved.files,
      format: options.format,
      rates: options.rates,
      targetCurrency: options.targetCurrency,
      maxBytes: options.maxBytes,
    });
  } finally {
    await resolved?.cleanup();
  }
}

/** A new run of the same source and options (the history keeps both). */
export async function rerunIngestion(prisma: PrismaClient, { orgId, runId, source }: { orgId: string; runId: string; source: IngestionSource }) {
  const run = await prisma.ingestionRun.findFirst({ where: { id: runId, orgId } });
  if (!run) return null;
  if (!run.sourceUri) throw new Error("This run has no stored source to ingest again");
  return createIngestionRun(prisma, {
    orgId,
    source,
    fileName: run.fileName ?? path.basename(run.sourceUri),
    sourceUri: run.sourceUri,
    sourceVersion: run.sourceVersion ?? undefined,
    connectorId: run.connectorId ?? undefined,
    options: runOptionsSchema.parse(run.options ?? {}),
  });
}

/**
 * Deletes a run's rows (those still in the database: a later run of the same slices has already
 * replaced them) and marks it DELETED. Returns the rows removed and the window they covered, for a
 * rollup refresh; null if there is no such run.
 */
export async function deleteIngestionRun(prisma: PrismaClient, { orgId, runId }: { orgId: string; runId: string }) {
  const run = await prisma.ingestionRun.findFirst({ where: { id: runId, orgId } });
  if (!run) return null;
  if (run.status === "RUNNING") throw new Error("This run is still running; wait for it to finish before deleting it");
  const slices = z
    .array(z.object({ billingAccountId: z.string(), billingPeriodStart: z.string() }))
    .catch([])
    .parse(run.billingPeriods);
  const rowsDeleted = await withPgTransaction(async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`ingest-bills:${orgId}`]);
    // Through the slices the run covered, so the (org, account, period) index finds the rows.
    const res = await client.query(
      `DELETE FROM bill_line_items b USING unnest($3::text[], $4::timestamptz[]) AS s(account, period)
       WHERE b.org_id = $1 AND b.ingestion_run_id = $2 AND b.billing_account_id = s.account AND b.billing_period_start = s.period`,
      [orgId, runId, slices.map((s) => s.billingAccountId), slices.map((s) => s.billingPeriodStart)],
    );
    await client.query(`UPDATE ingestion_runs SET status = 'DELETED', deleted_at = now() WHERE id = $1 AND org_id = $2`, [runId, orgId]);
    return res.rowCount ?? 0;
  });
  return { rowsDeleted, window: run.windowStart && run.windowEnd ? { from: run.windowStart, to: run.windowEnd } : null };
}
