// Runs a query through every Prisma model against the freshly migrated database, so any drift between
// schema.prisma and the migrations fails CI.
import { afterAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { createPrisma, Prisma } from "@/lib/db/client";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
afterAll(() => prisma.$disconnect());

const models = Object.values(Prisma.ModelName);

describe("schema ↔ migrations", () => {
  it("knows every model", () => {
    expect(models.length).toBeGreaterThanOrEqual(25);
  });

  it.each(models)("%s can be queried with all its columns", async (model) => {
    const delegateName = model.charAt(0).toLowerCase() + model.slice(1);
    const delegate = (prisma as unknown as Record<string, { findMany: (a: object) => Promise<unknown[]> }>)[delegateName];
    expect(delegate, `no delegate for ${model}`).toBeDefined();
    // findMany selects every scalar column by name, so a missing or renamed column throws here.
    const rows = await delegate!.findMany({ take: 1 });
    expect(Array.isArray(rows)).toBe(true);
  });

  it("migrations produce exactly the schema (no pending diff)", () => {
    const root = path.resolve(__dirname, "../..");
    const out = execFileSync(
      path.join(root, "node_modules/.bin/prisma"),
      ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/schema.prisma", "--exit-code"],
      { cwd: root, env: { ...process.env }, stdio: "pipe" },
    ).toString();
    expect(out).toContain("No difference detected");
  });
});
