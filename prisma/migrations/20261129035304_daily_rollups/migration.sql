-- Daily rollups the reports read for whole UTC days (lib/costs/daily-rollup.ts), exact GPU rates, and
-- the stale-day marks that keep the daily rollup honest when a GPU's attributes change.
-- gpu_hourly.rate numeric(16,8) -> numeric only drops the typmod: Postgres does not rewrite the table.
-- AlterTable
ALTER TABLE "gpu_hourly" ALTER COLUMN "rate" SET DATA TYPE DECIMAL,
ALTER COLUMN "billed_rate" SET DATA TYPE DECIMAL;

-- CreateTable
CREATE TABLE "gpu_daily" (
    "id" BIGSERIAL NOT NULL,
    "org_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "cluster_id" TEXT,
    "gpu_model" TEXT NOT NULL,
    "provider_instance_id" TEXT,
    "workload_id" TEXT,
    "namespace" TEXT,
    "pricing_category" TEXT,
    "currency" VARCHAR(3),
    "billed_currency" VARCHAR(3),
    "gpu_hours" DECIMAL NOT NULL,
    "known_gpu_hours" DECIMAL NOT NULL,
    "useful_gpu_hours" DECIMAL NOT NULL,
    "idle_gpu_hours" DECIMAL NOT NULL,
    "cost" DECIMAL,
    "billed_cost" DECIMAL,
    "gap_cost" DECIMAL,
    "billed_gap_cost" DECIMAL,
    "idle_cost" DECIMAL,
    "billed_idle_cost" DECIMAL,
    "useful_cost" DECIMAL,
    "billed_useful_cost" DECIMAL,
    "energy_wh" DECIMAL,
    "first_hour" TIMESTAMPTZ(3),
    "last_hour" TIMESTAMPTZ(3),

    CONSTRAINT "gpu_daily_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workload_daily" (
    "id" BIGSERIAL NOT NULL,
    "org_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "workload_id" TEXT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "cpu_ram_cost" DECIMAL NOT NULL,
    "inferences" DOUBLE PRECISION NOT NULL,
    "failures" DOUBLE PRECISION NOT NULL,
    "prompt_tokens" DOUBLE PRECISION NOT NULL,
    "generation_tokens" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "workload_daily_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workload_latency_daily" (
    "id" BIGSERIAL NOT NULL,
    "org_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "workload_id" TEXT NOT NULL,
    "le" JSONB NOT NULL,
    "counts" DOUBLE PRECISION[],

    CONSTRAINT "workload_latency_daily_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollup_stale_days" (
    "org_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "marked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rollup_stale_days_pkey" PRIMARY KEY ("org_id","day")
);

-- CreateIndex
CREATE INDEX "gpu_daily_org_id_day_idx" ON "gpu_daily"("org_id", "day");

-- CreateIndex
CREATE INDEX "gpu_daily_workload_id_idx" ON "gpu_daily"("workload_id");

-- CreateIndex
CREATE INDEX "workload_daily_org_id_day_idx" ON "workload_daily"("org_id", "day");

-- CreateIndex
CREATE INDEX "workload_daily_workload_id_idx" ON "workload_daily"("workload_id");

-- CreateIndex
CREATE INDEX "workload_latency_daily_org_id_day_idx" ON "workload_latency_daily"("org_id", "day");

-- CreateIndex
CREATE INDEX "workload_latency_daily_workload_id_idx" ON "workload_latency_daily"("workload_id");

-- AddForeignKey
ALTER TABLE "gpu_daily" ADD CONSTRAINT "gpu_daily_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gpu_daily" ADD CONSTRAINT "gpu_daily_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gpu_daily" ADD CONSTRAINT "gpu_daily_workload_id_fkey" FOREIGN KEY ("workload_id") REFERENCES "workloads"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workload_daily" ADD CONSTRAINT "workload_daily_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workload_daily" ADD CONSTRAINT "workload_daily_workload_id_fkey" FOREIGN KEY ("workload_id") REFERENCES "workloads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workload_latency_daily" ADD CONSTRAINT "workload_latency_daily_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workload_latency_daily" ADD CONSTRAINT "workload_latency_daily_workload_id_fkey" FOREIGN KEY ("workload_id") REFERENCES "workloads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A GPU whose cluster, model or instance changes (relinked to a billed resource, moved) or that is
-- deleted (its gpu_hourly rows go with it) leaves daily rows built with its old attributes: mark all
-- its days stale. Reports read stale days from the hourly tables, the rollups job rebuilds them.
-- No dollar-quoted body: the migration runner splits on every semicolon, so they are written \x3B.
CREATE FUNCTION gpus_mark_rollup_days_stale() RETURNS trigger LANGUAGE plpgsql AS
E'BEGIN IF EXISTS (SELECT 1 FROM orgs WHERE id = OLD.org_id) THEN INSERT INTO rollup_stale_days (org_id, day) SELECT DISTINCT OLD.org_id, (h.hour AT TIME ZONE ''UTC'')::date FROM gpu_hourly h WHERE h.gpu_id = OLD.id ON CONFLICT DO NOTHING\x3B END IF\x3B RETURN OLD\x3B END';

CREATE TRIGGER gpus_update_mark_rollup_days_stale AFTER UPDATE OF cluster_id, model, provider_instance_id ON gpus
FOR EACH ROW WHEN (OLD.cluster_id IS DISTINCT FROM NEW.cluster_id OR OLD.model IS DISTINCT FROM NEW.model
                   OR OLD.provider_instance_id IS DISTINCT FROM NEW.provider_instance_id)
EXECUTE FUNCTION gpus_mark_rollup_days_stale();

CREATE TRIGGER gpus_delete_mark_rollup_days_stale BEFORE DELETE ON gpus
FOR EACH ROW EXECUTE FUNCTION gpus_mark_rollup_days_stale();

-- Existing history has no daily rows yet: every day with hourly data is stale until rebuilt (by the
-- hourly rollups fan-out, or `burnrate rollups rebuild`), and read from the hourly tables meanwhile.
INSERT INTO rollup_stale_days (org_id, day)
SELECT DISTINCT org_id, (hour AT TIME ZONE 'UTC')::date FROM gpu_hourly
UNION
SELECT DISTINCT org_id, (hour AT TIME ZONE 'UTC')::date FROM workload_hourly;
