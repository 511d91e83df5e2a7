import "server-only";
import { auth, updateSession } from "@/auth";
import { userContext } from "@/lib/auth/bearer";
import type { TenantContext } from "@/lib/auth/context";

/** The browser's Auth.js session as a tenant context, or null when nobody is signed in. */
export async function contextFromSession(): Promise<TenantContext | null> {
  const session = await auth();
  const userId = session?.user.id;
  if (!userId) return null;
  return userContext(userId, session.companyId || null, "session");
}

/**
 * After this session's own password change: it takes the new credential stamp and stays signed in,
 * while every other session of the account ends (auth.ts's jwt callback).
 */
export async function keepSessionAfterPasswordChange(credentialStamp: string): Promise<void> {
  await updateSession({ credentialStamp });
}
