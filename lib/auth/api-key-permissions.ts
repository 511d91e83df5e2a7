import { hasGroup, type Group } from "@/lib/auth/groups";
import { invalidField } from "@/lib/errors";

/** Seed 003's permissions, and the Intake groups each one stands for. */
export const API_KEY_PERMISSIONS = ["read", "write"] as const;
export type ApiKeyPermission = (typeof API_KEY_PERMISSIONS)[number];

const GROUPS_OF_PERMISSION: Record<ApiKeyPermission, Group[]> = {
  read: ["viewer"],
  write: ["uploader", "editor"],
};

/** The groups a key asked for by permissions gets: read → viewer; write → uploader and editor. */
export function groupsOfPermissions(permissions: readonly ApiKeyPermission[]): Group[] {
  const groups = new Set<Group>(permissions.flatMap((permission) => GROUPS_OF_PERMISSION[permission]));
  return (["viewer", "uploader", "editor"] as const).filter((group) => groups.has(group));
}

/** A request names its key's powers one way: `groups`, or seed 003's `permissions`. */
export function requestedGroups(request: { groups?: Group[]; permissions?: ApiKeyPermission[] }): Group[] {
  if (request.groups && request.permissions) {
    throw invalidField("body.groups", "send either groups or permissions, not both");
  }
  if (request.groups) return request.groups;
  if (request.permissions) return groupsOfPermissions(request.permissions);
  throw invalidField("body.groups", 'send groups or permissions, e.g. groups ["viewer"] or permissions ["read"]');
}

/** The requested groups the caller does not hold itself: a caller may give a key only its own powers. */
export function groupsBeyondCaller(held: readonly Group[], requested: readonly Group[]): Group[] {
  return requested.filter((group) => !hasGroup(held, group));
}
