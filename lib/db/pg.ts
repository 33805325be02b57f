// A plain node-postgres pool beside Prisma, for what Prisma cannot do: COPY and long set-based SQL.
import pg from "pg";
import { env } from "../env";

const globalForPg = globalThis as unknown as { __burnratePgPool?: pg.Pool };

export function pgPool(): pg.Pool {
  globalForPg.__burnratePgPool ??= new pg.Pool({ connectionString: env().DATABASE_URL, max: 5 });
  return globalForPg.__burnratePgPool;
}

export async function closePgPool() {
  const p = globalForPg.__burnratePgPool;
  globalForPg.__burnratePgPool = undefined;
  if (p) await p.end();
}

/** Runs fn inside one transaction on one connection; rolls back on any error. */
export async function withPgTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>, pool: pg.Pool = pgPool()): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
