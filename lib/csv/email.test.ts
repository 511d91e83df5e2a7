import { describe, expect, it } from "vitest";
import { checkEmail, emailProblem, normaliseEmail } from "./email";
import type { RowCheck } from "./types";

describe("normaliseEmail", () => {
  it.each([
    ["  Ana.Silva@Example.COM ", "ana.silva@example.com"],
    ["a@b.co", "a@b.co"],
    ["", null],
    ["   ", null],
    ["\u00a0", null],
    [null, null],
    [undefined, null],
  ])("%j → %j", (value, expected) => {
    expect(normaliseEmail(value)).toBe(expected);
  });
});

describe("checkEmail", () => {
  const cases: [string | null, RowCheck][] = [
    ["ana@example.com", "OK"],
    ["first.last+tag@sub.example.co.uk", "OK"],
    [null, "MISSING_EMAIL"],
    ["not-an-email", "INVALID_EMAIL"],
    ["x@y", "INVALID_EMAIL"],
    ["two@@example.com", "INVALID_EMAIL"],
    ["spaces in@example.com", "INVALID_EMAIL"],
  ];
  it.each(cases)("%j → %s", (email, expected) => {
    expect(checkEmail(email)).toBe(expected);
  });
});

describe("emailProblem", () => {
  it.each([
    ["  Ada@Example.com ", null],
    ["", "Enter an email address"],
    ["  ", "Enter an email address"],
    ["Not-An-Email", "'not-an-email' is not a valid email address"],
  ])("%j → %j", (value, expected) => {
    expect(emailProblem(value)).toBe(expected);
  });
});
