import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/session";
import { oidcEnabled } from "@/lib/auth/options";
import { homePathFor, safeCallbackUrl } from "@/lib/auth/page-guard";
import { env } from "@/lib/env";
import { SignInForm } from "@/components/auth/signin-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const callbackUrl = safeCallbackUrl(sp.callbackUrl);
  const user = await currentUser();
  if (user) redirect(callbackUrl ?? (await homePathFor(user.id)));
  const e = env();
  return (
    <main className="auth-page">
      <SignInForm
        callbackUrl={callbackUrl}
        oidcName={oidcEnabled() ? e.OIDC_NAME : null}
        allowSignup={e.ALLOW_SIGNUP}
        initialError={typeof sp.error === "string" ? sp.error : null}
      />
    </main>
  );
}
