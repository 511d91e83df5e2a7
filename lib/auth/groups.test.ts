import { describe, expect, it } from "vitest";
import { GROUPS, hasGroup, toGroups, type Group } from "@/lib/auth/groups";

describe("hasGroup", () => {
  it.each<[Group[], Group, boolean]>([
    // admin passes every check
    [["admin"], "admin", true],
    [["admin"], "editor", true],
    [["admin"], "uploader", true],
    [["admin"], "viewer", true],
    // viewer is what every member may do
    [["viewer"], "viewer", true],
    [["editor"], "viewer", true],
    [["uploader"], "viewer", true],
    [[], "viewer", false],
    // the other groups are separate powers
    [["editor"], "editor", true],
    [["editor"], "uploader", false],
    [["editor"], "admin", false],
    [["uploader"], "uploader", true],
    [["uploader"], "editor", false],
    [["uploader"], "admin", false],
    [["viewer"], "editor", false],
    [["viewer"], "uploader", false],
    [["viewer"], "admin", false],
    [["editor", "uploader"], "uploader", true],
    [["editor", "uploader"], "editor", true],
    [["editor", "uploader"], "admin", false],
    [["viewer", "admin"], "editor", true],
    [[], "admin", false],
    [[], "editor", false],
  ])("%j needing %s → %s", (held, required, expected) => {
    expect(hasGroup(held, required)).toBe(expected);
  });
});

describe("toGroups", () => {
  it.each<[unknown[], Group[]]>([
    [["admin"], ["admin"]],
    [
      ["Admin", " EDITOR "],
      ["admin", "editor"],
    ],
    [["uploader", "uploader", "UPLOADER"], ["uploader"]],
    [["superuser", "admins", ""], []],
    [[1, null, undefined, { name: "admin" }, "viewer"], ["viewer"]],
    [[], []],
    [[...GROUPS], [...GROUPS]],
  ])("%j → %j", (input, expected) => {
    expect(toGroups(input)).toEqual(expected);
  });
});
