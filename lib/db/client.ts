// The Prisma client singleton (driver adapter over node-postgres; no Rust engine at runtime).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { env } from "../env";

export type Db = PrismaClient;

export function createPrisma(databaseUrl: string = env().DATABASE_URL, max = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max }) });
}

const globalForPrisma = globalThis as unknown as { __burnratePrisma?: PrismaClient };

/** Process-wide client; Next.js dev reloads modules, so it is kept on globalThis. */
export function db(): PrismaClient {
  globalForPrisma.__burnratePrisma ??= createPrisma();
  return globalForPrisma.__burnratePrisma;
}

export async function disconnectDb() {
  const client = globalForPrisma.__burnratePrisma;
  globalForPrisma.__burnratePrisma = undefined;
  if (client) await client.$disconnect();
}

export * from "./generated/client";
