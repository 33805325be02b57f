// Sign-up: a new user and their own org, with them as its ADMIN.
import type { PrismaClient } from "../db/client";
import { hashPassword } from "../auth/passwords";
import { conflict } from "../http/errors";
import { createOrg } from "./create-org";

export async function signUp(
  prisma: PrismaClient,
  { name, email, password, orgName, orgSlug }: { name: string; email: string; password: string; orgName: string; orgSlug: string },
) {
  const normalized = email.trim().toLowerCase();
  if (await prisma.user.findUnique({ where: { email: normalized }, select: { id: true } })) {
    throw conflict("An account with this email already exists: sign in instead");
  }
  if (await prisma.org.findUnique({ where: { slug: orgSlug }, select: { id: true } })) {
    throw conflict(`The address "${orgSlug}" is taken: choose another`);
  }
  const user = await prisma.user.create({ data: { email: normalized, name, passwordHash: await hashPassword(password) } });
  try {
    const org = await createOrg(prisma, { slug: orgSlug, name: orgName, adminUserId: user.id });
    return { userId: user.id, email: normalized, orgSlug: org.slug };
  } catch (err) {
    // createOrg runs its own transaction; undo the user so a retry with another slug can succeed.
    await prisma.user.delete({ where: { id: user.id } }).catch(() => undefined);
    throw err;
  }
}
