import { describe, expect, it } from "vitest";
import { identityFromClaims } from "@/lib/auth/cognito";

describe("identityFromClaims", () => {
  it.each([
    [
      "maps known Cognito groups, case-insensitively, dropping unknown ones",
      { email: "ana@example.com", name: "Ana", "cognito:groups": ["Editor", "uploader", "billing"] },
      { email: "ana@example.com", name: "Ana", groups: ["editor", "uploader"], companySlug: null },
    ],
    [
      "no groups claim gives no groups (the member becomes a viewer when provisioned)",
      { email: "bo@example.com", "cognito:username": "bo" },
      { email: "bo@example.com", name: "bo", groups: [], companySlug: null },
    ],
    [
      "custom:company picks the company",
      { email: "cy@example.com", "cognito:groups": ["admin"], "custom:company": "acme" },
      { email: "cy@example.com", name: null, groups: ["admin"], companySlug: "acme" },
    ],
    [
      "a non-array groups claim is ignored",
      { email: "di@example.com", "cognito:groups": "admin" },
      { email: "di@example.com", name: null, groups: [], companySlug: null },
    ],
  ])("%s", (_title, claims, expected) => {
    expect(identityFromClaims(claims)).toEqual(expected);
  });

  it.each([[{}], [{ email: 42 }], [{ "cognito:groups": ["admin"] }]])(
    "without an email there is no identity: %j",
    (claims) => {
      expect(identityFromClaims(claims)).toBeNull();
    },
  );
});
