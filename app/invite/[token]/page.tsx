import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/lib/db/client";
import { currentUser } from "@/lib/auth/session";
import { findInvitation } from "@/lib/orgs/invitations";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { InviteAccept } from "@/components/auth/invite-accept";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { acceptInvite, acceptInviteWithNewAccount } from "./actions";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invitation, user] = await Promise.all([findInvitation(db(), { token }), currentUser()]);

  let body: React.ReactNode;
  if (!invitation || invitation.status !== "pending") {
    body = (
      <>
        <h1>Invitation not valid</h1>
        <p className="muted">
          {invitation?.status === "accepted"
            ? "This invitation has already been used."
            : "This invitation link is invalid, was revoked, or has expired. Ask an admin of the organization for a new one."}
        </p>
        <Link className="btn" href="/">
          Continue
        </Link>
      </>
    );
  } else {
    const intro = (
      <>
        <h1>Join {invitation.orgName}</h1>
        <p>
          You are invited as <strong>{ROLE_LABELS[invitation.role]}</strong> with the email <strong>{invitation.email}</strong>.
        </p>
      </>
    );
    if (user && user.email.toLowerCase() === invitation.email) {
      body = (
        <>
          {intro}
          <InviteAccept mode="signed-in" token={token} email={invitation.email} accept={acceptInvite} />
        </>
      );
    } else if (user) {
      body = (
        <>
          {intro}
          <p className="alert" role="alert">
            You are signed in as {user.email}. Sign out, then open this link again to accept as {invitation.email}.
          </p>
          <SignOutButton callbackUrl={`/invite/${token}`} />
        </>
      );
    } else if (invitation.userExists) {
      body = (
        <>
          {intro}
          <Link className="btn btn-primary" href={`/signin?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`}>
            Sign in to accept
          </Link>
        </>
      );
    } else {
      body = (
        <>
          {intro}
          <InviteAccept mode="new-account" token={token} email={invitation.email} acceptWithNewAccount={acceptInviteWithNewAccount} />
        </>
      );
    }
  }
  return (
    <main className="auth-page">
      <div className="auth-card">
        <span className="brand">Burnrate</span>
        {body}
      </div>
    </main>
  );
}
