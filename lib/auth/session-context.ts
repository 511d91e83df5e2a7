import "server-only";
import type { NextApiRequest, NextApiResponse } from "next";
import type { Session } from "next-auth";
import { cookies, headers } from "next/headers";
import { auth, updateSession } from "@/lib/auth/nextauth";
import { userContext, type CompanyKnown } from "@/lib/auth/bearer";
import type { TenantContext } from "@/lib/auth/context";

/** The browser's Auth.js session as a tenant context, or null when nobody is signed in. */
export async function contextFromSession(onCompany?: CompanyKnown): Promise<TenantContext | null> {
  const session = await currentSession();
  const userId = session?.user.id;
  if (!userId) return null;
  return userContext(userId, session.companyId || null, "session", undefined, onCompany);
}

/**
 * The session as this request's cookies stand now. `auth()` reads the Cookie header, which Next
 * leaves as it came when a server action sets a cookie and then renders the page in the same
 * request: after a password change that page would see the old session cookie (ended by then) and
 * send its owner to sign in. The cookie store is up to date, so the lookup is given that.
 */
async function currentSession(): Promise<Session | null> {
  const request = new Headers(await headers());
  request.set("cookie", (await cookies()).toString());
  // Auth.js's (req, res) form: a page cannot set cookies, so what it would renew is dropped.
  const discarded = { headers: new Headers() };
  return auth({ headers: request } as unknown as NextApiRequest, discarded as unknown as NextApiResponse);
}

/**
 * After this session's own password change: it takes the new credential stamp and stays signed in,
 * while every other session of the account ends (lib/auth/nextauth.ts's jwt callback).
 */
export async function keepSessionAfterPasswordChange(credentialStamp: string): Promise<void> {
  await updateSession({ credentialStamp });
}
