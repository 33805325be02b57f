import { inject } from "vitest";
import { randomBytes } from "node:crypto";

// Every integration test file talks to the migrated test database and a Redis key prefix of its own.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
process.env.QUEUE_PREFIX = `brtest-${randomBytes(4).toString("hex")}`;
process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("hex");
process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("hex");
