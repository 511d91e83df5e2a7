import type { z } from "zod";
import type { createdUserSchema, userSchema } from "@/lib/api/contracts/users";
import { invitationState } from "@/lib/auth/invitations";
import type { AddedMember, CompanyMember } from "@/lib/tenancy/members";

export function toUserJson(member: CompanyMember): z.input<typeof userSchema> {
  return {
    id: member.userId,
    email: member.email,
    name: member.name,
    groups: member.groups,
    is_active: member.isActive,
    created_at: member.createdAt.toISOString(),
    last_sign_in_at: member.lastSignInAt?.toISOString() ?? null,
    has_password: member.hasPassword,
    invitation: member.invitation && {
      state: invitationState(member.invitation),
      expires_at: member.invitation.expiresAt.toISOString(),
      accepted_at: member.invitation.acceptedAt?.toISOString() ?? null,
    },
  };
}

export function toCreatedUserJson(added: AddedMember): z.input<typeof createdUserSchema> {
  return {
    ...toUserJson(added.member),
    existing_account: added.existingAccount,
    invitation_url: added.invitation?.url ?? null,
    notice: noticeOf(added),
  };
}

function noticeOf({ member, existingAccount, invitation }: AddedMember): string {
  const who = member.email ?? member.userId;
  const groups = member.groups.join(", ");
  if (invitation) {
    return (
      `${who} was invited with the groups ${groups}: pass on the invitation link, shown only now; it works once, ` +
      `until ${invitation.expiresAt.toISOString()}`
    );
  }
  if (existingAccount) {
    return `${who} already had an Intake account: it joined with the groups ${groups}, and its password is unchanged`;
  }
  return `${who} was added with the groups ${groups} and the password given`;
}
