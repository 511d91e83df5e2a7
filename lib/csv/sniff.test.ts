import { describe, expect, it } from "vitest";
import { HEADER, PNG_SIGNATURE, ZIP_SIGNATURE, encode, layoutOf, lines, randomBytes, readAll } from "./fixtures/build";
import { sniffLayout } from "./sniff";
import { CsvRuleError, type CsvLayout, type CsvRuleCode } from "./types";

const STANDARD_COLUMNS = { email: 0, first_name: 1, last_name: 2, company: 3 };

type Accepted = {
  name: string;
  bytes: Buffer;
  layout: Partial<CsvLayout>;
  /** Cells of the data records, in order. */
  rows: string[][];
};

const ACCEPTED: Accepted[] = [
  {
    name: "plain UTF-8, comma, LF",
    bytes: encode(lines([HEADER, "ana@example.com,Ana,Silva,Acme"])),
    layout: {
      encoding: "utf-8",
      bomBytes: 0,
      delimiter: ",",
      newline: "\n",
      columns: STANDARD_COLUMNS,
      dataOffset: HEADER.length + 1,
    },
    rows: [["ana@example.com", "Ana", "Silva", "Acme"]],
  },
  {
    name: "UTF-8 with BOM",
    bytes: encode(lines([HEADER, "ana@example.com,Ana,Silva,Acme"]), "utf-8", true),
    layout: {
      encoding: "utf-8",
      bomBytes: 3,
      headers: ["email", "first_name", "last_name", "company"],
      dataOffset: 3 + HEADER.length + 1,
    },
    rows: [["ana@example.com", "Ana", "Silva", "Acme"]],
  },
  {
    name: "Portuguese headers, semicolon, CRLF, UTF-8 accents",
    bytes: encode(
      lines(["Nome;Sobrenome;E-mail;Empresa", "João;Conceição;joao@exemplo.pt;Padaria Pão de Açúcar"], "\r\n"),
    ),
    layout: {
      encoding: "utf-8",
      delimiter: ";",
      newline: "\n",
      headers: ["Nome", "Sobrenome", "E-mail", "Empresa"],
      columns: { email: 2, first_name: 0, last_name: 1, company: 3 },
      dataOffset: "Nome;Sobrenome;E-mail;Empresa\r\n".length,
    },
    rows: [["João", "Conceição", "joao@exemplo.pt", "Padaria Pão de Açúcar"]],
  },
  {
    name: "mixed-case and separator variants with an extra column",
    bytes: encode(lines(["  EMAIL ADDRESS , First-Name,last.name,Company_Name,Phone", "a@b.co,A,B,C,123"])),
    layout: {
      headers: ["EMAIL ADDRESS", "First-Name", "last.name", "Company_Name", "Phone"],
      columns: STANDARD_COLUMNS,
    },
    rows: [["a@b.co", "A", "B", "C", "123"]],
  },
  {
    name: "CR-only newlines",
    bytes: encode(lines([HEADER, "a@b.co,A,B,C", "c@d.co,C,D,E"], "\r")),
    layout: { newline: "\r", delimiter: ",", dataOffset: HEADER.length + 1 },
    rows: [
      ["a@b.co", "A", "B", "C"],
      ["c@d.co", "C", "D", "E"],
    ],
  },
  {
    name: "quoted delimiters, quoted newlines and escaped quotes",
    bytes: encode(
      lines([
        '"email","first_name","last_name","company"',
        '"a@b.co","Ana ""Nana""","Silva, Jr.","Acme\nInternational, Inc."',
        'c@d.co,"Multi\r\nline",,"He said ""hi"""',
      ]),
    ),
    layout: { delimiter: ",", headers: ["email", "first_name", "last_name", "company"] },
    rows: [
      ["a@b.co", 'Ana "Nana"', "Silva, Jr.", "Acme\nInternational, Inc."],
      ["c@d.co", "Multi\r\nline", "", 'He said "hi"'],
    ],
  },
  {
    name: "a quoted newline inside a header",
    bytes: encode(lines(['email,"First\nName",last_name,company', "a@b.co,A,B,C"])),
    layout: { columns: STANDARD_COLUMNS, headers: ["email", "First\nName", "last_name", "company"] },
    rows: [["a@b.co", "A", "B", "C"]],
  },
  {
    name: "Windows-1252, semicolon, CRLF, accents, € and curly quotes",
    bytes: encode(
      lines(["email;nome;sobrenome;empresa", "joão@exemplo.pt;João;Conceição;Café “Zé” – 5 €"], "\r\n"),
      "windows-1252",
    ),
    layout: { encoding: "windows-1252", bomBytes: 0, delimiter: ";", newline: "\n", columns: STANDARD_COLUMNS },
    rows: [["joão@exemplo.pt", "João", "Conceição", "Café “Zé” – 5 €"]],
  },
  {
    name: "Latin-1 text (no 0x80–0x9F bytes)",
    bytes: encode(
      lines(["email,first_name,last_name,company", "r@x.fr,Renée,Müller,Société Générale"]),
      "windows-1252",
    ),
    layout: { encoding: "windows-1252" },
    rows: [["r@x.fr", "Renée", "Müller", "Société Générale"]],
  },
  {
    name: "UTF-16 LE with BOM, tab-delimited",
    bytes: encode(
      lines(["email\tfirst_name\tlast_name\tcompany", "a@b.co\tÅsa\tÖberg\tBolag €"], "\r\n"),
      "utf-16le",
      true,
    ),
    layout: {
      encoding: "utf-16le",
      bomBytes: 2,
      delimiter: "\t",
      newline: "\n",
      headers: ["email", "first_name", "last_name", "company"],
      dataOffset: 2 + 2 * "email\tfirst_name\tlast_name\tcompany\r\n".length,
    },
    rows: [["a@b.co", "Åsa", "Öberg", "Bolag €"]],
  },
  {
    name: "UTF-16 BE with BOM, comma",
    bytes: encode(lines([HEADER, '"a@b.co","Zoë","O\'Brien, III",Café']), "utf-16be", true),
    layout: { encoding: "utf-16be", bomBytes: 2, delimiter: ",", dataOffset: 2 + 2 * (HEADER.length + 1) },
    rows: [["a@b.co", "Zoë", "O'Brien, III", "Café"]],
  },
  {
    name: "UTF-16 LE without BOM",
    bytes: encode(lines(["Email;Nome;Sobrenome;Empresa", "x@y.pt;Inês;Araújo;ACME"]), "utf-16le"),
    layout: { encoding: "utf-16le", bomBytes: 0, delimiter: ";" },
    rows: [["x@y.pt", "Inês", "Araújo", "ACME"]],
  },
  {
    name: "UTF-16 BE without BOM",
    bytes: encode(lines([HEADER, "x@y.pt,Inês,Araújo,ACME"]), "utf-16be"),
    layout: { encoding: "utf-16be", bomBytes: 0, delimiter: "," },
    rows: [["x@y.pt", "Inês", "Araújo", "ACME"]],
  },
  {
    name: "pipe-delimited",
    bytes: encode(lines(["email|first_name|last_name|company", "a@b.co|A|B|Smith, Jones & Co"])),
    layout: { delimiter: "|", columns: STANDARD_COLUMNS },
    rows: [["a@b.co", "A", "B", "Smith, Jones & Co"]],
  },
  {
    name: "tab-delimited UTF-8 (.tsv)",
    bytes: encode(lines(["email\tfirst name\tlast name\torganization", "a@b.co\tA\tB\tC, D; E"])),
    layout: { delimiter: "\t", columns: STANDARD_COLUMNS },
    rows: [["a@b.co", "A", "B", "C, D; E"]],
  },
  {
    name: "blank lines before the header and between records, no final newline",
    bytes: encode(lines(["", "  ", HEADER, "", "a@b.co,A,B,C", ",,,", "c@d.co,C,D,E"], "\n", false)),
    layout: { dataOffset: 1 + 3 + HEADER.length + 1 },
    rows: [
      ["a@b.co", "A", "B", "C"],
      ["c@d.co", "C", "D", "E"],
    ],
  },
  {
    name: "comma wins over a semicolon that only appears in the data",
    bytes: encode(lines([HEADER, "a@b.co,A;B,C;D,E;F", "c@d.co,C,D,E"])),
    layout: { delimiter: "," },
    rows: [
      ["a@b.co", "A;B", "C;D", "E;F"],
      ["c@d.co", "C", "D", "E"],
    ],
  },
];

describe("sniffLayout accepts", () => {
  it.each(ACCEPTED)("$name", async ({ bytes, layout, rows }) => {
    const found = layoutOf(bytes);
    expect(found).toMatchObject(layout);
    const records = await readAll(bytes, 64 * 1024, found);
    expect(records.map((record) => record.cells)).toEqual(rows);
  });

  it("reads Windows-1252 bytes 0x80 and 0x93 as € and “ (not as C1 controls)", async () => {
    const bytes = Buffer.concat([
      encode(lines([HEADER, ""]).slice(0, -1)),
      Buffer.from([0x61, 0x40, 0x62, 0x2c, 0x93, 0x58, 0x94, 0x2c, 0x80, 0x2c, 0xe9, 0x0a]),
    ]);
    const layout = layoutOf(bytes);
    expect(layout.encoding).toBe("windows-1252");
    const [record] = await readAll(bytes, 64 * 1024, layout);
    expect(record?.cells).toEqual(["a@b", "“X”", "€", "é"]);
  });
});

type Refused = { name: string; bytes: Buffer; code: CsvRuleCode; complete?: boolean; message?: RegExp };

const REFUSED: Refused[] = [
  { name: "an empty file", bytes: Buffer.alloc(0), code: "EMPTY_FILE" },
  { name: "a whitespace-only file", bytes: encode(" \n\t\r\n  \n"), code: "EMPTY_FILE" },
  { name: "a file that is only a BOM", bytes: encode("", "utf-8", true), code: "EMPTY_FILE" },
  { name: "a whitespace-only UTF-16 file", bytes: encode("  \r\n", "utf-16le", true), code: "EMPTY_FILE" },
  {
    name: "a header-only file",
    bytes: encode(lines([HEADER])),
    code: "NO_DATA_ROWS",
    message: /header but no data rows/,
  },
  { name: "a header-only file without newline", bytes: encode(HEADER), code: "NO_DATA_ROWS" },
  {
    name: "a header followed by blank lines only",
    bytes: encode(lines([HEADER, "", "   ", ",,,", '"","",,', ""], "\r\n")),
    code: "NO_DATA_ROWS",
  },
  { name: "a header-only UTF-16 file", bytes: encode(lines([HEADER, ""]), "utf-16le", true), code: "NO_DATA_ROWS" },
  { name: "a PNG renamed to .csv", bytes: Buffer.concat([PNG_SIGNATURE, randomBytes(2000)]), code: "BINARY_FILE" },
  {
    name: "an XLSX (ZIP) renamed to .csv",
    bytes: Buffer.concat([ZIP_SIGNATURE, randomBytes(500, 7)]),
    code: "BINARY_FILE",
  },
  { name: "random bytes", bytes: randomBytes(4096, 99), code: "BINARY_FILE" },
  {
    name: "control characters without NUL bytes",
    bytes: Buffer.from(Array.from({ length: 300 }, (_, i) => [0x01, 0x02, 0x41, 0x1b, 0x7f][i % 5] ?? 0)),
    code: "BINARY_FILE",
  },
  { name: "a text file with a NUL byte", bytes: encode(lines([HEADER, "a@b.co,A,B,C\u0000"])), code: "BINARY_FILE" },
  {
    name: "a file missing company",
    bytes: encode(lines(["email,first_name,last_name,phone", "a@b.co,A,B,123"])),
    code: "MISSING_HEADERS",
    message: /^Missing required header: company\. Found headers: email, first_name, last_name, phone$/,
  },
  {
    name: "a file with none of the required headers",
    bytes: encode(lines(["id;name;phone", "1;Ana;123"])),
    code: "MISSING_HEADERS",
    message: /^Missing required headers: email, first_name, last_name, company\. Found headers: id, name, phone$/,
  },
  { name: "a file whose every record is blank", bytes: encode(lines(['""', '""'])), code: "NO_HEADER" },
  {
    name: "a head that ends inside the header",
    bytes: encode(`${HEADER},${"x".repeat(200)}`),
    complete: false,
    code: "NO_HEADER",
  },
];

describe("sniffLayout refuses", () => {
  it.each(REFUSED)("$name → $code", ({ bytes, code, complete = true, message }) => {
    let error: unknown;
    try {
      sniffLayout(bytes, { complete });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CsvRuleError);
    expect((error as CsvRuleError).code).toBe(code);
    if (message !== undefined) expect((error as CsvRuleError).message).toMatch(message);
  });

  it("names what is missing and what was found in the details", () => {
    const bytes = encode(lines(["Nome;Sobrenome;E-mail;Telefone", "Ana;Silva;a@b.co;123"]));
    expect(() => layoutOf(bytes)).toThrow(
      expect.objectContaining({
        code: "MISSING_HEADERS",
        details: { missing: ["company"], found: ["Nome", "Sobrenome", "E-mail", "Telefone"] },
      }),
    );
  });
});

describe("sniffLayout on an incomplete head", () => {
  const file = encode(lines([HEADER, "ana@example.com,Ana,Silva,Acme", "bia@example.com,Bia,Souza,Acme"]));

  it.each([
    ["inside the first data record", HEADER.length + 5],
    ["right after the header newline plus one byte", HEADER.length + 2],
    ["inside the second data record", file.length - 3],
  ])("counts a record cut %s as data", (_, length) => {
    const layout = sniffLayout(file.subarray(0, length), { complete: false });
    expect(layout.dataOffset).toBe(HEADER.length + 1);
  });

  it("tolerates a UTF-8 character cut by the end of the head", () => {
    const bytes = encode(lines([HEADER, "a@b.co,José,Araújo,Ação"]));
    const cut = bytes.subarray(0, bytes.length - 3); // ends inside "ã"
    expect(() => sniffLayout(cut, { complete: true })).not.toThrow();
    expect(sniffLayout(cut, { complete: false }).encoding).toBe("utf-8");
  });

  it("does not claim a file has no data when only the head is blank after the header", () => {
    const head = encode(lines([HEADER, "", "", ""]));
    expect(() => sniffLayout(head, { complete: true })).toThrow(expect.objectContaining({ code: "NO_DATA_ROWS" }));
    expect(sniffLayout(head, { complete: false }).dataOffset).toBe(HEADER.length + 1);
  });
});
