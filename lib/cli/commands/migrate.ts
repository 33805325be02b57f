import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { Command } from "../command";
import { env } from "../../env";

const run = promisify(execFile);

export const migrateCommand: Command = {
  usage: "burnrate migrate [--json]",
  summary: "Apply pending database migrations (prisma migrate deploy)",
  options: {},
  async run() {
    const root = path.resolve(__dirname, "../../..");
    const { stdout } = await run(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: env().DATABASE_URL },
    });
    const applied = [...stdout.matchAll(/^\s*└─ (\S+)\//gm)].map((m) => m[1]);
    const upToDate = /No pending migrations/.test(stdout);
    return {
      human: upToDate ? "Database is up to date." : `Applied ${applied.length} migration(s): ${applied.join(", ")}`,
      json: { applied, upToDate },
    };
  },
};
