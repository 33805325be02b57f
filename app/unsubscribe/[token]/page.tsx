// The unsubscribe link in a digest's footer. Opening it changes nothing (mail scanners follow links);
// the button POSTs to the one-click endpoint, which is also the List-Unsubscribe target.
import type { Metadata } from "next";
import { db } from "@/lib/db/client";
import { findByUnsubscribeToken } from "@/lib/digest/unsubscribe";

export const metadata: Metadata = { title: "Unsubscribe" };
export const dynamic = "force-dynamic";

export default async function UnsubscribePage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await params;
  const sp = await searchParams;
  const sub = await findByUnsubscribeToken(db(), token);
  return (
    <main className="auth-page">
      <div className="auth-card">
        <span className="brand">Burnrate</span>
        {!sub ? (
          <>
            <h1>Link not recognized</h1>
            <p>This unsubscribe link is not valid (it may be from an old email). You can change digest settings in Settings.</p>
          </>
        ) : sp.done === "1" || !sub.enabled ? (
          <>
            <h1>Unsubscribed</h1>
            <p role="status">
              {sub.user.email} will no longer receive the weekly digest of {sub.org.name}. You can subscribe again in Settings.
            </p>
          </>
        ) : (
          <>
            <h1>Unsubscribe from the weekly digest?</h1>
            <p>
              {sub.user.email} receives the weekly digest of {sub.org.name}.
            </p>
            <form method="post" action={`/unsubscribe/${encodeURIComponent(token)}/one-click?from=page`}>
              <button type="submit" className="btn btn-primary">
                Unsubscribe
              </button>
            </form>
          </>
        )}
      </div>
    </main>
  );
}
