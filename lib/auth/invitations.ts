import "server-only";
import { acceptInvitation, findInvitationByTokenHash, type InvitationView } from "@/db/queries/invitations";
import type { StoredInvitation } from "@/db/queries/members";
import { recordAuditEvent } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/passwords";
import { randomToken, sha256Hex } from "@/lib/auth/secrets";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";

const INVITATION_PREFIX = "inv_";
const DAY_MS = 24 * 60 * 60 * 1000;

export type InvitationState = "pending" | "expired" | "accepted";

/** A new invitation: the link for the admin to pass on (shown once), and what is stored of it. */
export function newInvitation(createdById: string | null): { url: string; expiresAt: Date; stored: StoredInvitation } {
  const token = `${INVITATION_PREFIX}${randomToken(32)}`;
  const expiresAt = new Date(Date.now() + env().INVITATION_TTL_DAYS * DAY_MS);
  return {
    // From the configured address, never the request's Host header: a forged host must not receive the token.
    url: `${env().APP_URL}/invite/${encodeURIComponent(token)}`,
    expiresAt,
    stored: { tokenHash: sha256Hex(token), expiresAt, createdById },
  };
}

export function invitationState(
  invitation: { expiresAt: Date; acceptedAt: Date | null },
  now = Date.now(),
): InvitationState {
  if (invitation.acceptedAt) return "accepted";
  return invitation.expiresAt.getTime() <= now ? "expired" : "pending";
}

export type OpenedInvitation = InvitationView & { state: InvitationState };

/** The invitation a link carries, or null when the link is unknown (or its member was removed). */
export async function openInvitation(token: string): Promise<OpenedInvitation | null> {
  if (!token.startsWith(INVITATION_PREFIX)) return null;
  const invitation = await findInvitationByTokenHash({ tokenHash: sha256Hex(token) });
  return invitation ? { ...invitation, state: invitationState(invitation) } : null;
}

/**
 * Sets the invited person's password from the link, once. Refuses, saying why, a link that is
 * unknown, used, expired, for a deactivated membership, or for an account that has a password.
 */
export async function acceptInvitationWithPassword({
  token,
  password,
}: {
  token: string;
  password: string;
}): Promise<{ email: string; companyName: string }> {
  const invitation = await openInvitation(token);
  if (!invitation) throw invitationRefused("NOT_FOUND", unknownLinkMessage);
  refuseUnusable(invitation);
  const accepted = await acceptInvitation({ invitationId: invitation.id, passwordHash: await hashPassword(password) });
  if (accepted.outcome === "has_password") throw invitationRefused("CONFLICT", hasPasswordMessage);
  if (accepted.outcome === "spent") {
    // Used or expired between opening the link and sending the form: say which.
    const now = await openInvitation(token);
    throw invitationRefused("CONFLICT", now?.state === "expired" ? expiredMessage : usedMessage);
  }
  await recordAuditEvent(
    { companyId: accepted.companyId, user: { id: accepted.userId }, apiKey: null },
    {
      action: "member.invitation_accepted",
      target: { type: "member", id: accepted.userId },
      after: { email: invitation.email },
    },
  );
  return { email: invitation.email ?? "", companyName: invitation.companyName };
}

/** Why an opened invitation cannot be accepted, or null when it can. */
export function invitationProblem(invitation: OpenedInvitation): string | null {
  if (invitation.state === "accepted") return usedMessage;
  if (invitation.state === "expired") return expiredMessage;
  if (!invitation.membershipActive)
    return `Your membership of ${invitation.companyName} is deactivated; ask one of its admins to reactivate it`;
  return null;
}

function refuseUnusable(invitation: OpenedInvitation): void {
  const problem = invitationProblem(invitation);
  if (problem) throw invitationRefused("CONFLICT", problem);
}

const invitationRefused = (code: "NOT_FOUND" | "CONFLICT", message: string) => new DomainError(code, message);

export const unknownLinkMessage =
  "This invitation link is not valid: check that it was copied whole, or ask an admin for a new one";
const usedMessage = "This invitation was already used: sign in with the password chosen then";
const expiredMessage = "This invitation has expired: ask an admin of the company for a new one";
const hasPasswordMessage = "This account already has a password: sign in with it";
