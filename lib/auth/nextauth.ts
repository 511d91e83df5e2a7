import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Cognito from "next-auth/providers/cognito";
import Credentials from "next-auth/providers/credentials";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { getDb } from "@/db";
import { resolveMembership } from "@/db/queries/memberships";
import { findUserById, provisionExternalMember } from "@/db/queries/users";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { identityFromClaims } from "@/lib/auth/cognito";
import { credentialOf, sessionStamp } from "@/lib/auth/credential-stamp";
import { authorizeWithPassword } from "@/lib/auth/password-sign-in";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

async function buildConfig(): Promise<NextAuthConfig> {
  const config = env();
  const db = await getDb();
  const providers: NextAuthConfig["providers"] = [
    Credentials({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      authorize: authorizeWithPassword,
    }),
  ];
  if (config.cognito) {
    providers.push(
      Cognito({
        clientId: config.cognito.clientId,
        clientSecret: config.cognito.clientSecret ?? "",
        issuer: config.cognito.issuer,
        client: config.cognito.clientSecret ? undefined : { token_endpoint_auth_method: "none" },
        allowDangerousEmailAccountLinking: true,
      }),
    );
  }

  return {
    adapter: DrizzleAdapter(db, {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    }),
    secret: config.AUTH_SECRET,
    trustHost: config.AUTH_TRUST_HOST,
    // Credentials sign-in only works with JWT sessions; the adapter still stores users and accounts.
    session: { strategy: "jwt", maxAge: 7 * 24 * 60 * 60 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers,
    logger: {
      // A refused password is an ordinary event, not a server error.
      error: (error) =>
        error instanceof CredentialsSignin
          ? logger().info({ code: error.code }, "sign-in refused")
          : logger().error({ err: error }, "auth error"),
      warn: (code) => logger().warn({ code }, "auth warning"),
      debug: () => {},
    },
    callbacks: {
      async jwt({ token, user, account, profile, trigger, session }) {
        if (user?.id) token.userId = user.id;
        const userId = typeof token.userId === "string" ? token.userId : token.sub;
        if (!userId) return null;
        token.userId = userId;

        if (account?.provider === "cognito" && profile) {
          const identity = identityFromClaims(profile);
          if (!identity) return null;
          const member = await provisionExternalMember({
            email: identity.email,
            name: identity.name,
            groups: identity.groups,
            companySlug: identity.companySlug ?? config.COGNITO_DEFAULT_COMPANY ?? null,
          });
          if (!member) return null;
          token.companyId = member.companyId;
        }

        const update =
          trigger === "update" && session && typeof session === "object" ? (session as Record<string, unknown>) : {};
        const requested = "companyId" in update ? String(update.companyId) : null;
        // Groups and company are read again on every request, so a changed membership takes effect at once.
        const [membership, current] = await Promise.all([
          resolveMembership({
            userId,
            preferredCompanyId: requested ?? (typeof token.companyId === "string" ? token.companyId : null),
          }),
          findUserById({ id: userId }),
        ]);
        if (!membership || !current) return null;
        // A password changed since this session began ends it here, at its next request.
        const stamp = sessionStamp({
          carried: user ? user.credentialStamp : token.credentialStamp,
          updated: update.credentialStamp,
          signingIn: Boolean(user),
          passwordHash: credentialOf(current),
        });
        if (!stamp) return null;
        token.credentialStamp = stamp;
        token.name = current.name;
        token.companyId = membership.companyId;
        token.companyName = membership.companyName;
        token.groups = membership.groups;
        return token;
      },
      session({ session, token }) {
        session.user.id = token.userId ?? "";
        session.companyId = token.companyId ?? "";
        session.companyName = token.companyName ?? "";
        session.groups = token.groups ?? [];
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut, unstable_update: updateSession } = NextAuth(buildConfig);
