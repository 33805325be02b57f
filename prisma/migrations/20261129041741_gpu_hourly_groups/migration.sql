-- gpu_daily's partial sums per hour (lib/costs/daily-rollup.ts): what reports read for the partial days at a
-- window's edges, ~7 times fewer rows than gpu_hourly.
-- CreateTable
CREATE TABLE "gpu_hourly_groups" (
    "id" BIGSERIAL NOT NULL,
    "org_id" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
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

    CONSTRAINT "gpu_hourly_groups_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "gpu_hourly_groups_org_id_hour_idx" ON "gpu_hourly_groups"("org_id", "hour");

-- CreateIndex
CREATE INDEX "gpu_hourly_groups_workload_id_idx" ON "gpu_hourly_groups"("workload_id");

-- AddForeignKey
ALTER TABLE "gpu_hourly_groups" ADD CONSTRAINT "gpu_hourly_groups_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gpu_hourly_groups" ADD CONSTRAINT "gpu_hourly_groups_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gpu_hourly_groups" ADD CONSTRAINT "gpu_hourly_groups_workload_id_fkey" FOREIGN KEY ("workload_id") REFERENCES "workloads"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Days built before this table existed have no hourly groups: stale until rebuilt (read from gpu_hourly).
INSERT INTO rollup_stale_days (org_id, day)
SELECT DISTINCT org_id, day FROM gpu_daily
ON CONFLICT DO NOTHING;
