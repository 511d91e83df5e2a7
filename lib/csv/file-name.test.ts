import { describe, expect, it } from "vitest";
import { checkFileName, MAX_FILE_NAME_LENGTH } from "./file-name";
import { CsvRuleError } from "./types";

function ruleBroken(name: string): CsvRuleError {
  try {
    checkFileName(name);
  } catch (error) {
    if (error instanceof CsvRuleError) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(name)} was accepted`);
}

describe("checkFileName", () => {
  it.each([
    "contacts.csv",
    "CONTACTS.CSV",
    "export.Tsv",
    "list.txt",
    "my.contacts.2024.csv",
    "dir/sub/file.csv",
    "C:\\x\\y.CsV",
    "contatos São Paulo (1).csv",
    "אנשי קשר.csv",
    "\u200Fmarked.csv",
    `${"x".repeat(MAX_FILE_NAME_LENGTH - 4)}.csv`,
    `${"é".repeat(MAX_FILE_NAME_LENGTH - 4)}.csv`,
    `${"😀".repeat(MAX_FILE_NAME_LENGTH - 4)}.csv`,
  ])("accepts %s", (name) => {
    expect(() => checkFileName(name)).not.toThrow();
  });

  it.each([
    ["contacts.xlsx", ".xlsx"],
    ["photo.png", ".png"],
    ["contacts.csv.zip", ".zip"],
    ["contacts", ""],
    ["contacts.", "."],
    ["csv", ""],
  ])("refuses %s for its extension", (name, extension) => {
    const error = ruleBroken(name);
    expect(error.code).toBe("UNSUPPORTED_EXTENSION");
    expect(error.message).toContain(`"${name}"`);
    expect(error.message).toContain(".csv, .tsv, .txt");
    expect(error.details).toMatchObject({ fileName: name, extension });
  });

  it.each([
    { name: "x\u0000.csv", character: "U+0000", position: 2, kind: "a control character", shown: "x\\u0000.csv" },
    {
      name: "\u0001start.csv",
      character: "U+0001",
      position: 1,
      kind: "a control character",
      shown: "\\u0001start.csv",
    },
    {
      name: "tab\tname.csv",
      character: "U+0009",
      position: 4,
      kind: "a control character",
      shown: "tab\\u0009name.csv",
    },
    {
      name: "two\nlines.csv",
      character: "U+000A",
      position: 4,
      kind: "a control character",
      shown: "two\\u000Alines.csv",
    },
    { name: "cr\r.csv", character: "U+000D", position: 3, kind: "a control character", shown: "cr\\u000D.csv" },
    { name: "del\u007f.csv", character: "U+007F", position: 4, kind: "a control character", shown: "del\\u007F.csv" },
    { name: "c1\u0085.csv", character: "U+0085", position: 3, kind: "a control character", shown: "c1\\u0085.csv" },
    { name: "c1\u009f.csv", character: "U+009F", position: 3, kind: "a control character", shown: "c1\\u009F.csv" },
    {
      name: "ls\u2028.csv",
      character: "U+2028",
      position: 3,
      kind: "a line or paragraph separator",
      shown: "ls\\u2028.csv",
    },
    {
      name: "ps\u2029.csv",
      character: "U+2029",
      position: 3,
      kind: "a line or paragraph separator",
      shown: "ps\\u2029.csv",
    },
    {
      name: "invoice\u202Evsc.txt",
      character: "U+202E",
      position: 8,
      kind: "a bidirectional text control",
      shown: "invoice\\u202Evsc.txt",
    },
    {
      name: "\u202Aembedded.csv",
      character: "U+202A",
      position: 1,
      kind: "a bidirectional text control",
      shown: "\\u202Aembedded.csv",
    },
    {
      name: "iso\u2066late\u2069.csv",
      character: "U+2066",
      position: 4,
      kind: "a bidirectional text control",
      shown: "iso\\u2066late\\u2069.csv",
    },
    { name: "😀\u0000.csv", character: "U+0000", position: 2, kind: "a control character", shown: "😀\\u0000.csv" },
  ])("refuses $shown: $kind", ({ name, character, position, kind, shown }) => {
    const error = ruleBroken(name);
    expect(error.code).toBe("INVALID_FILE_NAME");
    expect(error.message).toBe(
      `The file name "${shown}" contains ${kind} (${character}) at character ${position}. Rename the file without it.`,
    );
    expect(error.details).toEqual({ fileName: shown, character, position });
  });

  it.each([
    { name: "", message: "The file name is empty." },
    { name: "   ", message: "The file name is empty." },
    { name: "lone\uD800.csv", message: "The file name is not well-formed Unicode (it holds a lone surrogate)." },
  ])("refuses an unusable name: $message", ({ name, message }) => {
    const error = ruleBroken(name);
    expect(error.code).toBe("INVALID_FILE_NAME");
    expect(error.message).toBe(message);
  });

  it.each([
    { name: `${"x".repeat(MAX_FILE_NAME_LENGTH - 3)}.csv`, length: MAX_FILE_NAME_LENGTH + 1 },
    { name: `${"x".repeat(296)}.csv`, length: 300 },
    { name: `${"😀".repeat(MAX_FILE_NAME_LENGTH - 3)}.csv`, length: MAX_FILE_NAME_LENGTH + 1 },
    // Too long is said first: the message never has to show a 10,000-character name.
    { name: `${"\u0000".repeat(9996)}.csv`, length: 10_000 },
  ])("refuses a name of $length characters", ({ name, length }) => {
    const error = ruleBroken(name);
    expect(error.code).toBe("FILE_NAME_TOO_LONG");
    expect(error.message).toBe(
      `The file name is ${length} characters long; the limit is ${MAX_FILE_NAME_LENGTH}. Rename the file.`,
    );
    expect(error.details).toEqual({ length, limit: MAX_FILE_NAME_LENGTH });
  });
});
