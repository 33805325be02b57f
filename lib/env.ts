// The one place environment variables are read and validated, for web, worker and CLI alike.
// Code that should be testable takes its configuration as arguments; this module supplies defaults.
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().url().default("postgresql://postgres@127.0.0.1:5432/burnrate"),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  /// Prefix for BullMQ keys, so several environments (dev, test runs) can share one Redis.
  QUEUE_PREFIX: z.string().min(1).default("burnrate"),
  /// Public base URL used in links (emails, Slack messages).
  APP_URL: z.string().url().default("http://localhost:3000"),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  /// 32-byte key (base64 or hex) for AES-256-GCM encryption of connector and channel secrets.
  ENCRYPTION_KEY: z.string().min(32).optional(),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_NAME: z.string().default("SSO"),
  /// Allow sign-up of new orgs from the sign-in page.
  ALLOW_SIGNUP: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /// Comma-separated queue names this worker consumes; empty = all.
  WORKER_QUEUES: z.string().default(""),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /// Alert deliveries: first retry delay when Slack gives no Retry-After (doubles each retry), and attempts in all.
  ALERT_RETRY_BASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  ALERT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /// SMTP for the weekly digests. No SMTP_HOST = digests are not sent (the preview page still works).
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  /// "true" = TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it.
  SMTP_SECURE: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /// "true" refuses to send without STARTTLS on a non-secure port.
  SMTP_REQUIRE_TLS: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default("Burnrate <digest@burnrate.local>"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid environment: ${issues}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache() {
  cached = undefined;
}
