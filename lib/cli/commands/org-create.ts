import type { Command } from "../command";
import { stringOpt } from "../command";
import { UsageError } from "../output";
import { db } from "../../db/client";
import { createOrg } from "../../orgs/create-org";

export const orgCreateCommand: Command = {
  usage: "burnrate org create <slug> --name <name> [--currency USD] [--json]",
  summary: "Create an organization (with its own copy of the GPU catalog)",
  options: { name: { type: "string" }, currency: { type: "string" } },
  async run({ positionals, values }) {
    const [slug] = positionals;
    const name = stringOpt(values, "name");
    if (!slug || !name) throw new UsageError(`Usage: ${this.usage}`);
    const currency = (stringOpt(values, "currency") ?? "USD").toUpperCase();
    const org = await createOrg(db(), { slug, name, currency });
    return { human: `Created organization ${org.slug} (${org.name}), id ${org.id}`, json: { id: org.id, slug: org.slug, name: org.name, currency: org.currency } };
  },
};
