-- CreateIndex
CREATE INDEX "gpus_org_id_last_seen_at_idx" ON "gpus"("org_id", "last_seen_at");
