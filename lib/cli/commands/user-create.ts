import type { Command } from "../command";
import { stringOpt } from "../command";
import { UsageError } from "../output";
import { db } from "../../db/client";
import { isRole, ROLES } from "../../domain/roles";
import { hashPassword } from "../../auth/passwords";
import { AppError } from "../../http/errors";

export const userCreateCommand: Command = {
  usage: "burnrate user create <email> --org <slug> --role <ADMIN|FINANCE|ML_LEAD|VIEWER> --password <pw> [--name <name>] [--json]",
  summary: "Create a user (or add an existing one) as a member of an organization",
  options: { org: { type: "string" }, role: { type: "string" }, password: { type: "string" }, name: { type: "string" } },
  async run({ positionals, values }) {
    const email = positionals[0]?.toLowerCase();
    const orgSlug = stringOpt(values, "org");
    const role = stringOpt(values, "role")?.toUpperCase();
    const password = stringOpt(values, "password");
    if (!email || !orgSlug || !role || !password) throw new UsageError(`Usage: ${this.usage}`);
    if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError(`"${email}" is not an email address`);
    if (password.length < 8) throw new UsageError("--password must be at least 8 characters");
    const prisma = db();
    const org = await prisma.org.findUnique({ where: { slug: orgSlug } });
    if (!org) throw new AppError("not_found", `No organization with slug "${orgSlug}"`);
    const passwordHash = await hashPassword(password);
    const name = stringOpt(values, "name") ?? null;
    const user = await prisma.user.upsert({
      where: { email },
      update: { passwordHash, ...(name ? { name } : {}) },
      create: { email, passwordHash, name },
    });
    const membership = await prisma.membership.upsert({
      where: { orgId_userId: { orgId: org.id, userId: user.id } },
      update: { role },
      create: { orgId: org.id, userId: user.id, role },
    });
    return {
      human: `${email} is ${membership.role} of ${org.slug}`,
      json: { id: user.id, email, org: org.slug, role: membership.role },
    };
  },
};
