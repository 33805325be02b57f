-- The per-resource lookups (GPU rates in the rollup refresh, GPU linking, instance tags for teams) only
-- ever ask about GPU-billed lines, so the index keeps only those: a bill's non-GPU lines (most of
-- them) no longer pay for it on every ingestion. Prisma's schema cannot express the predicate, and the
-- @@index in schema.prisma stands for this index.
DROP INDEX "bill_line_items_org_id_resource_id_charge_period_start_idx";
CREATE INDEX "bill_line_items_org_id_resource_id_charge_period_start_idx" ON "bill_line_items" ("org_id", "resource_id", "charge_period_start") WHERE "gpu_model" IS NOT NULL;
