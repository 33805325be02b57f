// Invitations end to end at the service level: accept with a matching account, with a new account,
// and the refusals (wrong email, reused, revoked, expired).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createPrisma, disconnectDb } from "@/lib/db/client";
import { createOrg } from "@/lib/orgs/create-org";
import { acceptInvitation, acceptInvitationWithNewAccount, createInvitation, findInvitation, listPendingInvitations, revokeInvitation } from "@/lib/orgs/invitations";
import { listMembers } from "@/lib/orgs/members";
import { signUp } from "@/lib/orgs/signup";
import { verifyPassword } from "@/lib/auth/passwords";
import { sha256Hex } from "@/lib/crypto/secrets";

const prisma = createPrisma(process.env.DATABASE_URL!, 2);
const run = randomBytes(3).toString("hex");
let orgId = "";
let adminId = "";

beforeAll(async () => {
  const admin = await prisma.user.create({ data: { email: `inv-admin-${run}@x.test`, name: "Inv Admin" } });
  adminId = admin.id;
  orgId = (await createOrg(prisma, { slug: `inv-${run}`, name: "Invites", adminUserId: admin.id })).id;
});
afterAll(async () => {
  await prisma.$disconnect();
  await disconnectDb();
});

describe("invitations", () => {
  it("stores only the token's hash and lists it as pending", async () => {
    const inv = await createInvitation(prisma, { orgId, email: `hash-${run}@x.test`, role: "VIEWER", invitedById: adminId });
    const row = await prisma.invitation.findUniqueOrThrow({ where: { id: inv.id } });
    expect(row.tokenHash).toBe(sha256Hex(inv.token));
    const pending = await listPendingInvitations(prisma, { orgId });
    expect(pending.map((p) => p.id)).toContain(inv.id);
    expect((await findInvitation(prisma, { token: inv.token }))?.status).toBe("pending");
  });

  it("a signed-in user with the invited email joins with the invited role, once", async () => {
    const u = await prisma.user.create({ data: { email: `join-${run}@x.test` } });
    const inv = await createInvitation(prisma, { orgId, email: u.email.toUpperCase(), role: "ML_LEAD" });
    await expect(acceptInvitation(prisma, { token: inv.token, userId: adminId, email: `inv-admin-${run}@x.test` })).rejects.toMatchObject({ code: "forbidden" });
    const res = await acceptInvitation(prisma, { token: inv.token, userId: u.id, email: u.email });
    expect(res.orgSlug).toBe(`inv-${run}`);
    const members = await listMembers(prisma, orgId);
    expect(members.find((m) => m.userId === u.id)?.role).toBe("ML_LEAD");
    await expect(acceptInvitation(prisma, { token: inv.token, userId: u.id, email: u.email })).rejects.toMatchObject({ code: "not_found" });
  });

  it("a new account can be created from an invitation", async () => {
    const email = `fresh-${run}@x.test`;
    const inv = await createInvitation(prisma, { orgId, email, role: "FINANCE" });
    const res = await acceptInvitationWithNewAccount(prisma, { token: inv.token, name: "Fresh", password: "a-long-password" });
    expect(res).toEqual({ orgSlug: `inv-${run}`, email });
    const user = await prisma.user.findUniqueOrThrow({ where: { email } });
    expect(await verifyPassword("a-long-password", user.passwordHash!)).toBe(true);
    expect((await prisma.membership.findFirstOrThrow({ where: { orgId, userId: user.id } })).role).toBe("FINANCE");
  });

  it("revoked and expired invitations cannot be used", async () => {
    const revoked = await createInvitation(prisma, { orgId, email: `rev-${run}@x.test`, role: "VIEWER" });
    await revokeInvitation(prisma, { orgId, invitationId: revoked.id });
    await expect(acceptInvitationWithNewAccount(prisma, { token: revoked.token, name: "R", password: "a-long-password" })).rejects.toMatchObject({ code: "not_found" });

    const past = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    const expired = await createInvitation(prisma, { orgId, email: `exp-${run}@x.test`, role: "VIEWER", now: past });
    expect((await findInvitation(prisma, { token: expired.token }))?.status).toBe("expired");
    await expect(acceptInvitationWithNewAccount(prisma, { token: expired.token, name: "E", password: "a-long-password" })).rejects.toMatchObject({ code: "not_found" });
    expect(await prisma.user.findUnique({ where: { email: `exp-${run}@x.test` } })).toBeNull();
  });

  it("revoking another org's invitation is a not-found", async () => {
    const inv = await createInvitation(prisma, { orgId, email: `other-${run}@x.test`, role: "VIEWER" });
    const other = await createOrg(prisma, { slug: `inv-other-${run}`, name: "Other" });
    await expect(revokeInvitation(prisma, { orgId: other.id, invitationId: inv.id })).rejects.toMatchObject({ code: "not_found" });
    expect((await prisma.invitation.findUniqueOrThrow({ where: { id: inv.id } })).revokedAt).toBeNull();
  });
});

describe("sign-up", () => {
  it("creates the user and their org with them as ADMIN; refuses a taken slug without leaving a user behind", async () => {
    const res = await signUp(prisma, { name: "New", email: `Signup-${run}@x.test`, password: "a-long-password", orgName: "New Co", orgSlug: `new-${run}` });
    expect(res.email).toBe(`signup-${run}@x.test`);
    const m = await prisma.membership.findFirstOrThrow({ where: { userId: res.userId }, include: { org: true } });
    expect(m).toMatchObject({ role: "ADMIN", org: { slug: `new-${run}`, name: "New Co" } });
    await expect(signUp(prisma, { name: "Dup", email: `dup-${run}@x.test`, password: "a-long-password", orgName: "X", orgSlug: `new-${run}` })).rejects.toMatchObject({ code: "conflict" });
    expect(await prisma.user.findUnique({ where: { email: `dup-${run}@x.test` } })).toBeNull();
    await expect(signUp(prisma, { name: "Res", email: `res-${run}@x.test`, password: "a-long-password", orgName: "X", orgSlug: "signin" })).rejects.toThrow();
    expect(await prisma.user.findUnique({ where: { email: `res-${run}@x.test` } })).toBeNull();
  });
});
