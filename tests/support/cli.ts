// Runs the real CLI (`node bin/burnrate.mjs ...`) as a user would, and returns its exit code and output
// instead of throwing on a non-zero exit.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = path.resolve(__dirname, "../..");

export type CliResult = { code: number; stdout: string; stderr: string };

/** `extraEnv` is added to this process's environment (e.g. `{ LOG_LEVEL: "error" }` to keep stderr to errors). */
export async function runCli(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run("node", [path.join(root, "bin/burnrate.mjs"), ...args], { cwd: root, env: { ...process.env, ...extraEnv }, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
