import { describe, expect, it } from "vitest";
import { HEADER, encode, layoutOf, lines } from "./fixtures/build";
import {
  KEPT_RAW_TEXT_LENGTH,
  KEPT_TEXT_LENGTH,
  KEPT_VALUE_LENGTH,
  boundedCells,
  cellsFromFields,
  cutText,
  keptCells,
  malformedRow,
  normaliseFields,
  normaliseRecord,
  rawKeys,
  valueProblem,
} from "./normalise";
import type { CsvLayout, RowCheck } from "./types";

const LAYOUT = layoutOf(encode(lines([HEADER, "a@b.co,A,B,C"])));

function row(cells: string[], layout: CsvLayout = LAYOUT) {
  return normaliseRecord({ rowNumber: 7, cells }, layout);
}

describe("normaliseRecord", () => {
  it("trims every field, lower-cases the email and keeps the original cells in raw", () => {
    expect(row(["  Ana.Silva@Example.COM ", " Ana ", "\tSilva  ", " Acme Ltda. "])).toEqual({
      rowNumber: 7,
      email: "ana.silva@example.com",
      firstName: "Ana",
      lastName: "Silva",
      company: "Acme Ltda.",
      raw: { email: "  Ana.Silva@Example.COM ", first_name: " Ana ", last_name: "\tSilva  ", company: " Acme Ltda. " },
      check: "OK",
    });
  });

  it("turns empty and whitespace-only fields into null", () => {
    expect(row(["a@b.co", "", "   ", "\u00a0"])).toMatchObject({ firstName: null, lastName: null, company: null });
  });

  it("reads the required fields from wherever their columns are", () => {
    const layout = layoutOf(encode(lines(["Empresa;Telefone;Sobrenome;Nome;E-mail", "x;1;y;z;w@v.pt"])));
    expect(row(["Acme", "123", "Silva", "Ana", "ANA@ACME.PT"], layout)).toMatchObject({
      email: "ana@acme.pt",
      firstName: "Ana",
      lastName: "Silva",
      company: "Acme",
      raw: { Empresa: "Acme", Telefone: "123", Sobrenome: "Silva", Nome: "Ana", "E-mail": "ANA@ACME.PT" },
    });
  });

  const emailCases: [string, string | null, RowCheck][] = [
    ["a@b.com", "a@b.com", "OK"],
    ["First.Last+tag@Sub.Example.co.uk", "first.last+tag@sub.example.co.uk", "OK"],
    ["  MIXED@Case.Org  ", "mixed@case.org", "OK"],
    ["", null, "MISSING_EMAIL"],
    ["   ", null, "MISSING_EMAIL"],
    ["a@", "a@", "INVALID_EMAIL"],
    ["@b.com", "@b.com", "INVALID_EMAIL"],
    ["a b@c.com", "a b@c.com", "INVALID_EMAIL"],
    ["plainaddress", "plainaddress", "INVALID_EMAIL"],
    ["a@@b.com", "a@@b.com", "INVALID_EMAIL"],
    ["a@b", "a@b", "INVALID_EMAIL"],
    ["a@b.com, c@d.com", "a@b.com, c@d.com", "INVALID_EMAIL"],
  ];
  it.each(emailCases)("checks email %j → %j (%s)", (cell, email, check) => {
    expect(row([cell, "A", "B", "C"])).toMatchObject({ email, check });
  });

  it("reports a missing email when the row is shorter than the email column", () => {
    const layout = layoutOf(encode(lines(["first_name,last_name,company,email", "A,B,C,d@e.co"])));
    expect(row(["A", "B"], layout)).toMatchObject({
      email: null,
      company: null,
      check: "MISSING_EMAIL",
      raw: { first_name: "A", last_name: "B", company: "", email: "" },
    });
  });

  it("keys raw by header, numbering duplicates and filling missing trailing cells", () => {
    const layout = layoutOf(encode(lines(["email,first_name,last_name,company,phone,phone,,phone", "a@b.co,A,B,C"])));
    expect(row(["a@b.co", "A", "B", "C", "111", "222"], layout).raw).toEqual({
      email: "a@b.co",
      first_name: "A",
      last_name: "B",
      company: "C",
      phone: "111",
      "phone (2)": "222",
      "column 7": "",
      "phone (3)": "",
    });
  });

  it("keeps cells beyond the last header and headers such as __proto__ as ordinary keys", () => {
    const layout = layoutOf(encode(lines(["email,first_name,last_name,company,__proto__", "a@b.co,A,B,C,x"])));
    const { raw } = row(["a@b.co", "A", "B", "C", "x", "extra"], layout);
    expect(Object.keys(raw)).toEqual(["email", "first_name", "last_name", "company", "__proto__", "column 6"]);
    expect(Object.getPrototypeOf(raw)).toBe(Object.prototype);
    expect(raw["column 6"]).toBe("extra");
  });
});

describe("keptCells", () => {
  const fourColumns = LAYOUT;
  const reordered = layoutOf(encode(lines(["Empresa;Sobrenome;Nome;E-mail", "x;y;z;w@v.pt"])));
  const withNotes = layoutOf(encode(lines(["email,first_name,last_name,company,notes", "a@b.co,A,B,C,x"])));

  it.each([
    ["cells the fields give back exactly", fourColumns, ["a@b.co", "Ana", "Silva", "Acme"], null],
    ["empty cells (null fields)", fourColumns, ["a@b.co", "", "", ""], null],
    ["the same in another column order", reordered, ["Acme", "Silva", "Ana", "a@b.co"], null],
    ["an email with capitals", fourColumns, ["A@b.co", "Ana", "Silva", "Acme"], "kept"],
    ["spacing the trim removes", fourColumns, ["a@b.co", " Ana", "Silva", "Acme"], "kept"],
    ["a cell of spaces only", fourColumns, ["a@b.co", "Ana", "  ", "Acme"], "kept"],
    ["a cell beyond the header", fourColumns, ["a@b.co", "Ana", "Silva", "Acme", "extra"], "kept"],
    ["a short row", fourColumns, ["a@b.co", "Ana", "Silva"], "kept"],
    ["a file with other columns", withNotes, ["a@b.co", "Ana", "Silva", "Acme", "vip"], "kept"],
  ] as const)("%s → %s", (_, layout, cells, expected) => {
    const record = { rowNumber: 2, cells: [...cells] };
    const kept = keptCells(record, layout, normaliseRecord(record, layout));
    expect(kept).toEqual(expected === "kept" ? cells : null);
  });

  it("rebuilds the cells it did not keep, in the file's order", () => {
    const fields = { email: "a@b.co", firstName: "Ana", lastName: null, company: "Acme" };
    expect(cellsFromFields(fields, reordered)).toEqual(["Acme", "", "Ana", "a@b.co"]);
    expect(cellsFromFields(fields, withNotes)).toBeNull();
  });
});

describe("rawKeys", () => {
  it.each([
    [
      ["a", "b"],
      ["a", "b"],
    ],
    [
      ["a", "a", "a"],
      ["a", "a (2)", "a (3)"],
    ],
    [
      ["a", "a (2)", "a"],
      ["a", "a (2)", "a (3)"],
    ],
    [
      ["", " ", "x"],
      ["column 1", "column 2", "x"],
    ],
  ])("%j → %j", (headers, keys) => {
    expect(rawKeys(headers)).toEqual(keys);
  });
});

describe("normaliseFields limits", () => {
  const fields = (overrides: Partial<Record<"email" | "firstName" | "lastName" | "company", string | null>>) =>
    normaliseFields({ email: "a@b.co", firstName: "Ana", lastName: "Silva", company: "Acme", ...overrides });
  const TEN_MB = "n".repeat(10 * 1024 * 1024);

  it.each([
    ["a 255-character first name", { firstName: "f".repeat(255) }, "OK", undefined],
    [
      "a 256-character first name",
      { firstName: "f".repeat(256) },
      "VALUE_TOO_LONG",
      "first_name is 256 characters; at most 255",
    ],
    [
      "a 256-character last name",
      { lastName: "l".repeat(256) },
      "VALUE_TOO_LONG",
      "last_name is 256 characters; at most 255",
    ],
    [
      "a 300-character company",
      { company: "c".repeat(300) },
      "VALUE_TOO_LONG",
      "company is 300 characters; at most 255",
    ],
    [
      "two long fields",
      { firstName: "f".repeat(256), company: "c".repeat(2_000) },
      "VALUE_TOO_LONG",
      "first_name is 256 characters, company is 2,000 characters; at most 255 (only the first 1,000 characters of a longer value are kept)",
    ],
    [
      "a 10 MB first name",
      { firstName: TEN_MB },
      "VALUE_TOO_LONG",
      "first_name is 10,485,760 characters; at most 255 (only the first 1,000 characters of a longer value are kept)",
    ],
    ["spaces around a 255-character name (trimmed first)", { firstName: ` ${"f".repeat(255)} ` }, "OK", undefined],
    // One check a row, the most serious first: an edit that fixes it shows the next.
    ["a missing email before a long name", { email: " ", firstName: "f".repeat(256) }, "MISSING_EMAIL", undefined],
    ["an invalid email before a long name", { email: "nope", firstName: "f".repeat(256) }, "INVALID_EMAIL", undefined],
    [
      "a long email before a long name",
      { email: `${"e".repeat(250)}@b.co`, firstName: "f".repeat(256) },
      "INVALID_EMAIL",
      "the address is 255 characters; at most 254",
    ],
  ] as const)("%s → %s", (_, overrides, check, detail) => {
    const result = fields(overrides);
    expect(result.check).toBe(check);
    expect(result.detail).toBe(detail);
  });

  it("never keeps more than 1,000 characters of a field, and never lands one cut: a kept value is still too long", () => {
    const result = fields({ firstName: TEN_MB, email: `${"e".repeat(5_000)}@b.co` });
    expect(result.firstName).toBe(TEN_MB.slice(0, KEPT_VALUE_LENGTH));
    expect(result.email).toHaveLength(KEPT_VALUE_LENGTH);
    // Checking the kept values again (as an edit of another field does) still fails.
    expect(normaliseFields({ ...result }).check).toBe("INVALID_EMAIL");
    expect(normaliseFields({ ...result, email: "a@b.co" }).check).toBe("VALUE_TOO_LONG");
  });
});

describe("valueProblem", () => {
  it.each([
    ["Ana", null],
    ["f".repeat(255), null],
    [` ${"f".repeat(255)} `, null],
    ["f".repeat(256), "It is 256 characters; at most 255"],
    ["f".repeat(1_500), "It is 1,500 characters; at most 255"],
  ])("%#", (value, expected) => {
    expect(valueProblem(value)).toBe(expected);
  });
});

describe("cutText", () => {
  it.each([
    ["shorter", "abc", 5, "abc"],
    ["exact", "abcde", 5, "abcde"],
    ["longer", "abcdef", 5, "abcde"],
    ["a surrogate pair on the edge", "abcd😀", 5, "abcd"],
    ["a surrogate pair inside", "ab😀cd", 5, "ab😀c"],
  ])("%s", (_, value, length, expected) => {
    expect(cutText(value, length)).toBe(expected);
  });
});

describe("malformedRow and boundedCells", () => {
  it.each([
    [
      { firstLine: 5, lastLine: 5, problem: "6 fields where the header has 4", text: "a,b,c,d,e,f" },
      "Line 5: 6 fields where the header has 4",
      "a,b,c,d,e,f",
    ],
    [
      { firstLine: 5, lastLine: 7, problem: "a quoted field is never closed", text: 'a,"b\nc\nd' },
      "Lines 5–7: a quoted field is never closed",
      'a,"b\nc\nd',
    ],
    [
      {
        firstLine: 9,
        lastLine: 9,
        problem: "1 field where the header has 4",
        text: "z".repeat(KEPT_RAW_TEXT_LENGTH + 1),
      },
      "Line 9: 1 field where the header has 4 (the record is 10,001 characters; its first 10,000 are kept)",
      "z".repeat(KEPT_RAW_TEXT_LENGTH),
    ],
  ])("%#: %s", (malformed, detail, rawText) => {
    expect(malformedRow(malformed)).toEqual({ detail, rawText });
  });

  it("cuts only cells longer than the limit, and leaves the array alone when none is", () => {
    const cells = ["a", "b"];
    expect(boundedCells(cells)).toBe(cells);
    expect(boundedCells(["a", "y".repeat(KEPT_TEXT_LENGTH + 5)])).toEqual(["a", "y".repeat(KEPT_TEXT_LENGTH)]);
  });
});
