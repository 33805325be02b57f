// Driver adapter for the Prisma CLI's JavaScript schema engine (no engine download; see STACK.md).
// Two workarounds, both removable once @prisma/adapter-pg fixes them upstream:
//  1. The schema engine reads catalog columns of type `name` (OID 19) and `"char"` (OID 18), which
//     adapter-pg cannot map (prisma/orm#27403). Report them as text (OID 25); the values are strings.
//  2. adapter-pg's connectToShadowDb() builds the shadow pool from the same connection string, so it
//     lands on the main database. Connect to the shadow database by name and drop it on dispose.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";

const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;

type QueryResultLike = { fields?: Array<{ dataTypeID: number }> };

function patchFields<T>(result: T): T {
  const results = Array.isArray(result) ? result : [result];
  for (const r of results as QueryResultLike[]) {
    for (const f of r?.fields ?? []) {
      if (f.dataTypeID === NAME_OID || f.dataTypeID === CHAR_OID) f.dataTypeID = TEXT_OID;
    }
  }
  return result;
}

class CatalogSafeClient extends pg.Client {
  // pg's query() has many overloads; the adapter only uses the promise form.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    // pg.Pool#query calls this with a trailing callback; direct clients use the promise form.
    const last = args[args.length - 1];
    if (typeof last === "function") {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      args[args.length - 1] = (err: unknown, res: any) => last(err, err ? res : patchFields(res));
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const out = (super.query as any)(...args);
    if (out && typeof out.then === "function") return out.then(patchFields);
    return out;
  }
}

function poolFor(connectionString: string) {
  return new pg.Pool({ connectionString, Client: CatalogSafeClient, max: 4 });
}

class CliPrismaPg extends PrismaPg {
  constructor(private readonly url: string) {
    super(poolFor(url), { disposeExternalPool: true });
  }

  override async connectToShadowDb() {
    const main = await this.connect();
    const name = `prisma_shadow_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    await main.executeScript(`CREATE DATABASE "${name}"`);
    const u = new URL(this.url);
    u.pathname = `/${name}`;
    const shadow = new PrismaPg(poolFor(u.toString()), { disposeExternalPool: true });
    const conn = await shadow.connect();
    const originalDispose = conn.dispose.bind(conn);
    conn.dispose = async () => {
      await originalDispose();
      await main.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await main.dispose();
    };
    return conn;
  }
}

export function cliAdapter(url: string) {
  return new CliPrismaPg(url);
}
