import "server-only";
import {
  addCompanyMember,
  changeCompanyMember,
  findCompanyMemberById,
  listCompanyMembers,
  removeCompanyMember,
  type CompanyMember,
  type MemberDecisionInput,
  type MemberPatch,
} from "@/db/queries/members";
import { recordAuditEvent } from "@/lib/audit/record";
import type { TenantContext } from "@/lib/auth/context";
import type { Group } from "@/lib/auth/groups";
import { newInvitation } from "@/lib/auth/invitations";
import { hashPassword } from "@/lib/auth/passwords";
import { DomainError } from "@/lib/errors";
import { lastAdminViolation, type MemberChange } from "@/lib/tenancy/member-rules";

export type { CompanyMember };

export async function listMembers(
  ctx: TenantContext,
  { page, pageSize }: { page: number; pageSize: number },
): Promise<{ members: CompanyMember[]; total: number }> {
  return listCompanyMembers({ companyId: ctx.companyId, limit: pageSize, offset: (page - 1) * pageSize });
}

/** A member of the caller's company; 404 for anyone else (another company's member included). */
export async function getMember(ctx: TenantContext, userId: string): Promise<CompanyMember> {
  const member = await findCompanyMemberById({ companyId: ctx.companyId, userId });
  if (!member) throw memberNotFound(userId);
  return member;
}

export type NewMember = {
  email: string;
  name: string;
  groups: Group[];
  /** Either an initial password, or an invitation (a link to set one). */
  credential: { password: string } | { invite: true };
};

export type AddedMember = {
  member: CompanyMember;
  /** True when the email belonged to an Intake account already: it joins as it is, its password unchanged. */
  existingAccount: boolean;
  /** The one-time link to set a password, shown this once; null when no invitation was made. */
  invitation: { url: string; expiresAt: Date } | null;
};

/**
 * Adds someone to the caller's company. A new email gets a new account (with the password given, or
 * an invitation); an email of an existing account joins that account to the company with these groups
 * and changes nothing else about it. 409 when they are a member already.
 */
export async function addMember(ctx: TenantContext, input: NewMember): Promise<AddedMember> {
  const groups = uniqueGroups(input.groups);
  const invitation = "invite" in input.credential ? newInvitation(ctx.user?.id ?? null) : null;
  const added = await addCompanyMember({
    companyId: ctx.companyId,
    email: input.email,
    name: input.name,
    groups,
    passwordHash: "password" in input.credential ? await hashPassword(input.credential.password) : null,
    invitation: invitation?.stored ?? null,
  });
  if (added.outcome === "already_member") {
    const existing = await findCompanyMemberById({ companyId: ctx.companyId, userId: added.userId });
    const deactivated = existing?.isActive === false;
    throw new DomainError(
      "CONFLICT",
      deactivated
        ? `${input.email} is a deactivated member of ${ctx.companyName}: reactivate them instead`
        : `${input.email} is already a member of ${ctx.companyName}`,
      { user_id: added.userId, is_active: !deactivated },
    );
  }
  const member = await getMember(ctx, added.userId);
  const invited = invitation && added.invitationId ? { url: invitation.url, expiresAt: invitation.expiresAt } : null;
  await recordAuditEvent(ctx, {
    action: "member.added",
    target: { type: "member", id: member.userId },
    after: { ...auditedFields(member), existing_account: added.outcome === "existing_account" },
  });
  if (invited && added.invitationId) {
    await recordAuditEvent(ctx, {
      action: "member.invited",
      target: { type: "invitation", id: added.invitationId },
      after: { user_id: member.userId, email: member.email, expires_at: invited.expiresAt.toISOString() },
    });
  }
  return { member, existingAccount: added.outcome === "existing_account", invitation: invited };
}

export type MemberUpdate = { name?: string; groups?: Group[]; active?: boolean };

/**
 * Changes a member's name, groups or active state. Never takes the company's last active admin away;
 * a deactivated member loses access at their next request (their refresh tokens for the company are
 * revoked at once). The name is the account's own, so it is changed only for someone who belongs to
 * no other company.
 */
export async function updateMember(ctx: TenantContext, userId: string, update: MemberUpdate): Promise<CompanyMember> {
  const change = { groups: update.groups && uniqueGroups(update.groups), isActive: update.active };
  const changed = await changeCompanyMember({
    companyId: ctx.companyId,
    userId,
    decide: ({ member, activeAdminIds }: MemberDecisionInput): MemberPatch => {
      refuseLastAdmin(ctx, { member, activeAdminIds }, change);
      if (update.name !== undefined && update.name !== member.name && member.otherCompanies > 0) {
        throw new DomainError(
          "CONFLICT",
          `${member.email ?? "This member"} also belongs to other companies, so only they can change their name (Settings → Account)`,
          { rule: "shared_account_name", field: "body.name" },
        );
      }
      return { ...change, name: update.name };
    },
  });
  if (!changed) throw memberNotFound(userId);
  const before = auditedFields(changed.before);
  const after = auditedFields(changed.after);
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    await recordAuditEvent(ctx, { action: "member.updated", target: { type: "member", id: userId }, before, after });
  }
  return changed.after;
}

/**
 * Removes a member from the caller's company (never its last active admin): the membership, their
 * refresh tokens there and their unaccepted invitations go; their account stays.
 */
export async function removeMember(ctx: TenantContext, userId: string): Promise<CompanyMember> {
  const removed = await removeCompanyMember({
    companyId: ctx.companyId,
    userId,
    decide: (state) => refuseLastAdmin(ctx, state, "remove"),
  });
  if (!removed) throw memberNotFound(userId);
  await recordAuditEvent(ctx, {
    action: "member.removed",
    target: { type: "member", id: userId },
    before: auditedFields(removed),
  });
  return removed;
}

function refuseLastAdmin(ctx: TenantContext, { member, activeAdminIds }: MemberDecisionInput, change: MemberChange) {
  const violation = lastAdminViolation({ member, change, activeAdminIds, actorUserId: ctx.user?.id ?? null });
  if (violation) throw new DomainError("CONFLICT", violation.message, { rule: violation.rule, user_id: member.userId });
}

/** What an audit event keeps of a member: who, and the fields an admin changes (no secrets). */
function auditedFields(member: CompanyMember) {
  return { email: member.email, name: member.name, groups: member.groups, active: member.isActive };
}

function uniqueGroups(groups: readonly Group[]): Group[] {
  return [...new Set(groups)];
}

const memberNotFound = (userId: string) =>
  new DomainError("NOT_FOUND", `User ${userId} is not a member of this company`, { user_id: userId });
