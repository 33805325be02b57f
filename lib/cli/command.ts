import type { ParseArgsConfig } from "node:util";
import type { CommandResult } from "./output";

export type CommandInput = { positionals: string[]; values: Record<string, unknown> };

export type Command = {
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  run: (input: CommandInput) => Promise<CommandResult>;
};

export function stringOpt(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}
