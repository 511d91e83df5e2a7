import { describe, expect, it } from "vitest";
import { derivedFileName } from "./response";

describe("derivedFileName", () => {
  it.each([
    { original: "contacts.csv", expected: "contacts-errors.csv" },
    { original: "Lista de clientes 2024.CSV", expected: "Lista de clientes 2024-errors.csv" },
    { original: "export.final.tsv", expected: "export.final-errors.csv" },
    { original: "no-extension", expected: "no-extension-errors.csv" },
    { original: ".csv", expected: ".csv-errors.csv" },
    { original: "", expected: "export-errors.csv" },
    { original: "../../etc/passwd.csv", expected: "passwd-errors.csv" },
    { original: 'C:\\Users\\ana\\a"b.csv', expected: "ab-errors.csv" },
    { original: "bad\r\nheader.csv", expected: "badheader-errors.csv" },
    { original: "ação.csv", expected: "ação-errors.csv" },
  ])("$original → $expected", ({ original, expected }) => {
    expect(derivedFileName({ original, suffix: "errors" })).toBe(expected);
  });
});
