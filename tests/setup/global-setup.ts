import { dropDatabase, migrate, recreateDatabase } from "./test-db";

// One database per integration run (named by the run's pid, so two runs on one machine never share
// one), dropped when the run ends. TEST_DATABASE_NAME pins the name and keeps the database for a look.
export default async function setup({ provide }: { provide: (key: string, value: string) => void }) {
  const pinned = process.env.TEST_DATABASE_NAME;
  const name = pinned ?? `burnrate_test_int_${process.pid}`;
  const url = await recreateDatabase(name);
  migrate(url);
  provide("databaseUrl", url);
  return async () => {
    if (!pinned) await dropDatabase(name);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
