import { describe, expect, it } from "vitest";
import { firstParam, idParamOf } from "@/lib/page-params";

describe("page params", () => {
  it.each([
    [undefined, null],
    ["7", "7"],
    [["7", "8"], "7"],
    [[], null],
  ] as const)("firstParam(%j) → %j", (value, expected) => {
    expect(firstParam(value as string | string[] | undefined)).toBe(expected);
  });

  it.each([
    ["42", 42],
    [null, null],
    ["", null],
    ["0", null],
    ["-3", null],
    ["4.5", null],
    ["abc", null],
    ["9007199254740993", null],
  ] as const)("idParamOf(%j) → %j", (value, expected) => {
    expect(idParamOf(value)).toBe(expected);
  });
});
