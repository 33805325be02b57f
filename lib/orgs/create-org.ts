// Creating an org: the org row, its first admin, and its own copy of the GPU catalog, in one transaction.
import { z } from "zod";
import type { PrismaClient } from "../db/client";
import { GPU_CATALOG_DEFAULTS } from "../domain/gpu-catalog-defaults";
import { conflict } from "../http/errors";

/** Top-level paths of the app: an org with one of these slugs could never be reached at /<slug>. */
export const RESERVED_SLUGS = new Set(["api", "signin", "signup", "signout", "invite", "orgs", "settings", "overview", "_next", "static", "public", "favicon.ico"]);

export const orgSlugSchema = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "lowercase letters, digits and dashes")
  .refine((s) => !RESERVED_SLUGS.has(s), "this address is reserved");

export async function createOrg(
  prisma: PrismaClient,
  { slug, name, adminUserId, currency = "USD" }: { slug: string; name: string; adminUserId?: string; currency?: string },
) {
  orgSlugSchema.parse(slug);
  if (await prisma.org.findUnique({ where: { slug } })) throw conflict(`An organization with slug "${slug}" already exists`);
  return prisma.$transaction(async (tx) => {
    const org = await tx.org.create({ data: { slug, name, currency } });
    await tx.gpuCatalogEntry.createMany({
      data: GPU_CATALOG_DEFAULTS.map((e) => ({
        orgId: org.id,
        provider: e.provider,
        key: e.key,
        gpuModel: e.gpuModel,
        gpuCount: e.gpuCount,
        gpuMemoryGib: e.gpuMemoryGib,
        listPriceHourly: e.listPriceHourly,
        notes: e.notes ?? null,
      })),
    });
    if (adminUserId) await tx.membership.create({ data: { orgId: org.id, userId: adminUserId, role: "ADMIN" } });
    return org;
  });
}
