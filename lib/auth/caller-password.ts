import "server-only";
import { recordAuditEvent } from "@/lib/audit/record";
import { changePassword, PasswordChangeRefused, type PasswordChanged } from "@/lib/auth/account";
import type { TenantContext } from "@/lib/auth/context";
import { keepSessionAfterPasswordChange } from "@/lib/auth/session-context";
import { issueTokenPair, type TokenPair } from "@/lib/auth/token-service";
import { DomainError, invalidField } from "@/lib/errors";

export type CallerPasswordChange = { message: string; tokens: TokenPair | null };

/**
 * The caller changes their own password (POST /api/auth/password and Settings → Account). The
 * browser session that asked stays signed in; a caller with an access token gets a new pair, since
 * every earlier token stops working. A refusal is a validation error naming the field at fault,
 * `${fieldPrefix}current_password` or `${fieldPrefix}new_password`.
 */
export async function changeCallerPassword(
  ctx: TenantContext,
  { currentPassword, newPassword }: { currentPassword: string; newPassword: string },
  { fieldPrefix }: { fieldPrefix: string },
): Promise<CallerPasswordChange> {
  if (!ctx.user || ctx.method === "api_key") {
    throw new DomainError(
      "FORBIDDEN",
      "An API key has no password to change; sign in as the person whose password it is",
    );
  }
  let changed: PasswordChanged;
  try {
    changed = await changePassword({ userId: ctx.user.id, currentPassword, newPassword });
  } catch (error) {
    if (!(error instanceof PasswordChangeRefused)) throw error;
    throw invalidField(`${fieldPrefix}${error.field}`, error.message);
  }
  const { credentialStamp } = changed;
  // That it changed is all the trail says: no password, hash or stamp.
  await recordAuditEvent(ctx, {
    action: "account.password_changed",
    target: { type: "account", id: ctx.user.id },
    after: { revoked_refresh_tokens: changed.revokedRefreshTokens },
  });
  if (ctx.method === "session") await keepSessionAfterPasswordChange(credentialStamp);
  const tokens =
    ctx.method === "access_token"
      ? await issueTokenPair({ userId: ctx.user.id, companyId: ctx.companyId, credentialStamp })
      : null;
  return { message: "Password changed; every other session and token of this account has been signed out", tokens };
}
