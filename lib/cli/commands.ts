import type { Command } from "./command";
import { billsTotalsCommand } from "./commands/bills-totals";
import { ingestBillCommand } from "./commands/ingest-bill";
import { connectorAddCommand } from "./commands/connector-add";
import { connectorListCommand } from "./commands/connector-list";
import { connectorRunCommand } from "./commands/connector-run";
import { migrateCommand } from "./commands/migrate";
import { orgCreateCommand } from "./commands/org-create";
import { recommendCommand } from "./commands/recommend";
import { recommendScenariosCommand } from "./commands/recommend-scenarios";
import { reportCommand } from "./commands/report";
import { rollupsRebuildCommand } from "./commands/rollups-rebuild";
import { seedCommand } from "./commands/seed";
import { userCreateCommand } from "./commands/user-create";

/** Every CLI command, keyed by its words. Later issues add `ingest bill`, `report`, `recommend`. */
export const COMMANDS: Record<string, Command> = {
  migrate: migrateCommand,
  seed: seedCommand,
  "org create": orgCreateCommand,
  "user create": userCreateCommand,
  report: reportCommand,
  "ingest bill": ingestBillCommand,
  "bills totals": billsTotalsCommand,
  "connector add": connectorAddCommand,
  "connector run": connectorRunCommand,
  "connector list": connectorListCommand,
  recommend: recommendCommand,
  "recommend scenarios": recommendScenariosCommand,
  "rollups rebuild": rollupsRebuildCommand,
};

export function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.summary}`);
  return ["Usage: burnrate <command> [options]", "", "Commands:", ...lines, "", "Environment: DATABASE_URL, REDIS_URL"].join("\n");
}
