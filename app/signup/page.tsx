import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/session";
import { homePathFor } from "@/lib/auth/page-guard";
import { env } from "@/lib/env";
import { SignUpForm } from "@/components/auth/signup-form";
import { signUp } from "./actions";

export const metadata: Metadata = { title: "Create an account" };
export const dynamic = "force-dynamic";

export default async function SignUpPage() {
  if (!env().ALLOW_SIGNUP) notFound();
  const user = await currentUser();
  if (user) redirect(await homePathFor(user.id));
  return (
    <main className="auth-page">
      <SignUpForm signUp={signUp} />
    </main>
  );
}
