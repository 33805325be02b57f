-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'FINANCE', 'ML_LEAD', 'VIEWER');

-- CreateEnum
CREATE TYPE "ConnectorKind" AS ENUM ('BILL_S3', 'BILL_HTTPS', 'PROMETHEUS', 'OPENCOST', 'KUBECOST');

-- CreateEnum
CREATE TYPE "ConnectorStatus" AS ENUM ('NEVER_RUN', 'HEALTHY', 'RUNNING', 'FAILING', 'DISABLED');

-- CreateEnum
CREATE TYPE "IngestionSource" AS ENUM ('UPLOAD', 'API', 'CLI', 'CONNECTOR', 'DEMO');

-- CreateEnum
CREATE TYPE "IngestionStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "WorkloadKind" AS ENUM ('TRAINING_RUN', 'INFERENCE_SERVICE', 'OTHER');

-- CreateEnum
CREATE TYPE "BudgetPeriod" AS ENUM ('MONTH', 'QUARTER');

-- CreateEnum
CREATE TYPE "ScopeKind" AS ENUM ('ORG', 'TEAM', 'CLUSTER', 'SERVICE', 'GPU_MODEL');

-- CreateEnum
CREATE TYPE "CostBasis" AS ENUM ('EFFECTIVE', 'BILLED');

-- CreateEnum
CREATE TYPE "SloKind" AS ENUM ('LATENCY', 'SUCCESS_RATIO', 'GPU_UTILIZATION', 'SPEND');

-- CreateEnum
CREATE TYPE "ChannelKind" AS ENUM ('SLACK', 'EMAIL');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('INFO', 'WARNING', 'CRITICAL');

-- CreateEnum
CREATE TYPE "AlertKind" AS ENUM ('BUDGET_THRESHOLD', 'BUDGET_FORECAST', 'SLO_BREACH', 'SLO_RESOLVED');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENT', 'RETRYING', 'FAILED');

-- CreateEnum
CREATE TYPE "RecommendationStatus" AS ENUM ('OPEN', 'ACCEPTED', 'DISMISSED');

-- CreateTable
CREATE TABLE "orgs" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'USD',
    "idle_threshold" DECIMAL(5,4) NOT NULL DEFAULT 0.05,
    "team_tag_key" TEXT NOT NULL DEFAULT 'team',
    "run_label_keys" TEXT[] DEFAULT ARRAY['run_id', 'training.run-id']::TEXT[],
    "settings" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "orgs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "password_hash" TEXT,
    "email_verified" TIMESTAMPTZ(3),
    "image" TEXT,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'VIEWER',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invitations" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'VIEWER',
    "token_hash" TEXT NOT NULL,
    "invited_by_id" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_account_id" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "session_token" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verification_tokens" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'VIEWER',
    "scopes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_by_id" TEXT,
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_logs" (
    "id" BIGSERIAL NOT NULL,
    "org_id" TEXT NOT NULL,
    "actor_user_id" TEXT,
    "actor_api_key_id" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "connectors" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "kind" "ConnectorKind" NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "secret_ciphertext" TEXT,
    "every_seconds" INTEGER NOT NULL DEFAULT 300,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "status" "ConnectorStatus" NOT NULL DEFAULT 'NEVER_RUN',
    "watermark" TIMESTAMPTZ(3),
    "last_run_at" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "connectors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingestion_runs" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "connector_id" TEXT,
    "source" "IngestionSource" NOT NULL,
    "kind" TEXT NOT NULL,
    "file_name" TEXT,
    "status" "IngestionStatus" NOT NULL DEFAULT 'QUEUED',
    "rows_total" INTEGER,
    "rows_loaded" INTEGER NOT NULL DEFAULT 0,
    "bytes_total" BIGINT,
    "bytes_read" BIGINT NOT NULL DEFAULT 0,
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(3),
    "window_end" TIMESTAMPTZ(3),
    "billing_account_id" TEXT,
    "error" TEXT,
    "error_detail" JSONB,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingestion_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bill_line_items" (
    "id" BIGSERIAL NOT NULL,
    "org_id" TEXT NOT NULL,
    "ingestion_run_id" TEXT,
    "source_format" TEXT NOT NULL,
    "provider_name" TEXT NOT NULL,
    "publisher_name" TEXT,
    "invoice_issuer_name" TEXT,
    "invoice_id" TEXT,
    "billing_account_id" TEXT NOT NULL,
    "billing_account_name" TEXT,
    "billing_currency" VARCHAR(3) NOT NULL,
    "billing_period_start" TIMESTAMPTZ(3) NOT NULL,
    "billing_period_end" TIMESTAMPTZ(3) NOT NULL,
    "charge_period_start" TIMESTAMPTZ(3) NOT NULL,
    "charge_period_end" TIMESTAMPTZ(3) NOT NULL,
    "charge_category" TEXT NOT NULL,
    "charge_class" TEXT,
    "charge_description" TEXT,
    "charge_frequency" TEXT,
    "billed_cost" DECIMAL(20,10) NOT NULL,
    "effective_cost" DECIMAL(20,10) NOT NULL,
    "list_cost" DECIMAL(20,10),
    "contracted_cost" DECIMAL(20,10),
    "pricing_category" TEXT,
    "pricing_quantity" DECIMAL(24,10),
    "pricing_unit" TEXT,
    "consumed_quantity" DECIMAL(24,10),
    "consumed_unit" TEXT,
    "commitment_discount_id" TEXT,
    "commitment_discount_type" TEXT,
    "commitment_discount_category" TEXT,
    "commitment_discount_status" TEXT,
    "service_name" TEXT,
    "service_category" TEXT,
    "resource_id" TEXT,
    "resource_name" TEXT,
    "resource_type" TEXT,
    "region_id" TEXT,
    "sku_id" TEXT,
    "sku_price_id" TEXT,
    "sub_account_id" TEXT,
    "sub_account_name" TEXT,
    "instance_type" TEXT,
    "gpu_model" TEXT,
    "gpu_count" DECIMAL(8,4),
    "tags" JSONB NOT NULL DEFAULT '{}',
    "extra" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "bill_line_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gpu_catalog" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "gpu_model" TEXT NOT NULL,
    "gpu_count" DECIMAL(8,4) NOT NULL,
    "gpu_memory_gib" INTEGER NOT NULL,
    "vcpus" INTEGER,
    "memory_gib" INTEGER,
    "list_price_hourly" DECIMAL(14,6),
    "notes" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "gpu_catalog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "clusters" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "region" TEXT,
    "on_prem_hourly_rate" DECIMAL(14,6),
    "capex_per_server" DECIMAL(14,2),
    "life_years" DECIMAL(5,2),
    "power_kw_per_server" DECIMAL(8,3),
    "pue" DECIMAL(5,3),
    "price_per_kwh" DECIMAL(10,6),
    "colocation_hourly" DECIMAL(14,6),
    "gpus_per_server" INTEGER,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'USD',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "clusters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gpus" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "cluster_id" TEXT,
    "uuid" TEXT NOT NULL,
    "mig_instance_id" TEXT NOT NULL DEFAULT '',
    "mig_profile" TEXT,
    "fraction" DECIMAL(6,5) NOT NULL DEFAULT 1,
    "gpu_index" INTEGER,
    "model" TEXT NOT NULL,
    "hostname" TEXT,
    "provider_instance_id" TEXT,
    "instance_type" TEXT,
    "memory_mib" INTEGER,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gpus_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gpu_hourly" (
    "org_id" TEXT NOT NULL,
    "gpu_id" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "utilization" DOUBLE PRECISION,
    "sm_active" DOUBLE PRECISION,
    "tensor_active" DOUBLE PRECISION,
    "mem_used_mib" DOUBLE PRECISION,
    "mem_total_mib" DOUBLE PRECISION,
    "power_w" DOUBLE PRECISION,
    "energy_wh" DOUBLE PRECISION,
    "samples" INTEGER NOT NULL DEFAULT 0,
    "gpu_hours" DECIMAL(10,6) NOT NULL DEFAULT 1,
    "rate" DECIMAL(16,8),
    "billed_rate" DECIMAL(16,8),
    "currency" VARCHAR(3),
    "pricing_category" TEXT,
    "workload_id" TEXT,
    "namespace" TEXT,
    "pod" TEXT,

    CONSTRAINT "gpu_hourly_pkey" PRIMARY KEY ("gpu_id","hour")
);

-- CreateTable
CREATE TABLE "workloads" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "cluster_id" TEXT,
    "kind" "WorkloadKind" NOT NULL,
    "name" TEXT NOT NULL,
    "namespace" TEXT NOT NULL DEFAULT '',
    "team" TEXT,
    "framework" TEXT,
    "model_name" TEXT,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "interruptible" BOOLEAN NOT NULL DEFAULT false,
    "checkpoint_interval_minutes" INTEGER,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workloads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workload_hourly" (
    "org_id" TEXT NOT NULL,
    "workload_id" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "gpu_hours" DECIMAL(12,6) NOT NULL DEFAULT 0,
    "useful_gpu_hours" DECIMAL(12,6) NOT NULL DEFAULT 0,
    "gpu_cost" DECIMAL(18,8) NOT NULL DEFAULT 0,
    "cpu_cost" DECIMAL(18,8) NOT NULL DEFAULT 0,
    "ram_cost" DECIMAL(18,8) NOT NULL DEFAULT 0,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'USD',
    "energy_wh" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "inferences" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "failures" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "prompt_tokens" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "generation_tokens" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "latency_histogram" JSONB,

    CONSTRAINT "workload_hourly_pkey" PRIMARY KEY ("workload_id","hour")
);

-- CreateTable
CREATE TABLE "rollup_refreshes" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "window_end" TIMESTAMPTZ(3) NOT NULL,
    "gpu_hours" INTEGER NOT NULL DEFAULT 0,
    "workload_hours" INTEGER NOT NULL DEFAULT 0,
    "duration_ms" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rollup_refreshes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "budgets" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "period" "BudgetPeriod" NOT NULL DEFAULT 'MONTH',
    "amount" DECIMAL(16,2) NOT NULL,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'USD',
    "scope_kind" "ScopeKind" NOT NULL DEFAULT 'ORG',
    "scope_value" TEXT,
    "cost_basis" "CostBasis" NOT NULL DEFAULT 'EFFECTIVE',
    "thresholds" INTEGER[] DEFAULT ARRAY[50, 80, 100]::INTEGER[],
    "forecast_threshold" INTEGER DEFAULT 100,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "budgets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slo_definitions" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "SloKind" NOT NULL,
    "percentile" DOUBLE PRECISION,
    "threshold_ms" DOUBLE PRECISION,
    "objective" DOUBLE PRECISION,
    "workload_id" TEXT,
    "scope_kind" "ScopeKind" NOT NULL DEFAULT 'ORG',
    "scope_value" TEXT,
    "budget_id" TEXT,
    "window_days" INTEGER NOT NULL DEFAULT 28,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slo_definitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "slo_breaches" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "slo_id" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "worst_value" DOUBLE PRECISION NOT NULL,
    "error_budget_consumed" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "slo_breaches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_channels" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "kind" "ChannelKind" NOT NULL,
    "name" TEXT NOT NULL,
    "secret_ciphertext" TEXT,
    "config" JSONB NOT NULL DEFAULT '{}',
    "min_severity" "Severity" NOT NULL DEFAULT 'INFO',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_rules" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AlertKind" NOT NULL,
    "severity" "Severity" NOT NULL DEFAULT 'WARNING',
    "scope_kind" "ScopeKind" NOT NULL DEFAULT 'ORG',
    "scope_value" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_events" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "rule_id" TEXT,
    "kind" "AlertKind" NOT NULL,
    "severity" "Severity" NOT NULL,
    "dedup_key" TEXT NOT NULL,
    "budget_id" TEXT,
    "slo_breach_id" TEXT,
    "title" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "alert_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deliveries" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "alert_event_id" TEXT,
    "channel_id" TEXT,
    "kind" "ChannelKind" NOT NULL,
    "target" TEXT NOT NULL,
    "dedup_key" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "response_code" INTEGER,
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "digest_subscriptions" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "day_of_week" INTEGER NOT NULL DEFAULT 1,
    "hour" INTEGER NOT NULL DEFAULT 8,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "unsubscribe_token_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "digest_subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recommendations" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT,
    "scope" JSONB NOT NULL DEFAULT '{}',
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "inputs" JSONB NOT NULL DEFAULT '{}',
    "monthly_savings" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'USD',
    "risk" TEXT,
    "status" "RecommendationStatus" NOT NULL DEFAULT 'OPEN',
    "dismiss_reason" TEXT,
    "accepted_at" TIMESTAMPTZ(3),
    "realized_savings" DECIMAL(16,2),
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recommendations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "price_assumptions" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "gpu_model" TEXT NOT NULL,
    "instance_type" TEXT,
    "on_demand_hourly_per_gpu" DECIMAL(14,6) NOT NULL,
    "spot_hourly_per_gpu" DECIMAL(14,6),
    "commitment_discounts" JSONB NOT NULL DEFAULT '{}',
    "spot_interruption_bucket" TEXT,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'USD',
    "source" TEXT NOT NULL DEFAULT 'user',
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "price_assumptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scenarios" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "inputs" JSONB NOT NULL,
    "result" JSONB NOT NULL DEFAULT '{}',
    "created_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scenarios_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "_AlertChannelToAlertRule" (
    "A" TEXT NOT NULL,
    "B" TEXT NOT NULL,

    CONSTRAINT "_AlertChannelToAlertRule_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "orgs_slug_key" ON "orgs"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_org_id_user_id_key" ON "memberships"("org_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");

-- CreateIndex
CREATE INDEX "invitations_org_id_email_idx" ON "invitations"("org_id", "email");

-- CreateIndex
CREATE INDEX "accounts_user_id_idx" ON "accounts"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_provider_provider_account_id_key" ON "accounts"("provider", "provider_account_id");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_session_token_key" ON "sessions"("session_token");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "verification_tokens_token_key" ON "verification_tokens"("token");

-- CreateIndex
CREATE UNIQUE INDEX "verification_tokens_identifier_token_key" ON "verification_tokens"("identifier", "token");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "api_keys_org_id_created_at_idx" ON "api_keys"("org_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_logs_org_id_created_at_idx" ON "audit_logs"("org_id", "created_at");

-- CreateIndex
CREATE INDEX "connectors_org_id_kind_idx" ON "connectors"("org_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "connectors_org_id_name_key" ON "connectors"("org_id", "name");

-- CreateIndex
CREATE INDEX "ingestion_runs_org_id_created_at_idx" ON "ingestion_runs"("org_id", "created_at");

-- CreateIndex
CREATE INDEX "ingestion_runs_connector_id_created_at_idx" ON "ingestion_runs"("connector_id", "created_at");

-- CreateIndex
CREATE INDEX "bill_line_items_org_id_charge_period_start_idx" ON "bill_line_items"("org_id", "charge_period_start");

-- CreateIndex
CREATE INDEX "bill_line_items_org_id_billing_account_id_billing_period_st_idx" ON "bill_line_items"("org_id", "billing_account_id", "billing_period_start");

-- CreateIndex
CREATE INDEX "bill_line_items_org_id_resource_id_charge_period_start_idx" ON "bill_line_items"("org_id", "resource_id", "charge_period_start");

-- CreateIndex
CREATE UNIQUE INDEX "gpu_catalog_org_id_provider_key_key" ON "gpu_catalog"("org_id", "provider", "key");

-- CreateIndex
CREATE UNIQUE INDEX "clusters_org_id_name_key" ON "clusters"("org_id", "name");

-- CreateIndex
CREATE INDEX "gpus_org_id_cluster_id_idx" ON "gpus"("org_id", "cluster_id");

-- CreateIndex
CREATE INDEX "gpus_org_id_provider_instance_id_idx" ON "gpus"("org_id", "provider_instance_id");

-- CreateIndex
CREATE INDEX "gpus_org_id_hostname_idx" ON "gpus"("org_id", "hostname");

-- CreateIndex
CREATE UNIQUE INDEX "gpus_org_id_uuid_mig_instance_id_key" ON "gpus"("org_id", "uuid", "mig_instance_id");

-- CreateIndex
CREATE INDEX "gpu_hourly_org_id_hour_idx" ON "gpu_hourly"("org_id", "hour");

-- CreateIndex
CREATE INDEX "gpu_hourly_workload_id_hour_idx" ON "gpu_hourly"("workload_id", "hour");

-- CreateIndex
CREATE INDEX "workloads_org_id_kind_last_seen_at_idx" ON "workloads"("org_id", "kind", "last_seen_at");

-- CreateIndex
CREATE UNIQUE INDEX "workloads_org_id_kind_namespace_name_key" ON "workloads"("org_id", "kind", "namespace", "name");

-- CreateIndex
CREATE INDEX "workload_hourly_org_id_hour_idx" ON "workload_hourly"("org_id", "hour");

-- CreateIndex
CREATE INDEX "rollup_refreshes_org_id_created_at_idx" ON "rollup_refreshes"("org_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "budgets_org_id_name_key" ON "budgets"("org_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "slo_definitions_org_id_name_key" ON "slo_definitions"("org_id", "name");

-- CreateIndex
CREATE INDEX "slo_breaches_org_id_started_at_idx" ON "slo_breaches"("org_id", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "slo_breaches_slo_id_started_at_key" ON "slo_breaches"("slo_id", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_channels_org_id_name_key" ON "alert_channels"("org_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "alert_rules_org_id_name_key" ON "alert_rules"("org_id", "name");

-- CreateIndex
CREATE INDEX "alert_events_org_id_created_at_idx" ON "alert_events"("org_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_events_org_id_dedup_key_key" ON "alert_events"("org_id", "dedup_key");

-- CreateIndex
CREATE INDEX "deliveries_org_id_created_at_idx" ON "deliveries"("org_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_org_id_dedup_key_key" ON "deliveries"("org_id", "dedup_key");

-- CreateIndex
CREATE UNIQUE INDEX "digest_subscriptions_unsubscribe_token_hash_key" ON "digest_subscriptions"("unsubscribe_token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "digest_subscriptions_org_id_user_id_key" ON "digest_subscriptions"("org_id", "user_id");

-- CreateIndex
CREATE INDEX "recommendations_org_id_status_monthly_savings_idx" ON "recommendations"("org_id", "status", "monthly_savings");

-- CreateIndex
CREATE UNIQUE INDEX "recommendations_org_id_fingerprint_key" ON "recommendations"("org_id", "fingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "price_assumptions_org_id_provider_gpu_model_key" ON "price_assumptions"("org_id", "provider", "gpu_model");

-- CreateIndex
CREATE UNIQUE INDEX "scenarios_org_id_name_key" ON "scenarios"("org_id", "name");

-- CreateIndex
CREATE INDEX "_AlertChannelToAlertRule_B_index" ON "_AlertChannelToAlertRule"("B");

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_id_fkey" FOREIGN KEY ("invited_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_actor_user_id_fkey" FOREIGN KEY ("actor_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "connectors" ADD CONSTRAINT "connectors_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ingestion_runs" ADD CONSTRAINT "ingestion_runs_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ingestion_runs" ADD CONSTRAINT "ingestion_runs_connector_id_fkey" FOREIGN KEY ("connector_id") REFERENCES "connectors"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bill_line_items" ADD CONSTRAINT "bill_line_items_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bill_line_items" ADD CONSTRAINT "bill_line_items_ingestion_run_id_fkey" FOREIGN KEY ("ingestion_run_id") REFERENCES "ingestion_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gpu_catalog" ADD CONSTRAINT "gpu_catalog_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "clusters" ADD CONSTRAINT "clusters_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gpus" ADD CONSTRAINT "gpus_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gpus" ADD CONSTRAINT "gpus_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gpu_hourly" ADD CONSTRAINT "gpu_hourly_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gpu_hourly" ADD CONSTRAINT "gpu_hourly_gpu_id_fkey" FOREIGN KEY ("gpu_id") REFERENCES "gpus"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gpu_hourly" ADD CONSTRAINT "gpu_hourly_workload_id_fkey" FOREIGN KEY ("workload_id") REFERENCES "workloads"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workloads" ADD CONSTRAINT "workloads_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workloads" ADD CONSTRAINT "workloads_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "clusters"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workload_hourly" ADD CONSTRAINT "workload_hourly_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workload_hourly" ADD CONSTRAINT "workload_hourly_workload_id_fkey" FOREIGN KEY ("workload_id") REFERENCES "workloads"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rollup_refreshes" ADD CONSTRAINT "rollup_refreshes_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slo_definitions" ADD CONSTRAINT "slo_definitions_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slo_definitions" ADD CONSTRAINT "slo_definitions_workload_id_fkey" FOREIGN KEY ("workload_id") REFERENCES "workloads"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slo_breaches" ADD CONSTRAINT "slo_breaches_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "slo_breaches" ADD CONSTRAINT "slo_breaches_slo_id_fkey" FOREIGN KEY ("slo_id") REFERENCES "slo_definitions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_channels" ADD CONSTRAINT "alert_channels_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_budget_id_fkey" FOREIGN KEY ("budget_id") REFERENCES "budgets"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_slo_breach_id_fkey" FOREIGN KEY ("slo_breach_id") REFERENCES "slo_breaches"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_alert_event_id_fkey" FOREIGN KEY ("alert_event_id") REFERENCES "alert_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "alert_channels"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digest_subscriptions" ADD CONSTRAINT "digest_subscriptions_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "digest_subscriptions" ADD CONSTRAINT "digest_subscriptions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recommendations" ADD CONSTRAINT "recommendations_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "price_assumptions" ADD CONSTRAINT "price_assumptions_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scenarios" ADD CONSTRAINT "scenarios_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_AlertChannelToAlertRule" ADD CONSTRAINT "_AlertChannelToAlertRule_A_fkey" FOREIGN KEY ("A") REFERENCES "alert_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_AlertChannelToAlertRule" ADD CONSTRAINT "_AlertChannelToAlertRule_B_fkey" FOREIGN KEY ("B") REFERENCES "alert_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- BRIN indexes (declared in schema.prisma with type: Brin) for time-range scans over the fact tables.
-- They cost a few pages each and let a range scan skip blocks outside the window.
CREATE INDEX "bill_line_items_charge_period_start_brin" ON "bill_line_items" USING BRIN ("charge_period_start");
CREATE INDEX "gpu_hourly_hour_brin" ON "gpu_hourly" USING BRIN ("hour");
CREATE INDEX "workload_hourly_hour_brin" ON "workload_hourly" USING BRIN ("hour");
