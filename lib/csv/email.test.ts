import { describe, expect, it } from "vitest";
import { checkEmail, emailProblem, judgeEmail, normaliseEmail } from "./email";
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
    ["user@xn--e1afmkfd.xn--p1ai", "OK"],
    ["user@xn--bcher-kva.example", "OK"],
    ["user@example.c0m", "INVALID_EMAIL"],
  ];
  it.each(cases)("%j → %s", (email, expected) => {
    expect(checkEmail(email)).toBe(expected);
  });
});

/** An address of exactly `length` characters with a local part of `local` characters. */
const address = (length: number, local = 10) => `${"l".repeat(local)}@${"d".repeat(length - local - 5)}.com`;

describe("judgeEmail limits", () => {
  it.each([
    ["254 characters", address(254), { check: "OK" }],
    ["255 characters", address(255), { check: "INVALID_EMAIL", detail: "the address is 255 characters; at most 254" }],
    ["300 characters", address(300), { check: "INVALID_EMAIL", detail: "the address is 300 characters; at most 254" }],
    ["a 64-character local part", address(80, 64), { check: "OK" }],
    [
      "a 65-character local part",
      address(80, 65),
      { check: "INVALID_EMAIL", detail: "the part before the @ is 65 characters; at most 64" },
    ],
    [
      "10 million characters",
      address(10_000_000),
      { check: "INVALID_EMAIL", detail: "the address is 10,000,000 characters; at most 254" },
    ],
  ])("%s", (_, email, expected) => {
    expect(judgeEmail(email)).toEqual(expected);
  });
});

describe("emailProblem", () => {
  it.each([
    ["  Ada@Example.com ", null],
    ["", "Enter an email address"],
    ["  ", "Enter an email address"],
    ["Not-An-Email", "'not-an-email' is not a valid email address"],
    ["User@XN--E1AFMKFD.XN--P1AI", null],
  ])("%j → %j", (value, expected) => {
    expect(emailProblem(value)).toBe(expected);
  });

  it.each([
    ["255 characters", address(255), "The address is 255 characters; at most 254"],
    ["a 65-character local part", address(80, 65), "The part before the @ is 65 characters; at most 64"],
  ])("%s → %j", (_, value, expected) => {
    expect(emailProblem(value)).toBe(expected);
  });
});
