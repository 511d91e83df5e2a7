import { describe, expect, it } from "vitest";
import { z } from "zod";
import { updateBodyWithPrefixedAliases } from "@/lib/api/contracts/shared";

const body = updateBodyWithPrefixedAliases(
  { resolved: z.boolean().optional(), comment: z.string().trim().nullable().optional() },
  "issue_",
);

describe("updateBodyWithPrefixedAliases", () => {
  it.each([
    { sent: { resolved: true }, read: { resolved: true, comment: undefined } },
    { sent: { issue_resolved: true }, read: { resolved: true, comment: undefined } },
    { sent: { issue_comment: null }, read: { resolved: undefined, comment: null } },
    { sent: { comment: " same ", issue_comment: "same" }, read: { resolved: undefined, comment: "same" } },
    { sent: { resolved: false, issue_comment: "x" }, read: { resolved: false, comment: "x" } },
  ])("$sent is read as $read", ({ sent, read }) => {
    expect(body.parse(sent)).toEqual(read);
  });

  it.each([
    {
      sent: {},
      path: [],
      message: /^Send at least one of resolved \(or issue_resolved\), comment \(or issue_comment\)$/,
    },
    {
      sent: { resolved: true, issue_resolved: false },
      path: ["issue_resolved"],
      message: /issue_resolved and resolved/,
    },
    { sent: { comment: null, issue_comment: "x" }, path: ["issue_comment"], message: /issue_comment and comment/ },
    { sent: { issue_other: 1 }, path: [], message: /Unrecognized key/ },
    { sent: { issue_resolved: "yes" }, path: ["issue_resolved"], message: /expected boolean/ },
  ])("$sent is refused at $path", ({ sent, path, message }) => {
    const result = body.safeParse(sent);
    expect(result.success).toBe(false);
    const [issue] = result.error?.issues ?? [];
    expect(issue?.path).toEqual(path);
    expect(issue?.message).toMatch(message);
  });
});
