import { describe, expect, it } from "vitest";
import { parseIssueType, parseResolvedFilter, resolvedParam, typeOptions } from "./issue-filters";

describe("issue filters", () => {
  it.each([
    ["open", false],
    ["resolved", true],
    ["all", null],
  ] as const)("showing %s asks the server for resolved=%j", (filter, expected) => {
    expect(resolvedParam(filter)).toBe(expected);
  });

  it.each([
    ["resolved", "resolved"],
    ["all", "all"],
    ["open", "open"],
    [null, "open"],
    ["nonsense", "open"],
  ])("a link's resolved=%j shows %s", (value, expected) => {
    expect(parseResolvedFilter(value)).toBe(expected);
  });

  it.each([
    ["CONTACT_CONFLICT", "CONTACT_CONFLICT"],
    ["contact_conflict", null],
    ["", null],
    [undefined, null],
  ])("type %j → %j", (value, expected) => {
    expect(parseIssueType(value)).toBe(expected);
  });

  it("offers every type, with its open count once known", () => {
    expect(typeOptions(undefined).map((option) => option.label)).toEqual([
      "All types",
      "Duplicate email",
      "Invalid email",
      "Missing email",
      "Contact conflict",
      "Malformed row",
      "Value too long",
    ]);
    const counts = {
      DUPLICATE_EMAIL: 2,
      INVALID_EMAIL: 1200,
      MISSING_EMAIL: 0,
      CONTACT_CONFLICT: 1,
      MALFORMED_ROW: 3,
      VALUE_TOO_LONG: 0,
    };
    expect(typeOptions(counts).map((option) => option.label)).toEqual([
      "All types",
      "Duplicate email (2 open)",
      "Invalid email (1,200 open)",
      "Missing email (0 open)",
      "Contact conflict (1 open)",
      "Malformed row (3 open)",
      "Value too long (0 open)",
    ]);
  });
});
