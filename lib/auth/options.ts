// next-auth configuration: email + password for self-hosting, plus a generic OIDC provider switched on
// by env (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET): how Okta, Entra ID or Google Workspace plug in.
// Sessions are JWTs carrying only the user id; org membership and role are read from the database on
// every request, so a role change or removal takes effect at once.
import "server-only";
import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { db } from "../db/client";
import { env } from "../env";
import { verifyPassword } from "./passwords";

const credentialsSchema = z.object({ email: z.string().email().toLowerCase(), password: z.string().min(1) });

type OidcProfile = { sub: string; email?: string; name?: string; preferred_username?: string };

function oidcProvider(): OAuthConfig<OidcProfile> | null {
  const e = env();
  if (!e.OIDC_ISSUER || !e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET) return null;
  return {
    id: "oidc",
    name: e.OIDC_NAME,
    type: "oauth",
    wellKnown: `${e.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId: e.OIDC_CLIENT_ID,
    clientSecret: e.OIDC_CLIENT_SECRET,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile(p) {
      return { id: p.sub, email: (p.email ?? p.preferred_username ?? "").toLowerCase(), name: p.name ?? null };
    },
  };
}

export function oidcEnabled(): boolean {
  return oidcProvider() !== null;
}

export function authOptions(): NextAuthOptions {
  const oidc = oidcProvider();
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
    pages: { signIn: "/signin" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(raw) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const user = await db().user.findUnique({ where: { email: parsed.data.email } });
          if (!user?.passwordHash) return null;
          if (!(await verifyPassword(parsed.data.password, user.passwordHash))) return null;
          return { id: user.id, email: user.email, name: user.name };
        },
      }),
      ...(oidc ? [oidc] : []),
    ],
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        // OIDC: find or create the user by verified email and link the account. Org access still comes
        // only from memberships (an invitation or creating an org).
        const email = user.email?.toLowerCase();
        if (!email) return false;
        const row = await db().user.upsert({
          where: { email },
          update: {},
          create: { email, name: user.name ?? null, emailVerified: new Date() },
        });
        await db().account.upsert({
          where: { provider_providerAccountId: { provider: account.provider, providerAccountId: account.providerAccountId } },
          update: { idToken: account.id_token ?? null },
          create: {
            userId: row.id,
            type: account.type,
            provider: account.provider,
            providerAccountId: account.providerAccountId,
            idToken: account.id_token ?? null,
          },
        });
        user.id = row.id;
        return true;
      },
      async jwt({ token, user }) {
        if (user?.id) token.uid = user.id;
        return token;
      },
      async session({ session, token }) {
        if (session.user && typeof token.uid === "string") (session.user as { id?: string }).id = token.uid;
        return session;
      },
    },
  };
}
