import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { encodeCsvRows, type CsvRow } from "./encode";

describe("encodeCsvRows", () => {
  it.each<{ what: string; cell: string | number | null | undefined; encoded: string }>([
    { what: "plain text", cell: "Ana", encoded: "Ana" },
    {
      what: "accents and symbols, untouched",
      cell: "João Conceição · Açaí € Cia",
      encoded: "João Conceição · Açaí € Cia",
    },
    { what: "null", cell: null, encoded: "" },
    { what: "undefined", cell: undefined, encoded: "" },
    { what: "an empty string", cell: "", encoded: "" },
    { what: "a number", cell: 42, encoded: "42" },
    { what: "a negative number (not text, so not a formula)", cell: -3, encoded: "-3" },
    { what: "the delimiter", cell: "Acme, Inc.", encoded: '"Acme, Inc."' },
    { what: "quotes, doubled inside quotes", cell: 'say "hi"', encoded: '"say ""hi"""' },
    { what: "a line feed", cell: "line 1\nline 2", encoded: '"line 1\nline 2"' },
    { what: "CRLF inside", cell: "line 1\r\nline 2", encoded: '"line 1\r\nline 2"' },
    { what: "a semicolon (not our delimiter)", cell: "a;b", encoded: "a;b" },
    { what: "a leading space", cell: " padded", encoded: '" padded"' },
    { what: "a formula with quotes", cell: '=HYPERLINK("x")', encoded: `"'=HYPERLINK(""x"")"` },
    { what: "a formula starting with +", cell: "+1+1", encoded: `"'+1+1"` },
    { what: "text starting with - (a formula to a spreadsheet)", cell: "-2+3", encoded: `"'-2+3"` },
    { what: "text starting with @", cell: "@SUM(A1)", encoded: `"'@SUM(A1)"` },
    { what: "text starting with a tab", cell: "\t=1", encoded: `"'\t=1"` },
    { what: "text starting with a carriage return", cell: "\r=1", encoded: `"'\r=1"` },
    { what: "a formula going on over two lines", cell: "=1+1\nmore", encoded: `"'=1+1\nmore"` },
    { what: "= later in the text", cell: "a=b", encoded: "a=b" },
    { what: "an email with @ inside", cell: "ana@example.com", encoded: "ana@example.com" },
  ])("$what", ({ cell, encoded }) => {
    expect(encodeCsvRows([["before", cell, "after"]])).toBe(`before,${encoded},after\r\n`);
  });

  it("ends every record with CRLF, and writes nothing for no rows", () => {
    expect(
      encodeCsvRows([
        ["a", "b"],
        ["c", "d"],
      ]),
    ).toBe("a,b\r\nc,d\r\n");
    expect(encodeCsvRows([])).toBe("");
  });

  it("reads back as the same cells (neutralised ones with their leading ')", () => {
    const rows: CsvRow[] = [
      ["email", "note", "formula"],
      ["ana@example.com", 'She said "ok", then\nleft', '=HYPERLINK("x")'],
      ["bo@example.com", "", "Çà va"],
    ];
    const parsed = Papa.parse<string[]>(encodeCsvRows(rows), { newline: "\r\n", skipEmptyLines: true }).data;
    expect(parsed).toEqual([
      ["email", "note", "formula"],
      ["ana@example.com", 'She said "ok", then\nleft', `'=HYPERLINK("x")`],
      ["bo@example.com", "", "Çà va"],
    ]);
  });
});
