import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/lib/auth/callback-url";

describe("safeCallbackUrl", () => {
  it.each<[string | null | undefined, string]>([
    // same-site paths are kept
    ["/jobs?x=1", "/jobs?x=1"],
    ["/", "/"],
    ["/contacts#top", "/contacts#top"],
    ["/sessions/12/files", "/sessions/12/files"],
    // anything that could leave the site becomes "/"
    ["//evil.com", "/"],
    ["//evil.com/jobs", "/"],
    ["https://evil.com", "/"],
    ["http://localhost/jobs", "/"],
    ["/\\evil.com", "/"],
    ["\\\\evil.com", "/"],
    ["javascript:alert(1)", "/"],
    ["evil.com", "/"],
    ["jobs", "/"],
    ["", "/"],
    [null, "/"],
    [undefined, "/"],
  ])("%j → %j", (input, expected) => {
    expect(safeCallbackUrl(input)).toBe(expected);
  });

  // URL parsers drop tabs and newlines, so "/\t/evil.com" resolves to "//evil.com": an open redirect
  // through the sign-in page unless these are refused.
  it.each(["/\t/evil.com", "/\n/evil.com", "/\r\\evil.com"])("%j resolves off-site and should give /", (input) => {
    expect(new URL(input, "https://intake.example").origin).not.toBe("https://intake.example");
    expect(safeCallbackUrl(input)).toBe("/");
  });
});
