// The Prisma client singleton (driver adapter over node-postgres; no Rust engine at runtime).
import { AsyncLocalStorage } from "node:async_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "./generated/client";
import { env } from "../env";

export type Db = PrismaClient;

export function createPrisma(databaseUrl: string = env().DATABASE_URL, max = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max }) });
}

const globalForPrisma = globalThis as unknown as { __burnratePrisma?: PrismaClient };

const transactionScope = new AsyncLocalStorage<PrismaClient>();

/**
 * Process-wide client; Next.js dev reloads modules, so it is kept on globalThis. Inside
 * `inOneTransaction`, the transaction's client instead, so everything the callback writes through
 * db() commits or rolls back together.
 */
export function db(): PrismaClient {
  const scoped = transactionScope.getStore();
  if (scoped) return scoped;
  globalForPrisma.__burnratePrisma ??= createPrisma();
  return globalForPrisma.__burnratePrisma;
}

/**
 * Runs `fn` in one interactive transaction of `prisma`: db() and the client `fn` receives are the
 * transaction's, and a nested `$transaction(cb)` or `$transaction([...])` joins it (no isolation level
 * of its own). `after` runs last in the same transaction (e.g. the audit entry of what `fn` did).
 */
export async function inOneTransaction<R>(prisma: PrismaClient, fn: (client: PrismaClient) => Promise<R>, after: (tx: Prisma.TransactionClient, result: R) => Promise<void>): Promise<R> {
  return prisma.$transaction(
    async (tx) => {
      const client: PrismaClient = new Proxy(tx, {
        get(target, prop, receiver) {
          if (prop === "$transaction") {
            return (arg: unknown) => (typeof arg === "function" ? (arg as (c: PrismaClient) => Promise<unknown>)(client) : (async () => {
              const out: unknown[] = [];
              for (const p of arg as Array<PromiseLike<unknown>>) out.push(await p);
              return out;
            })());
          }
          return Reflect.get(target, prop, receiver) as unknown;
        },
      }) as unknown as PrismaClient;
      const result = await transactionScope.run(client, () => fn(client));
      await after(tx, result);
      return result;
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}

export async function disconnectDb() {
  const client = globalForPrisma.__burnratePrisma;
  globalForPrisma.__burnratePrisma = undefined;
  if (client) await client.$disconnect();
}

export * from "./generated/client";
