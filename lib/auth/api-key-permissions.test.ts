import { describe, expect, it } from "vitest";
import { groupsBeyondCaller, groupsOfPermissions, requestedGroups } from "@/lib/auth/api-key-permissions";
import type { Group } from "@/lib/auth/groups";

describe("groupsOfPermissions", () => {
  it.each([
    { permissions: [], groups: [] },
    { permissions: ["read"], groups: ["viewer"] },
    { permissions: ["write"], groups: ["uploader", "editor"] },
    { permissions: ["write", "read"], groups: ["viewer", "uploader", "editor"] },
  ] as const)("$permissions → $groups", ({ permissions, groups }) => {
    expect(groupsOfPermissions(permissions)).toEqual(groups);
  });
});

describe("requestedGroups", () => {
  it.each([
    { request: { groups: ["editor"] as Group[] }, groups: ["editor"] },
    { request: { permissions: ["read" as const] }, groups: ["viewer"] },
  ])("$request → $groups", ({ request, groups }) => {
    expect(requestedGroups(request)).toEqual(groups);
  });

  it.each([
    { request: {}, message: /groups or permissions/ },
    { request: { groups: ["viewer"] as Group[], permissions: ["read" as const] }, message: /not both/ },
  ])("refuses $request", ({ request, message }) => {
    expect(() => requestedGroups(request)).toThrow(message);
  });
});

describe("groupsBeyondCaller", () => {
  it.each([
    { held: ["admin"], requested: ["admin", "viewer", "uploader", "editor"], beyond: [] },
    { held: ["uploader"], requested: ["viewer", "uploader"], beyond: [] },
    { held: ["uploader"], requested: ["uploader", "editor"], beyond: ["editor"] },
    { held: ["viewer", "editor"], requested: ["admin"], beyond: ["admin"] },
  ] as { held: Group[]; requested: Group[]; beyond: Group[] }[])(
    "$held asking for $requested → beyond: $beyond",
    ({ held, requested, beyond }) => {
      expect(groupsBeyondCaller(held, requested)).toEqual(beyond);
    },
  );
});
