import path from "node:path";
import { defineConfig } from "prisma/config";
import { cliAdapter } from "./prisma/cli-adapter";

// The CLI must never fall back to the native engine (it would try to download it): engine "js".
const url = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/burnrate";
process.env.DATABASE_URL ??= url;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => cliAdapter(url),
});
