import { describe, expect, it } from "vitest";
import {
  HEADER_ALIASES,
  duplicateHeaders,
  fieldForHeader,
  matchHeaders,
  normaliseHeader,
  requireHeaders,
} from "./headers";
import { CsvRuleError, REQUIRED_FIELDS, type RequiredField } from "./types";

describe("normaliseHeader", () => {
  it.each([
    ["First Name", "firstname"],
    ["first_name", "firstname"],
    ["first-name", "firstname"],
    ["FIRSTNAME", "firstname"],
    ["  first.name  ", "firstname"],
    ["\uFEFFEmail", "email"],
    ['"E-Mail"', "email"],
    ["'company'", "company"],
    ["Organização", "organizacao"],
    ["PRÉNOM", "prenom"],
    ["first\nname", "firstname"],
    ["first – name", "firstname"],
  ])("%j → %j", (header, expected) => {
    expect(normaliseHeader(header)).toBe(expected);
  });
});

describe("fieldForHeader", () => {
  const cases: [string, RequiredField | undefined][] = [
    ["email", "email"],
    ["E-mail", "email"],
    ["e_mail", "email"],
    ["Email Address", "email"],
    ["EMAIL_ADDRESS", "email"],
    ["mail", "email"],
    ["nome", "first_name"],
    ["Nome", "first_name"],
    ["fname", "first_name"],
    ["Given Name", "first_name"],
    ["Primeiro Nome", "first_name"],
    ["sobrenome", "last_name"],
    ["SOBRENOME", "last_name"],
    ["lname", "last_name"],
    ["Surname", "last_name"],
    ["Family-Name", "last_name"],
    ["apelido", "last_name"],
    ["empresa", "company"],
    ["Organization", "company"],
    ["organisation", "company"],
    ["ORG", "company"],
    ["Company Name", "company"],
    ["company-name", "company"],
    ["organização", "company"],
    ["Organizacao", "company"],
    ["phone", undefined],
    ["name", undefined],
    ["", undefined],
  ];
  it.each(cases)("%j → %s", (header, field) => {
    expect(fieldForHeader(header)).toBe(field);
  });

  it("maps every listed alias to its own field", () => {
    for (const field of REQUIRED_FIELDS) {
      for (const alias of HEADER_ALIASES[field]) expect(fieldForHeader(alias)).toBe(field);
    }
  });
});

describe("matchHeaders", () => {
  it.each([
    [["email", "first_name", "last_name", "company"], { email: 0, first_name: 1, last_name: 2, company: 3 }, []],
    [["E-mail", "Nome", "Sobrenome", "Empresa"], { email: 0, first_name: 1, last_name: 2, company: 3 }, []],
    [
      ["Company_Name", "LAST NAME", "first-name", "Email", "phone"],
      { email: 3, first_name: 2, last_name: 1, company: 0 },
      [],
    ],
    [["id", "mail", "email", "fname", "firstname"], { email: 1, first_name: 3 }, ["last_name", "company"]],
    [[], {}, ["email", "first_name", "last_name", "company"]],
  ])("%j", (headers, columns, missing) => {
    expect(matchHeaders(headers)).toEqual({ columns, missing });
  });
});

/** What requireHeaders throws for the headers (undefined when it accepts them). */
function refusalOf(headers: string[]): unknown {
  try {
    requireHeaders(headers);
  } catch (caught) {
    return caught;
  }
  return undefined;
}

describe("requireHeaders", () => {
  it("returns every column when all are present", () => {
    expect(requireHeaders(["Nome", "Sobrenome", "e-mail", "Organização"])).toEqual({
      email: 2,
      first_name: 0,
      last_name: 1,
      company: 3,
    });
  });

  it.each([
    [
      ["email", "first_name", "last_name", "phone"],
      "Missing required header: company. Found headers: email, first_name, last_name, phone",
      ["company"],
    ],
    [
      ["email", "phone"],
      "Missing required headers: first_name, last_name, company. Found headers: email, phone",
      ["first_name", "last_name", "company"],
    ],
    [
      [""],
      "Missing required headers: email, first_name, last_name, company. Found headers: (none)",
      [...REQUIRED_FIELDS],
    ],
  ])("refuses %j", (headers, message, missing) => {
    const error = refusalOf(headers);
    expect(error).toBeInstanceOf(CsvRuleError);
    const ruleError = error as CsvRuleError;
    expect(ruleError.code).toBe("MISSING_HEADERS");
    expect(ruleError.message).toBe(message);
    expect(ruleError.details).toEqual({ missing, found: headers.filter((header) => header !== "") });
  });
});

describe("duplicate headers", () => {
  it.each([
    [["email", "first_name", "last_name", "company"], []],
    [
      ["email", "email", "first_name", "last_name", "company"],
      [
        {
          field: "email",
          columns: [
            { position: 1, header: "email" },
            { position: 2, header: "email" },
          ],
        },
      ],
    ],
    [
      ["E-mail", "first_name", "last_name", "company", "mail"],
      [
        {
          field: "email",
          columns: [
            { position: 1, header: "E-mail" },
            { position: 5, header: "mail" },
          ],
        },
      ],
    ],
    [["phone", "phone", "email"], []],
  ])("%j → %j", (headers, duplicates) => {
    expect(duplicateHeaders(headers)).toEqual(duplicates);
  });

  it.each([
    [
      ["email", "e-mail", "first_name", "last_name", "company"],
      'The header names a field more than once: email is named by column 1 ("email") and column 2 ("e-mail"). Keep one column for each field.',
    ],
    [
      ["email", "First Name", "last_name", "company", "fname", "Organização", "firstname"],
      'The header names a field more than once: first_name is named by column 2 ("First Name"), column 5 ("fname") and column 7 ("firstname"); ' +
        'company is named by column 4 ("company") and column 6 ("Organização"). Keep one column for each field.',
    ],
  ])("refuses %j naming every column", (headers, message) => {
    const error = refusalOf(headers);
    expect(error).toBeInstanceOf(CsvRuleError);
    expect(error).toMatchObject({
      code: "DUPLICATE_HEADERS",
      message,
      details: { duplicates: duplicateHeaders(headers) },
    });
  });

  it("reports missing headers before repeated ones", () => {
    expect(() => requireHeaders(["email", "email", "first_name"])).toThrow(
      /^Missing required headers: last_name, company/,
    );
  });
});
