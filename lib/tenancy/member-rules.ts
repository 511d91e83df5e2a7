import type { Group } from "@/db/schema";

/**
 * What a company's admins may do to its members. Pure, so the API, the server actions and the
 * Settings page (which disables what the rules refuse, and says why) apply the same rules.
 */

/** A member as the rules see them. */
export type MemberStanding = { userId: string; groups: readonly Group[]; isActive: boolean };

export type MemberChange = { groups?: readonly Group[]; isActive?: boolean } | "remove";

export type RuleViolation = { rule: "last_active_admin"; message: string };

const isActiveAdmin = (member: { groups: readonly Group[]; isActive: boolean }) =>
  member.isActive && member.groups.includes("admin");

/**
 * A company keeps at least one active admin: the change is refused when it would take the last one
 * away (demoted, deactivated or removed). A company that has none already is not blocked by it.
 */
export function lastAdminViolation({
  member,
  change,
  activeAdminIds,
  actorUserId,
}: {
  member: MemberStanding;
  change: MemberChange;
  activeAdminIds: readonly string[];
  /** The person making the change, when it is a person: the message then speaks to them about themselves. */
  actorUserId?: string | null;
}): RuleViolation | null {
  if (!activeAdminIds.includes(member.userId) || activeAdminIds.length > 1) return null;
  const after =
    change === "remove"
      ? null
      : { groups: change.groups ?? member.groups, isActive: change.isActive ?? member.isActive };
  if (after && isActiveAdmin(after)) return null;
  const what =
    change === "remove" ? "removed" : after && !after.isActive ? "deactivated" : "taken out of the admin group";
  const who = actorUserId === member.userId ? "You are" : "This member is";
  return {
    rule: "last_active_admin",
    message: `${who} the company's last active admin and cannot be ${what}: make another member an admin first`,
  };
}
