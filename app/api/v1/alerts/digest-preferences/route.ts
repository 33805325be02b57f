// GET /api/v1/alerts/digest-preferences: the signed-in user's weekly digest settings for the org.
import { db } from "@/lib/db/client";
import { orgRoute } from "@/lib/http/org-route";
import { AppError } from "@/lib/http/errors";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export const GET = orgRoute({
  permission: "org:read",
  handler: async ({ ctx }) => {
    if (ctx.actor.kind !== "user") throw new AppError("unprocessable", "Digest preferences belong to a person: sign in instead of using an API key");
    const prisma = db();
    const [sub, user] = await Promise.all([
      prisma.digestSubscription.findUnique({ where: { orgId_userId: { orgId: ctx.orgId, userId: ctx.actor.userId } } }),
      prisma.user.findUnique({ where: { id: ctx.actor.userId }, select: { timezone: true, email: true } }),
    ]);
    return {
      email: user?.email ?? null,
      preferences: sub
        ? { enabled: sub.enabled, dayOfWeek: sub.dayOfWeek, hour: sub.hour, timezone: sub.timezone }
        : { enabled: false, dayOfWeek: 1, hour: 8, timezone: user?.timezone ?? "UTC" },
      smtpConfigured: Boolean(env().SMTP_HOST),
    };
  },
});
