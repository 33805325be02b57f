-- Bill ingestion: exact (unconstrained) NUMERIC costs, run totals and sources for re-runs, soft-deleted runs.
-- numeric(p,s) -> numeric only drops the typmod: Postgres does not rewrite the table.
-- AlterEnum
ALTER TYPE "IngestionStatus" ADD VALUE 'DELETED';

-- AlterTable
ALTER TABLE "bill_line_items" ALTER COLUMN "billed_cost" SET DATA TYPE DECIMAL,
ALTER COLUMN "effective_cost" SET DATA TYPE DECIMAL,
ALTER COLUMN "list_cost" SET DATA TYPE DECIMAL,
ALTER COLUMN "contracted_cost" SET DATA TYPE DECIMAL,
ALTER COLUMN "pricing_quantity" SET DATA TYPE DECIMAL,
ALTER COLUMN "consumed_quantity" SET DATA TYPE DECIMAL;

-- AlterTable
ALTER TABLE "ingestion_runs" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "billed_cost" DECIMAL,
ADD COLUMN     "billing_periods" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "currency" VARCHAR(3),
ADD COLUMN     "deleted_at" TIMESTAMPTZ(3),
ADD COLUMN     "effective_cost" DECIMAL,
ADD COLUMN     "gpu_rows" INTEGER,
ADD COLUMN     "list_cost" DECIMAL,
ADD COLUMN     "options" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "rows_replaced" INTEGER,
ADD COLUMN     "source_uri" TEXT,
ADD COLUMN     "source_version" TEXT;
