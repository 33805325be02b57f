// The weekly digest as it would be sent to the signed-in user now: the HTML part in a sandboxed
// frame, and the plain-text part below it.
import type { Metadata } from "next";
import Link from "next/link";
import { requireOrgMember } from "@/lib/auth/page-guard";
import { db } from "@/lib/db/client";
import { buildDigest } from "@/lib/digest/content";
import { renderDigest } from "@/lib/digest/render";
import { dueSlot, latestSlot } from "@/lib/digest/schedule";
import { unsubscribeToken, unsubscribeUrl } from "@/lib/digest/unsubscribe";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Digest preview" };
export const dynamic = "force-dynamic";

export default async function DigestPreviewPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const { user, ctx } = await requireOrgMember(org, `/${org}/alerts/digest`);
  const prisma = db();
  const now = new Date();
  const sub = await prisma.digestSubscription.findUnique({ where: { orgId_userId: { orgId: ctx.orgId, userId: user.id } } });
  const slot = sub ? (dueSlot(sub, now) ?? latestSlot({ dayOfWeek: sub.dayOfWeek, hour: sub.hour, timeZone: sub.timezone, now })) : latestSlot({ dayOfWeek: now.getUTCDay(), hour: now.getUTCHours(), timeZone: "UTC", now });
  const week = slot?.week ?? "preview";
  let rendered: { subject: string; html: string; text: string } | null = null;
  let failure: string | null = null;
  try {
    const content = await buildDigest(prisma, { orgId: ctx.orgId, userId: user.id, now, week, appUrl: env().APP_URL });
    rendered = renderDigest(content, { unsubscribeUrl: sub ? unsubscribeUrl(env().APP_URL, unsubscribeToken(sub.id)) : `${env().APP_URL}/${org}/settings?tab=digest` });
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  }
  return (
    <>
      <h1>Weekly digest preview</h1>
      <p>
        What {user.email} would receive for {week}, computed now. {sub?.enabled ? "You are subscribed." : "You are not subscribed."}{" "}
        <Link href={`/${org}/settings?tab=digest`}>Digest settings</Link>
      </p>
      {failure ? (
        <p className="alert" role="alert">Could not build the digest: {failure}</p>
      ) : rendered ? (
        <>
          <section className="panel" aria-labelledby="dg-html">
            <h2 id="dg-html">Subject: {rendered.subject}</h2>
            <iframe title="Digest (HTML part)" srcDoc={rendered.html} sandbox="" style={{ width: "100%", height: "900px", border: "1px solid var(--border)", borderRadius: 8, background: "#fff" }} />
          </section>
          <section className="panel" aria-labelledby="dg-text">
            <h2 id="dg-text">Plain-text part</h2>
            <pre data-testid="digest-text" style={{ whiteSpace: "pre-wrap", fontSize: "0.85rem" }}>{rendered.text}</pre>
          </section>
        </>
      ) : null}
    </>
  );
}
