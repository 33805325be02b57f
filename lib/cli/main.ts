// The `burnrate` CLI for operators and scripts. Reads DATABASE_URL and REDIS_URL (lib/env.ts).
// Every command that reports something takes --json.
import { parseArgs } from "node:util";
import { printError, print, UsageError, type CommandResult } from "./output";
import { COMMANDS, usage } from "./commands";

async function main(argv: string[]): Promise<number> {
  const asJson = argv.includes("--json");
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage() + "\n");
    return name ? 0 : 2;
  }
  try {
    // Commands with a sub-command ("org create") are keyed by both words.
    const twoWord = rest[0] && !rest[0].startsWith("-") ? `${name} ${rest[0]}` : undefined;
    const key = twoWord && COMMANDS[twoWord] ? twoWord : name;
    const command = COMMANDS[key];
    if (!command) throw new UsageError(`Unknown command "${name}".\n\n${usage()}`);
    const args = key === twoWord ? rest.slice(1) : rest;
    const parsed = parseArgs({ args, options: { ...command.options, json: { type: "boolean" } }, allowPositionals: true, strict: true });
    const result: CommandResult = await command.run({ positionals: parsed.positionals, values: parsed.values as Record<string, unknown> });
    print(result, asJson);
    return 0;
  } catch (err) {
    printError(err, asJson);
    return err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? 2 : 1;
  } finally {
    const { shutdownCliResources } = await import("./resources");
    await shutdownCliResources();
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
