import { describe, expect, it } from "vitest";
import type { Group } from "@/db/schema";
import { lastAdminViolation, type MemberChange } from "@/lib/tenancy/member-rules";

const admin = { userId: "ada", groups: ["admin"] as Group[], isActive: true };
const editor = { userId: "ed", groups: ["editor"] as Group[], isActive: true };

describe("lastAdminViolation", () => {
  it.each<{ what: string; member: typeof admin; change: MemberChange; admins: string[]; refused: RegExp | null }>([
    { what: "removing the last admin", member: admin, change: "remove", admins: ["ada"], refused: /cannot be removed/ },
    {
      what: "deactivating the last admin",
      member: admin,
      change: { isActive: false },
      admins: ["ada"],
      refused: /cannot be deactivated/,
    },
    {
      what: "demoting the last admin",
      member: admin,
      change: { groups: ["editor", "viewer"] },
      admins: ["ada"],
      refused: /taken out of the admin group/,
    },
    {
      what: "demoting and deactivating the last admin at once",
      member: admin,
      change: { groups: ["viewer"], isActive: false },
      admins: ["ada"],
      refused: /cannot be deactivated/,
    },
    { what: "removing one of two admins", member: admin, change: "remove", admins: ["ada", "bo"], refused: null },
    {
      what: "demoting one of two admins",
      member: admin,
      change: { groups: ["viewer"] },
      admins: ["ada", "bo"],
      refused: null,
    },
    {
      what: "giving the last admin more groups",
      member: admin,
      change: { groups: ["admin", "editor"] },
      admins: ["ada"],
      refused: null,
    },
    { what: "renaming the last admin", member: admin, change: {}, admins: ["ada"], refused: null },
    { what: "removing a non-admin", member: editor, change: "remove", admins: ["ada"], refused: null },
    {
      what: "deactivating a non-admin",
      member: editor,
      change: { isActive: false },
      admins: ["ada"],
      refused: null,
    },
    {
      what: "removing a member when the company has no active admin at all",
      member: editor,
      change: "remove",
      admins: [],
      refused: null,
    },
    {
      what: "removing a deactivated admin while another is active",
      member: { ...admin, isActive: false },
      change: "remove",
      admins: ["bo"],
      refused: null,
    },
  ])("$what", ({ member, change, admins, refused }) => {
    const violation = lastAdminViolation({ member, change, activeAdminIds: admins });
    if (refused === null) expect(violation).toBeNull();
    else {
      expect(violation?.rule).toBe("last_active_admin");
      expect(violation?.message).toMatch(refused);
      expect(violation?.message).toMatch(/^This member is the company's last active admin/);
    }
  });

  it("speaks to the admin about themselves when they are the one acting", () => {
    const violation = lastAdminViolation({
      member: admin,
      change: "remove",
      activeAdminIds: ["ada"],
      actorUserId: "ada",
    });
    expect(violation?.message).toBe(
      "You are the company's last active admin and cannot be removed: make another member an admin first",
    );
  });
});
