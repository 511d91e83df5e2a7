import { describe, expect, it } from "vitest";
import { HEADER, chunked, encode, layoutOf } from "./fixtures/build";
import { malformedRow } from "./normalise";
import { readRecords } from "./records";
import { MAX_QUOTED_BYTES, MAX_QUOTED_LINES } from "./scanner";
import type { CsvEncoding, CsvLayout, CsvRecord } from "./types";

/**
 * What a record should come out as: its cells (for a malformed one, its best split) and, when malformed, the
 * detail staging gives it.
 */
type Expected = { row: number; cells: string[]; malformed?: string };

type Case = {
  name: string;
  /** The file after the header line (which ends with LF). */
  body: string;
  records: Expected[];
  /** Blank records passed over. */
  blank: number;
};

const ok = (row: number, cells: string[]): Expected => ({ row, cells });
const bad = (row: number, malformed: string, cells: string[]): Expected => ({ row, cells, malformed });
const person = (n: number) => [`p${n}@x.co`, `First${n}`, `Last${n}`, `Co${n}`];
const line = (n: number) => person(n).join(",");

const LONG = "x".repeat(70 * 1024);
const MANY_LINES = Array.from({ length: MAX_QUOTED_LINES + 1 }, (_, index) => `l${index}`).join("\n");

const CASES: Case[] = [
  {
    name: "an unclosed quote at the start of the file",
    body: `a@x.co,"Ann,Lee,Acme\n${line(3)}\n${line(4)}\n`,
    records: [
      bad(2, "Line 2: a quoted field is never closed", ["a@x.co", '"Ann', "Lee", "Acme"]),
      ok(3, person(3)),
      ok(4, person(4)),
    ],
    blank: 0,
  },
  {
    name: "an unclosed quote in the middle of the file",
    body: `${line(2)}\n${line(3)}\nm@x.co,"Mid,Dle,Co\n${line(5)}\n${line(6)}\n`,
    records: [
      ok(2, person(2)),
      ok(3, person(3)),
      bad(4, "Line 4: a quoted field is never closed", ["m@x.co", '"Mid', "Dle", "Co"]),
      ok(5, person(5)),
      ok(6, person(6)),
    ],
    blank: 0,
  },
  {
    name: "an unclosed quote on the last line, with no final line break",
    body: `${line(2)}\nz@x.co,Zed,"Last,Co`,
    records: [ok(2, person(2)), bad(3, "Line 3: a quoted field is never closed", ["z@x.co", "Zed", '"Last', "Co"])],
    blank: 0,
  },
  {
    name: "an unclosed quote on the last line, then blank lines",
    body: `${line(2)}\nz@x.co,Zed,"Last,Co\n\n\n`,
    records: [ok(2, person(2)), bad(3, "Line 3: a quoted field is never closed", ["z@x.co", "Zed", '"Last', "Co"])],
    blank: 2,
  },
  {
    name: "an unclosed quote after a quoted field spanning lines",
    body: `a@x.co,"Two\nLines",Lee,"Acme\n${line(4)}\n`,
    records: [
      bad(2, "Lines 2–3: a quoted field is never closed", ["a@x.co", "Two\nLines", "Lee", "Acme"]),
      ok(3, person(4)),
    ],
    blank: 0,
  },
  {
    name: "a stray quote that a later field's quote seems to close",
    body: `a@x.co,"Ann,Lee,Acme\n${line(3)}\nc@x.co,Cy,Ma,"Quoted"\n`,
    records: [
      bad(2, "Line 2: a quoted field is never closed", ["a@x.co", '"Ann', "Lee", "Acme"]),
      ok(3, person(3)),
      ok(4, ["c@x.co", "Cy", "Ma", "Quoted"]),
    ],
    blank: 0,
  },
  {
    name: "text after a closing quote on one line",
    body: `"b@x.co"junk,Bo,Li,Co\n${line(3)}\n`,
    records: [bad(2, "Line 2: text follows a closing quote", ['"b@x.co"junk', "Bo", "Li", "Co"]), ok(3, person(3))],
    blank: 0,
  },
  {
    name: "a lone CR inside an LF file",
    body: `${line(2)}\r${line(3)}\n${line(4)}\n`,
    records: [ok(2, person(2)), ok(3, person(3)), ok(4, person(4))],
    blank: 0,
  },
  {
    name: "mixed CRLF and LF, with blank lines of each",
    body: `${line(2)}\r\n${line(3)}\n\r\n${line(5)}\r\n\n${line(7)}\r\n`,
    records: [ok(2, person(2)), ok(3, person(3)), ok(5, person(5)), ok(7, person(7))],
    blank: 2,
  },
  {
    name: "quoted line breaks of every kind, kept in their cells",
    body: `a@x.co,"CR\rLF\nCRLF\r\nend",Lee,Acme\r\n${line(3)}\n`,
    records: [ok(2, ["a@x.co", "CR\rLF\nCRLF\r\nend", "Lee", "Acme"]), ok(3, person(3))],
    blank: 0,
  },
  {
    name: "too many fields",
    body: `${line(2)},extra\n${line(3)}\n`,
    records: [bad(2, "Line 2: 5 fields where the header has 4", [...person(2), "extra"]), ok(3, person(3))],
    blank: 0,
  },
  {
    name: "too few fields",
    body: `${line(2)}\na@x.co,Ann,Lee\nlonely\n${line(5)}\n`,
    records: [
      ok(2, person(2)),
      bad(3, "Line 3: 3 fields where the header has 4", ["a@x.co", "Ann", "Lee"]),
      bad(4, "Line 4: 1 field where the header has 4", ["lonely"]),
      ok(5, person(5)),
    ],
    blank: 0,
  },
  {
    name: "a 70 KiB quoted field",
    body: `a@x.co,Ann,Lee,"${LONG}"\n${line(3)}\n`,
    records: [
      bad(
        2,
        "Line 2: a quoted field is still open after 64 KiB (the record is 71,697 characters; its first 10,000 are kept)",
        ["a@x.co", "Ann", "Lee", LONG],
      ),
      ok(3, person(3)),
    ],
    blank: 0,
  },
  {
    name: "a 70 KiB quoted field spanning lines",
    body: `a@x.co,Ann,Lee,"first\n${LONG}\nlast"\n${line(5)}\n`,
    records: [
      bad(2, "Line 2: a quoted field is still open after 64 KiB", ["a@x.co", "Ann", "Lee", "first"]),
      bad(3, "Line 3: 1 field where the header has 4 (the record is 71,680 characters; its first 10,000 are kept)", [
        LONG,
      ]),
      bad(4, "Line 4: 1 field where the header has 4", ['last"']),
      ok(5, person(5)),
    ],
    blank: 0,
  },
  {
    name: `a quoted field spanning ${MAX_QUOTED_LINES + 1} lines`,
    body: `a@x.co,Ann,Lee,"${MANY_LINES}"\n${line(3)}\n`,
    records: [
      bad(2, `Line 2: a quoted field is still open after ${MAX_QUOTED_LINES} lines`, ["a@x.co", "Ann", "Lee", "l0"]),
      ...Array.from({ length: MAX_QUOTED_LINES - 1 }, (_, index) =>
        bad(index + 3, `Line ${index + 3}: 1 field where the header has 4`, [`l${index + 1}`]),
      ),
      bad(MAX_QUOTED_LINES + 2, `Line ${MAX_QUOTED_LINES + 2}: 1 field where the header has 4`, [
        `l${MAX_QUOTED_LINES}"`,
      ]),
      ok(MAX_QUOTED_LINES + 3, person(3)),
    ],
    blank: 0,
  },
];

const ENCODINGS: CsvEncoding[] = ["utf-8", "utf-16le", "utf-16be", "windows-1252"];
const CHUNK_SIZES = [1, 3, 7, 4096, 64 * 1024];
/** Records per call when reading in calls that each resume from the last one's position, as staging does. */
const CALL_SIZES = [1, 3, Number.POSITIVE_INFINITY];

/** Reads the file in calls of `maxRecords`, each from a fresh source opened at the previous call's position. */
async function readInCalls(bytes: Buffer, layout: CsvLayout, maxRecords: number, chunkSize: number) {
  const records: CsvRecord[] = [];
  let position = { endOffset: layout.dataOffset, nextRowNumber: 2, nextLineNumber: layout.dataLine ?? 2, done: false };
  for (let calls = 0; !position.done; calls++) {
    if (calls > 500) throw new Error("the read never finished");
    const { source } = chunked(bytes, chunkSize, position.endOffset);
    const result = await readRecords(source, layout, {
      startOffset: position.endOffset,
      firstRowNumber: position.nextRowNumber,
      firstLineNumber: position.nextLineNumber,
      maxRecords,
    });
    records.push(...result.records);
    position = result;
  }
  return { records, position };
}

const described = (record: CsvRecord): Expected => {
  const expected: Expected = { row: record.rowNumber, cells: record.cells };
  if (record.malformed !== undefined) expected.malformed = malformedRow(record.malformed).detail;
  return expected;
};

/** A cell may hold a line break only where the file had it inside quotes. */
function expectNoUnquotedBreaks(records: CsvRecord[], text: string): void {
  for (const record of records) {
    for (const cell of record.cells) {
      if (/[\r\n]/.test(cell))
        expect(text, `cell ${JSON.stringify(cell.slice(0, 40))}`).toContain(`"${cell.replaceAll('"', '""')}"`);
    }
  }
}

describe("malformed files", () => {
  it.each(CASES.flatMap((each) => ENCODINGS.map((encoding) => ({ ...each, encoding }))))(
    "$name ($encoding): every record accounted for, in any chunks and calls",
    async ({ body, records: expected, blank, encoding }) => {
      const text = `${HEADER}\n${body}`;
      const bytes = encode(text, encoding);
      const layout = layoutOf(bytes);
      expect(layout.dataLine).toBe(2);
      for (const chunkSize of CHUNK_SIZES) {
        for (const maxRecords of CALL_SIZES) {
          const { records, position } = await readInCalls(bytes, layout, maxRecords, chunkSize);
          const where = `chunks of ${chunkSize}, calls of ${maxRecords}`;
          expect(records.map(described), where).toEqual(expected);
          // Every record took a row number: staged, malformed or blank, each counted once.
          expect(position.nextRowNumber - 2, where).toBe(expected.length + blank);
          expect(position.endOffset, where).toBe(bytes.length);
          expectNoUnquotedBreaks(records, text);
        }
      }
    },
    60_000,
  );

  it("keeps a malformed record's text as read, without its line break", async () => {
    const bytes = encode(`${HEADER}\r\n${line(2)}\r\na@x.co,"Ann,Lee\r\n${line(4)}\r\n`);
    const { records } = await readInCalls(bytes, layoutOf(bytes), 10, 5);
    expect(records[1]?.malformed).toEqual({
      firstLine: 3,
      lastLine: 3,
      problem: "a quoted field is never closed",
      text: 'a@x.co,"Ann,Lee',
    });
  });

  it("numbers lines from the header's end, counting blank lines and quoted line breaks before the data", async () => {
    const bytes = encode(`\n\n"email","first\nname",last_name,company\n${line(2)}\n"a@x.co","A\nB",C\n`);
    const layout = layoutOf(bytes);
    expect(layout.dataLine).toBe(5);
    const { records } = await readInCalls(bytes, layout, 1, 3);
    expect(records.map(described)).toEqual([
      ok(2, person(2)),
      bad(3, "Lines 6–7: 3 fields where the header has 4", ["a@x.co", "A\nB", "C"]),
    ]);
  });

  it("goes back no further than the line the quote opened on, across chunks, in every encoding", async () => {
    // The quote opens on line 3 and is given up on 64 KiB later, many chunks on: reading resumes on line 4.
    const filler = Array.from({ length: 40 }, (_, index) => `fill${index}`).join("\n");
    for (const encoding of ENCODINGS) {
      const bytes = encode(
        `${HEADER}\n${line(2)}\nq@x.co,Q,"open\n${filler}\n${"y".repeat(MAX_QUOTED_BYTES)}\n${line(3)}\n`,
        encoding,
      );
      const layout = layoutOf(bytes);
      const { records } = await readInCalls(bytes, layout, 2, 1000);
      expect(records[1] && described(records[1])).toEqual(
        bad(3, "Line 3: a quoted field is still open after 64 KiB", ["q@x.co", "Q", "open"]),
      );
      expect(records[2] && described(records[2])).toEqual(bad(4, "Line 4: 1 field where the header has 4", ["fill0"]));
      expect(records).toHaveLength(44);
      expect(records.at(-1) && described(records.at(-1) as CsvRecord)).toEqual(ok(45, person(3)));
    }
  });
});
