// RFC 8058 one-click unsubscribe: mail clients POST "List-Unsubscribe=One-Click" here (the
// List-Unsubscribe header's URL); the page's button posts here too and is redirected back to it.
// The token is the credential, so no session is needed; GET never unsubscribes.
import { db } from "@/lib/db/client";
import { unsubscribeByToken } from "@/lib/digest/unsubscribe";

export const dynamic = "force-dynamic";

export async function POST(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const done = await unsubscribeByToken(db(), token);
  if (new URL(req.url).searchParams.get("from") === "page") {
    return Response.redirect(new URL(`/unsubscribe/${encodeURIComponent(token)}${done ? "?done=1" : ""}`, req.url), 303);
  }
  if (!done) return new Response("Unknown unsubscribe link", { status: 404 });
  return new Response(`Unsubscribed ${done.email} from the weekly digest of ${done.orgName}.`, { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
}

export async function GET(req: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return Response.redirect(new URL(`/unsubscribe/${encodeURIComponent(token)}`, req.url), 303);
}
