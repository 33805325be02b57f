// docker-compose.yml must stay valid for people who run Burnrate without a local PostgreSQL and Redis.
// Validated with whichever compose client this machine has (`docker compose` v2 or `docker-compose`).
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");

function composeClient(): string[] | null {
  if (spawnSync("docker", ["compose", "version"], { stdio: "ignore" }).status === 0) return ["docker", "compose"];
  if (spawnSync("docker-compose", ["version"], { stdio: "ignore" }).status === 0) return ["docker-compose"];
  return null;
}

const client = composeClient();

describe.skipIf(!client)("docker-compose.yml", () => {
  it("is valid and defines postgres, redis, mailpit, web and worker with healthchecks", () => {
    const [cmd, ...pre] = client!;
    const out = execFileSync(cmd!, [...pre, "config"], { cwd: root, encoding: "utf8" });
    for (const service of ["postgres", "redis", "mailpit", "web", "worker", "migrate"]) expect(out).toMatch(new RegExp(`^  ${service}:`, "m"));
    expect(out.match(/healthcheck:/g)?.length ?? 0).toBeGreaterThanOrEqual(5);
  });

  it("gives the worker (which sends the digests) SMTP settings that reach mailpit, and starts it after mailpit", () => {
    const [cmd, ...pre] = client!;
    const out = execFileSync(cmd!, [...pre, "config"], { cwd: root, encoding: "utf8", env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SMTP_"))) as NodeJS.ProcessEnv });
    const worker = /^ {2}worker:\n((?: {4}.*\n|\n)*)/m.exec(out)?.[1] ?? "";
    expect(worker).toMatch(/^ {6}SMTP_HOST: mailpit$/m);
    expect(worker).toMatch(/^ {6}SMTP_PORT: '?"?1025'?"?$/m);
    expect(worker).toMatch(/^ {6}SMTP_FROM: .+@/m);
    expect(worker).toMatch(/^ {6}mailpit:\n {8}condition: service_healthy$/m);
  });
});
