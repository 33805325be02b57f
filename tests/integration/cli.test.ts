// The `burnrate` CLI as operators run it: a real process, a real database, exit codes and --json.
import { afterAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { verifyPassword } from "@/lib/auth/passwords";
import { runCli } from "../support/cli";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
afterAll(() => prisma.$disconnect());

const cli = runCli;

const slug = `cli-${Date.now().toString(36)}`;

describe("burnrate CLI", () => {
  it("migrate reports the database up to date (global setup already migrated it)", async () => {
    const r = await cli(["migrate", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ applied: [], upToDate: true });
  });

  it("org create makes an org with its own GPU catalog", async () => {
    const r = await cli(["org", "create", slug, "--name", "CLI Test Org", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ slug, name: "CLI Test Org", currency: "USD" });
    const catalog = await prisma.gpuCatalogEntry.findMany({ where: { orgId: out.id } });
    const p5 = catalog.find((c) => c.key === "p5.48xlarge");
    expect(p5?.gpuModel).toBe("H100");
    expect(Number(p5?.gpuCount)).toBe(8);
    expect(catalog.length).toBeGreaterThan(40);
  });

  it("org create refuses a duplicate slug with exit code 1 and a JSON error", async () => {
    const r = await cli(["org", "create", slug, "--name", "Again", "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.message).toContain("already exists");
  });

  it("user create stores a bcrypt hash and the membership role", async () => {
    const email = `ops-${slug}@example.test`;
    const r = await cli(["user", "create", email, "--org", slug, "--role", "finance", "--password", "s3cret-pass", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ email, org: slug, role: "FINANCE" });
    const user = await prisma.user.findUniqueOrThrow({ where: { email }, include: { memberships: { include: { org: true } } } });
    expect(user.passwordHash).not.toContain("s3cret-pass");
    expect(await verifyPassword("s3cret-pass", user.passwordHash!)).toBe(true);
    expect(user.memberships.map((m) => [m.org.slug, m.role])).toEqual([[slug, "FINANCE"]]);
  });

  it("usage errors exit 2 and name what is wrong", async () => {
    const bad = await cli(["user", "create", "a@b.test", "--org", slug, "--role", "OWNER", "--password", "12345678"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--role must be one of ADMIN, FINANCE, ML_LEAD, VIEWER");
    const unknown = await cli(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
  });

  it("user create for an unknown org exits 1", async () => {
    const r = await cli(["user", "create", "x@y.test", "--org", "no-such-org", "--role", "VIEWER", "--password", "12345678", "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.message).toBe('No organization with slug "no-such-org"');
  });
});
