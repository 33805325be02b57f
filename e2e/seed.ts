// Seeds the e2e database: the demo org through the CLI (`burnrate seed --demo`, exactly what users run),
// then a few fixtures of the e2e suite's own on top, through lib/ (orgs, users, keys, invitations).
//
// E2E_SEED=builtin skips the CLI and builds a small demo org here instead (known bill lines in USD);
// it exists for working on the UI while the demo generator is being changed.
//
// Run by the global setup as `tsx e2e/seed.ts <databaseUrl>` (the Prisma client is ESM, which
// Playwright's own TypeScript loader does not run).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createPrisma, type PrismaClient } from "../lib/db/client";
import { createOrg } from "../lib/orgs/create-org";
import { createApiKey } from "../lib/auth/api-keys";
import { createInvitation } from "../lib/orgs/invitations";
import { hashPassword } from "../lib/auth/passwords";
import { DEMO, E2E_PASSWORD, FIXTURES_FILE, LAB_ORG, OTHER_ORG, SECOND_ORG, VIEWER, type Fixtures } from "./env";

const root = path.resolve(__dirname, "..");

function seedDemoWithCli(databaseUrl: string) {
  // E2E_DEMO_DAYS shortens the generated history (the Overview's figures are checked against SQL either way).
  const days = process.env.E2E_DEMO_DAYS ? ["--days", process.env.E2E_DEMO_DAYS] : [];
  execFileSync(path.join(root, "node_modules/.bin/tsx"), ["lib/cli/main.ts", "seed", "--demo", ...days, "--json"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 240_000,
  });
}

async function seedDemoBuiltin(prisma: PrismaClient) {
  const passwordHash = await hashPassword(DEMO.password);
  const admin = await prisma.user.create({ data: { email: DEMO.email, name: "Dana Demo", passwordHash } });
  const org = await createOrg(prisma, { slug: DEMO.slug, name: "Demo AI Inc.", adminUserId: admin.id });
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const rows = [];
  for (let d = 0; d < 45; d++) {
    const start = new Date(today - d * 86_400_000);
    for (const [gpu, cost] of [["H100", 1320.96 + d * 1.37], [null, 87.125 + d]] as const) {
      rows.push({
        orgId: org.id,
        sourceFormat: "focus-1.0",
        providerName: "AWS",
        billingAccountId: "111122223333",
        billingCurrency: "USD",
        billingPeriodStart: new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1)),
        billingPeriodEnd: new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1)),
        chargePeriodStart: start,
        chargePeriodEnd: new Date(start.getTime() + 86_400_000),
        chargeCategory: "Usage",
        billedCost: (cost * 1.2).toFixed(4),
        effectiveCost: cost.toFixed(4),
        gpuModel: gpu,
        gpuCount: gpu ? "1" : null,
        instanceType: gpu ? "p5.4xlarge" : "m7i.2xlarge",
      });
    }
  }
  await prisma.billLineItem.createMany({ data: rows });
}

export async function seedE2e(databaseUrl: string): Promise<Fixtures> {
  const prisma = createPrisma(databaseUrl, 2);
  try {
    if (process.env.E2E_SEED === "builtin") await seedDemoBuiltin(prisma);
    else seedDemoWithCli(databaseUrl);

    const demo = await prisma.org.findUniqueOrThrow({ where: { slug: DEMO.slug } });
    const demoAdmin = await prisma.user.findUniqueOrThrow({ where: { email: DEMO.email } });
    const passwordHash = await hashPassword(E2E_PASSWORD);
    const mkUser = (email: string, name: string) => prisma.user.create({ data: { email, name, passwordHash } });

    // Org A extras: a VIEWER login, a member whose role the settings spec changes, a key it revokes.
    const viewer = await mkUser(VIEWER.email, VIEWER.name);
    await prisma.membership.create({ data: { orgId: demo.id, userId: viewer.id, role: "VIEWER" } });
    const changeMe = await mkUser("change-me@e2e.test", "Chang Role");
    await prisma.membership.create({ data: { orgId: demo.id, userId: changeMe.id, role: "VIEWER" } });
    await createApiKey(prisma, { orgId: demo.id, name: "e2e-revoke-me", role: "VIEWER", createdById: demoAdmin.id });
    const demoKey = await createApiKey(prisma, { orgId: demo.id, name: "e2e-tenancy-probe", role: "ADMIN", createdById: demoAdmin.id });

    // A second org of the demo admin, for the org switcher (no bills: shows the empty state).
    await createOrg(prisma, { slug: SECOND_ORG.slug, name: SECOND_ORG.name, adminUserId: demoAdmin.id });

    // The lab org, for specs that change org-wide state; one bill line fixes its reporting currency.
    const lab = await createOrg(prisma, { slug: LAB_ORG.slug, name: LAB_ORG.name, adminUserId: demoAdmin.id });
    await prisma.membership.create({ data: { orgId: lab.id, userId: viewer.id, role: "VIEWER" } });
    const monthStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
    await prisma.billLineItem.create({
      data: {
        orgId: lab.id,
        sourceFormat: "focus-1.0",
        providerName: "AWS",
        billingAccountId: "444455556666",
        billingCurrency: "USD",
        billingPeriodStart: monthStart,
        billingPeriodEnd: new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + 1, 1)),
        chargePeriodStart: monthStart,
        chargePeriodEnd: new Date(monthStart.getTime() + 86_400_000),
        chargeCategory: "Usage",
        billedCost: "12.5",
        effectiveCost: "10",
        instanceType: "m7i.2xlarge",
      },
    });

    // Org B: the demo admin is not a member.
    const bAdmin = await mkUser("boris@othercorp.test", "Boris Othermann");
    const bMember = await mkUser("bianca@othercorp.test", "Bianca Otherwise");
    const other = await createOrg(prisma, { slug: OTHER_ORG.slug, name: OTHER_ORG.name, adminUserId: bAdmin.id });
    await prisma.membership.create({ data: { orgId: other.id, userId: bMember.id, role: "FINANCE" } });
    const inv = await createInvitation(prisma, { orgId: other.id, email: "invited@othercorp.test", role: "VIEWER", invitedById: bAdmin.id });
    const bKey = await createApiKey(prisma, { orgId: other.id, name: "othercorp-ingest-key", role: "ADMIN", createdById: bAdmin.id });
    const memberships = await prisma.membership.findMany({ where: { orgId: other.id }, select: { id: true } });

    const fixtures: Fixtures = {
      demoOrgId: demo.id,
      labOrgId: lab.id,
      demoApiKey: demoKey.key,
      other: {
        orgId: other.id,
        slug: other.slug,
        name: other.name,
        membershipIds: memberships.map((m) => m.id),
        invitationIds: [inv.id],
        apiKeyIds: [bKey.id],
        secrets: [other.name, "Othercorp", bAdmin.email, bMember.email, bAdmin.name!, bMember.name!, inv.email, bKey.name, bKey.prefix],
      },
    };
    writeFileSync(FIXTURES_FILE, JSON.stringify(fixtures, null, 2));
    return fixtures;
  } finally {
    await prisma.$disconnect();
  }
}

if (require.main === module) {
  const url = process.argv[2];
  if (!url) throw new Error("usage: tsx e2e/seed.ts <databaseUrl>");
  seedE2e(url).then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
