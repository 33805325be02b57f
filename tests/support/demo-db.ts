// A database of its own seeded with the demo org (the demo seed replaces the org with slug "demo"
// wholesale, and demo-seed.test.ts seeds the shared test database: files that read the demo in
// parallel each take their own), for the tests that reconcile the demo's reports.
import { afterAll, beforeAll } from "vitest";
import { createPrisma, type PrismaClient } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { closePgPool } from "@/lib/db/pg";
import { dropDatabase, migrate, recreateDatabase } from "@/tests/setup/test-db";
import type { DemoSummary } from "@/prisma/seed/demo";

export type DemoDb = { prisma: PrismaClient; orgId: string; summary: DemoSummary };

/**
 * Registers beforeAll/afterAll hooks that create database `name` (the caller's file name and pid),
 * migrate it, point DATABASE_URL at it, seed the demo as of `now`, and drop it afterwards. The returned
 * object is filled in by beforeAll.
 */
export function seededDemoDatabase(name: string, now: Date): DemoDb {
  const demo = {} as DemoDb;
  beforeAll(async () => {
    const url = await recreateDatabase(name);
    migrate(url);
    process.env.DATABASE_URL = url;
    resetEnvCache();
    demo.prisma = createPrisma(url, 4);
    const { seedDemo } = await import("@/prisma/seed/demo");
    demo.summary = await seedDemo({ prisma: demo.prisma, now });
    demo.orgId = (await demo.prisma.org.findUniqueOrThrow({ where: { slug: demo.summary.org } })).id;
  }, 240_000);
  afterAll(async () => {
    await demo.prisma?.$disconnect();
    await closePgPool();
    await dropDatabase(name);
  });
  return demo;
}
