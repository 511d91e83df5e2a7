import { describe, expect, it } from "vitest";
import { checkFileName } from "./file-name";
import { CsvRuleError } from "./types";

describe("checkFileName", () => {
  it.each(["contacts.csv", "CONTACTS.CSV", "export.Tsv", "list.txt", "my.contacts.2024.csv", "dir/sub/file.csv", "C:\\x\\y.CsV"])(
    "accepts %s",
    (name) => {
      expect(() => checkFileName(name)).not.toThrow();
    },
  );

  it.each([
    ["contacts.xlsx", ".xlsx"],
    ["photo.png", ".png"],
    ["contacts.csv.zip", ".zip"],
    ["contacts", ""],
    ["contacts.", "."],
    ["csv", ""],
  ])("refuses %s", (name, extension) => {
    let error: unknown;
    try {
      checkFileName(name);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CsvRuleError);
    const ruleError = error as CsvRuleError;
    expect(ruleError.code).toBe("UNSUPPORTED_EXTENSION");
    expect(ruleError.message).toContain(`"${name}"`);
    expect(ruleError.message).toContain(".csv, .tsv, .txt");
    expect(ruleError.details).toMatchObject({ fileName: name, extension });
  });
});
