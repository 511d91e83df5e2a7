import "server-only";
import {
  findUserByEmail,
  findUserById,
  raiseCredentialEpoch,
  renameUser,
  replacePasswordHash,
  setPlatformAdmin,
} from "@/db/queries/users";
import { recordAuditEvent } from "@/lib/audit/record";
import { newPasswordSchema } from "@/lib/auth/account-rules";
import type { TenantContext } from "@/lib/auth/context";
import { credentialOf, credentialStamp } from "@/lib/auth/credential-stamp";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/passwords";
import { DomainError } from "@/lib/errors";

export type PasswordField = "current_password" | "new_password";

/** A password change the account holder can fix: the field at fault and what is wrong with it. */
export class PasswordChangeRefused extends Error {
  constructor(
    readonly field: PasswordField,
    message: string,
  ) {
    super(message);
    this.name = "PasswordChangeRefused";
  }
}

export class UnknownAccountError extends Error {
  constructor(readonly email: string) {
    super(`No account has the email '${email}'`);
    this.name = "UnknownAccountError";
  }
}

export type PasswordChanged = {
  /** The stamp of the new password: give it to the session that made the change so it stays signed in. */
  credentialStamp: string;
  revokedRefreshTokens: number;
};

/**
 * A signed-in person changes their own password: the current one must be right and the new one
 * follow the rules and differ from it. Every other session, access token and refresh token of the
 * account stops working.
 */
export async function changePassword({
  userId,
  currentPassword,
  newPassword,
}: {
  userId: string;
  currentPassword: string;
  newPassword: string;
}): Promise<PasswordChanged> {
  const user = await findUserById({ id: userId });
  if (!user?.passwordHash) {
    throw new PasswordChangeRefused(
      "current_password",
      "This account has no password here: it signs in through its identity provider",
    );
  }
  const rules = newPasswordSchema.safeParse(newPassword);
  if (!rules.success)
    throw new PasswordChangeRefused("new_password", rules.error.issues[0]?.message ?? "Choose another password");
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new PasswordChangeRefused("current_password", "The current password is wrong");
  }
  if (newPassword === currentPassword) {
    throw new PasswordChangeRefused("new_password", "The new password must differ from the current one");
  }
  return setPassword(user.id, newPassword);
}

/**
 * An operator's reset (`npm run db:seed -- --reset-password EMAIL`): a generated password for any
 * account, to be shown once; every session and token of the account stops working.
 */
export async function resetPassword({
  email,
}: {
  email: string;
}): Promise<{ email: string; password: string; revokedRefreshTokens: number }> {
  const user = await findUserByEmail({ email });
  if (!user) throw new UnknownAccountError(email);
  const password = generatePassword();
  const { revokedRefreshTokens } = await setPassword(user.id, password);
  return { email: user.email ?? email, password, revokedRefreshTokens };
}

async function setPassword(userId: string, password: string): Promise<PasswordChanged> {
  const passwordHash = await hashPassword(password);
  const { credentialEpoch, revokedRefreshTokens } = await replacePasswordHash({ userId, passwordHash });
  return { credentialStamp: credentialStamp(credentialOf({ passwordHash, credentialEpoch })), revokedRefreshTokens };
}

/**
 * "Sign out everywhere": every browser session, access token and refresh token of the account stops
 * working at its next request (the one asking too); the password stays.
 */
export async function signOutEverywhere({ userId }: { userId: string }): Promise<{ revokedRefreshTokens: number }> {
  const { found, revokedRefreshTokens } = await raiseCredentialEpoch({ userId });
  if (!found) throw new DomainError("NOT_FOUND", "This account no longer exists");
  return { revokedRefreshTokens };
}

/** The caller signs out everywhere (Settings → Account); the company's audit trail records it. */
export async function signOutCallerEverywhere(ctx: TenantContext): Promise<{ revokedRefreshTokens: number }> {
  if (!ctx.user) throw new DomainError("FORBIDDEN", "Only people have sessions to sign out of");
  const result = await signOutEverywhere({ userId: ctx.user.id });
  await recordAuditEvent(ctx, {
    action: "account.signed_out_everywhere",
    target: { type: "account", id: ctx.user.id },
    after: { revoked_refresh_tokens: result.revokedRefreshTokens },
  });
  return result;
}

/** The caller changes their own name; the company's audit trail records it, from what to what. */
export async function renameCallerAccount(ctx: TenantContext, { name }: { name: string }): Promise<void> {
  if (!ctx.user) throw new DomainError("FORBIDDEN", "Only people have a name to change");
  const user = await findUserById({ id: ctx.user.id });
  if (!user) throw new DomainError("NOT_FOUND", "This account no longer exists");
  await renameUser({ userId: user.id, name });
  if (user.name !== name) {
    await recordAuditEvent(ctx, {
      action: "account.renamed",
      target: { type: "account", id: user.id },
      before: { name: user.name },
      after: { name },
    });
  }
}

/**
 * An operator makes an account a platform administrator (`npm run db:seed -- --platform-admin EMAIL`):
 * it may then manage every tenant. Says whether it already was one.
 */
export async function grantPlatformAdmin({ email }: { email: string }): Promise<{ email: string; already: boolean }> {
  const user = await findUserByEmail({ email });
  if (!user) throw new UnknownAccountError(email);
  if (!user.isPlatformAdmin) await setPlatformAdmin({ userId: user.id });
  return { email: user.email ?? email, already: user.isPlatformAdmin };
}
