import type { Command } from "./command";
import { migrateCommand } from "./commands/migrate";
import { orgCreateCommand } from "./commands/org-create";
import { seedCommand } from "./commands/seed";
import { userCreateCommand } from "./commands/user-create";

/** Every CLI command, keyed by its words. Later issues add `ingest bill`, `report`, `recommend`. */
export const COMMANDS: Record<string, Command> = {
  migrate: migrateCommand,
  seed: seedCommand,
  "org create": orgCreateCommand,
  "user create": userCreateCommand,
};

export function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.summary}`);
  return ["Usage: burnrate <command> [options]", "", "Commands:", ...lines, "", "Environment: DATABASE_URL, REDIS_URL"].join("\n");
}
