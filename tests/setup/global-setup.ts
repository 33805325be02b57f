import { migrate, recreateDatabase } from "./test-db";

// One database per integration run; its name is fixed so a crashed run is simply replaced next time.
export default async function setup({ provide }: { provide: (key: string, value: string) => void }) {
  const name = process.env.TEST_DATABASE_NAME ?? "burnrate_test_integration";
  const url = await recreateDatabase(name);
  migrate(url);
  provide("databaseUrl", url);
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
