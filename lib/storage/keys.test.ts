import { describe, expect, it } from "vitest";
import { isCompanyKey, isValidKey, uploadKey, validateKey, validatePrefix } from "./keys";
import { InvalidKeyError } from "./types";

const COMPANY = "0b3c9a4e-5d1f-4c2a-9e8b-7f6a5d4c3b2a";
const KEY = `uploads/${COMPANY}/file name.csv`;

describe("validateKey", () => {
  it.each([
    ["../x", "parent segment"],
    ["uploads/../../etc/passwd", "parent segment inside"],
    ["/abs", "absolute"],
    ["a\\b", "backslash"],
    ["a\0b", "NUL"],
    ["", "empty"],
    ["a//b", "empty segment"],
    ["a/", "trailing slash"],
    ["./a", "dot segment"],
    ["uploads/.hidden.csv", "dot-named segment"],
    ["a/ b.csv", "leading space"],
    ["a/b?.csv", "question mark"],
    ["a/b#c.csv", "hash"],
    ["a/b%2F.csv", "percent"],
    ["a/b\n.csv", "newline"],
    ["a/b\t.csv", "tab"],
    ["a/b*.csv", "asterisk"],
    ["a/<b>.csv", "angle brackets"],
    ["x".repeat(1025), "longer than 1024 bytes"],
    [`a/${"é".repeat(130)}`, "segment longer than 255 bytes"],
  ])("rejects %j (%s)", (key) => {
    expect(() => validateKey(key)).toThrow(InvalidKeyError);
    expect(isValidKey(key)).toBe(false);
  });

  it.each([
    KEY,
    "uploads/acme/2024-01-01/contacts (1).csv",
    "uploads/empresa/contatos São Paulo.csv",
    "a",
    "a/b/c/d.tsv",
    "x".repeat(255),
  ])("accepts %j", (key) => {
    expect(validateKey(key)).toEqual(key.split("/"));
    expect(isValidKey(key)).toBe(true);
  });

  it.each([
    ["../x", `Invalid storage key "../x": it has a '..' path segment`],
    [
      "a/b?.csv",
      `Invalid storage key "a/b?.csv": only letters, digits, spaces and . _ - ( ) + , = @ ~ ! ' & are allowed`,
    ],
    [`${"x".repeat(100)}/`, `Invalid storage key "${"x".repeat(80)}…": it has an empty path segment`],
  ])("says what is wrong with %j", (key, message) => {
    expect(() => validateKey(key)).toThrow(message);
  });
});

describe("validatePrefix", () => {
  it.each([
    ["", { directory: [], namePrefix: "" }],
    ["uploads/", { directory: ["uploads"], namePrefix: "" }],
    ["uploads", { directory: [], namePrefix: "uploads" }],
    ["uploads/ab", { directory: ["uploads"], namePrefix: "ab" }],
    ["a/b/c", { directory: ["a", "b"], namePrefix: "c" }],
  ])("splits %j", (prefix, expected) => {
    expect(validatePrefix(prefix)).toEqual(expected);
  });

  it.each(["../", "/", "a//", "/a", "a/b?", "uploads/../x"])("rejects %j", (prefix) => {
    expect(() => validatePrefix(prefix)).toThrow(InvalidKeyError);
  });
});

describe("uploadKey", () => {
  it.each([
    ["contacts.csv", "contacts.csv"],
    ["contatos São Paulo (1).csv", "contatos_Sa_o_Paulo_1_.csv"],
    ["../../etc/passwd", "etc_passwd"],
    ["..", "upload.csv"],
    ["___.csv", "csv"],
    [`${"a".repeat(150)}.csv`, `${"a".repeat(96)}.csv`],
    // Shortened to its last 100 characters, the name would start with a dot.
    [`a.${"b".repeat(95)}.csv`, `${"b".repeat(95)}.csv`],
  ])("keeps %j as a safe file name %j under a new folder of the company's uploads", (fileName, safe) => {
    const key = uploadKey({ companyId: COMPANY, fileName });
    expect(key).toMatch(new RegExp(`^uploads/${COMPANY}/[0-9a-f-]{36}/`));
    expect(key.slice(key.lastIndexOf("/") + 1)).toBe(safe);
    expect(isValidKey(key)).toBe(true);
    expect(isCompanyKey({ companyId: COMPANY, key })).toBe(true);
  });

  it("never makes the same key twice", () => {
    const keys = new Set(
      Array.from({ length: 100 }, () => uploadKey({ companyId: COMPANY, fileName: "contacts.csv" })),
    );
    expect(keys.size).toBe(100);
  });
});

describe("isCompanyKey", () => {
  it.each([
    [KEY, true],
    [`uploads/${COMPANY}/a/b/c.csv`, true],
    [`uploads/other-company/file.csv`, false],
    [`uploads/${COMPANY}x/file.csv`, false],
    [`uploads/${COMPANY}`, false],
    [`uploads/${COMPANY}/../other-company/file.csv`, false],
    [`uploads/${COMPANY}/.hidden.csv`, false],
    [`/uploads/${COMPANY}/file.csv`, false],
    [`exports/${COMPANY}/file.csv`, false],
  ])("%j → %s", (key, expected) => {
    expect(isCompanyKey({ companyId: COMPANY, key })).toBe(expected);
  });
});
