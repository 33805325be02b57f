// How CLI commands report: a JSON document with --json, human-readable lines otherwise.
export class UsageError extends Error {}

export type CommandResult = { human: string; json: unknown };

export function print(result: CommandResult, asJson: boolean) {
  process.stdout.write(asJson ? JSON.stringify(result.json, null, 2) + "\n" : result.human + "\n");
}

export function printError(err: unknown, asJson: boolean) {
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof UsageError ? "usage" : ((err as { code?: string }).code ?? "error");
  if (asJson) process.stdout.write(JSON.stringify({ error: { code, message } }) + "\n");
  process.stderr.write(`burnrate: ${message}\n`);
}
