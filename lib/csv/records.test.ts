import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { HEADER, chunked, encode, layoutOf, lines, readAll } from "./fixtures/build";
import { readRecordBatches, readRecords, streamRecords } from "./records";
import { MAX_QUOTED_BYTES } from "./scanner";
import type { CsvEncoding, CsvLayout, CsvRecord } from "./types";

/** A file exercising every boundary case: quoted newlines and delimiters, escaped quotes, blank records, no final newline. */
function sampleText(newline: string): string {
  return lines(
    [
      HEADER,
      "ana@example.com,Ana,Silva,Acme",
      "",
      '"bia@example.com","Bia ""B""","Souza, Jr.","Multi' + newline + "line" + newline + 'company"',
      ",,,",
      "   ",
      "caio@example.com,Caio,Conceição,Café “Zé” €",
      '"",,"",',
      'dani@example.com,"Dani' + newline + '",Lima,"x,y"',
      "edu@example.com,Edu,Reis,",
      "fabi@example.com,Fabi,Rocha,Acme",
    ],
    newline,
    false,
  );
}

const EXPECTED: Omit<CsvRecord, "cells">[] = [2, 4, 7, 9, 10, 11].map((rowNumber) => ({ rowNumber }));

type Variant = { name: string; encoding: CsvEncoding; bom: boolean; newline: string };
const VARIANTS: Variant[] = [
  { name: "UTF-8 LF", encoding: "utf-8", bom: false, newline: "\n" },
  { name: "UTF-8 BOM CRLF", encoding: "utf-8", bom: true, newline: "\r\n" },
  { name: "UTF-8 CR", encoding: "utf-8", bom: false, newline: "\r" },
  { name: "Windows-1252 CRLF", encoding: "windows-1252", bom: false, newline: "\r\n" },
  { name: "UTF-16 LE BOM CRLF", encoding: "utf-16le", bom: true, newline: "\r\n" },
  { name: "UTF-16 BE BOM LF", encoding: "utf-16be", bom: true, newline: "\n" },
  { name: "UTF-16 LE no BOM LF", encoding: "utf-16le", bom: false, newline: "\n" },
];

function sampleFile({ encoding, bom, newline }: Variant): Buffer {
  return encode(sampleText(newline), encoding, bom);
}

/** Reads the file in calls of `maxRecords`, each from a fresh source opened at the previous `endOffset`. */
async function readInCalls(bytes: Buffer, layout: CsvLayout, maxRecords: number, chunkSize: number) {
  const calls: { records: CsvRecord[]; endOffset: number; nextRowNumber: number; done: boolean }[] = [];
  let startOffset = layout.dataOffset;
  let firstRowNumber = 2;
  for (let guard = 0; guard < 100; guard++) {
    const { source } = chunked(bytes, chunkSize, startOffset);
    const result = await readRecords(source, layout, { startOffset, firstRowNumber, maxRecords });
    calls.push(result);
    if (result.done) return calls;
    startOffset = result.endOffset;
    firstRowNumber = result.nextRowNumber;
  }
  throw new Error("readRecords never finished");
}

describe("streamRecords", () => {
  it.each(VARIANTS)("reads every record of $name with the right row numbers", async (variant) => {
    const newline = variant.newline;
    const records = await readAll(sampleFile(variant));
    expect(records).toMatchObject(EXPECTED);
    expect(records.map((record) => record.cells)).toEqual([
      ["ana@example.com", "Ana", "Silva", "Acme"],
      ["bia@example.com", 'Bia "B"', "Souza, Jr.", `Multi${newline}line${newline}company`],
      ["caio@example.com", "Caio", "Conceição", "Café “Zé” €"],
      ["dani@example.com", `Dani${newline}`, "Lima", "x,y"],
      ["edu@example.com", "Edu", "Reis", ""],
      ["fabi@example.com", "Fabi", "Rocha", "Acme"],
    ]);
  });

  const chunkCases = VARIANTS.flatMap((variant) => [1, 2, 3, 7, 64].map((size) => ({ ...variant, size })));
  it.each(chunkCases)("gives the same records for $name in $size-byte chunks", async (variant) => {
    const bytes = sampleFile(variant);
    expect(await readAll(bytes, variant.size)).toEqual(await readAll(bytes));
  });

  it("yields batches of the requested size", async () => {
    const bytes = encode(lines([HEADER, ...Array.from({ length: 10 }, (_, i) => `u${i}@x.co,F${i},L${i},C`)]));
    const layout = layoutOf(bytes);
    const { source } = chunked(bytes, 5, layout.dataOffset);
    const sizes: number[] = [];
    for await (const batch of streamRecords(source, layout, {
      startOffset: layout.dataOffset,
      firstRowNumber: 2,
      batchSize: 4,
    })) {
      sizes.push(batch.length);
    }
    expect(sizes).toEqual([4, 4, 2]);
  });

  it("closes the source when the consumer stops early", async () => {
    const bytes = encode(lines([HEADER, ...Array.from({ length: 1000 }, (_, i) => `u${i}@x.co,F,L,C`)]));
    const layout = layoutOf(bytes);
    const { source, stats } = chunked(bytes, 100, layout.dataOffset);
    for await (const batch of streamRecords(source, layout, {
      startOffset: layout.dataOffset,
      firstRowNumber: 2,
      batchSize: 5,
    })) {
      expect(batch).toHaveLength(5);
      break;
    }
    expect(stats.closed).toBe(true);
    expect(stats.pulled).toBeLessThan(5);
  });
});

describe("readRecords", () => {
  const resumeCases = VARIANTS.flatMap((variant) =>
    [
      { maxRecords: 2, chunkSize: 7 },
      { maxRecords: 3, chunkSize: 1 },
      { maxRecords: 4, chunkSize: 64 * 1024 },
    ].map((options) => ({ ...variant, ...options })),
  );
  it.each(resumeCases)(
    "resumes $name from endOffset in calls of $maxRecords ($chunkSize-byte chunks) exactly like one pass",
    async (variant) => {
      const bytes = sampleFile(variant);
      const layout = layoutOf(bytes);
      const calls = await readInCalls(bytes, layout, variant.maxRecords, variant.chunkSize);
      expect(calls.flatMap((call) => call.records)).toEqual(await readAll(bytes));
      for (const call of calls.slice(0, -1)) expect(call.records).toHaveLength(variant.maxRecords);
      expect(calls.at(-1)?.endOffset).toBe(bytes.length);
      expect(calls.at(-1)?.nextRowNumber).toBe(12);
    },
  );

  it("splits a file into exactly three calls that match a single pass", async () => {
    const bytes = sampleFile(VARIANTS[0]!);
    const layout = layoutOf(bytes);
    const calls = await readInCalls(bytes, layout, 2, 7);
    expect(calls.map((call) => call.records.map((record) => record.rowNumber))).toEqual([
      [2, 4],
      [7, 9],
      [10, 11],
    ]);
    expect(calls.map((call) => call.done)).toEqual([false, false, true]);
    // Each call ends just after its last record, so the next starts on a record boundary.
    const text = sampleText("\n");
    expect(calls[0]?.endOffset).toBe(Buffer.byteLength(text.slice(0, text.indexOf(",,,"))));
    expect(calls[0]?.nextRowNumber).toBe(5);
  });

  it("reads a quoted field whose newlines fall on chunk boundaries", async () => {
    const record = '"a@b.co","First\nSecond\r\nThird","Last, Name","Co ""Quoted"""\n';
    const bytes = encode(lines([HEADER]) + record + "z@z.co,Z,Z,Z\n");
    const layout = layoutOf(bytes);
    // Chunk sizes that put a boundary right before, on and after each newline inside the quotes.
    for (const size of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 17]) {
      const { source } = chunked(bytes, size, layout.dataOffset);
      const result = await readRecords(source, layout, {
        startOffset: layout.dataOffset,
        firstRowNumber: 2,
        maxRecords: 1,
      });
      expect(result.records).toEqual([
        { rowNumber: 2, cells: ["a@b.co", "First\nSecond\r\nThird", "Last, Name", 'Co "Quoted"'] },
      ]);
      expect(result.endOffset).toBe(layout.dataOffset + Buffer.byteLength(record));
      expect(result.done).toBe(false);
    }
  });

  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
  ])("skips blank records but counts them (%s)", async (_, newline) => {
    const bytes = encode(lines([HEADER, "a@b.co,A,B,C", "", "  ", ",,,", "\t;\t", "c@d.co,C,D,E", ""], newline));
    const layout = layoutOf(bytes);
    const { source } = chunked(bytes, 4, layout.dataOffset);
    const result = await readRecords(source, layout, {
      startOffset: layout.dataOffset,
      firstRowNumber: 2,
      maxRecords: 10,
    });
    expect(result.records.map((record) => record.rowNumber)).toEqual([2, 6, 7]);
    expect(result.records[1]?.cells).toEqual(["\t;\t"]);
    expect(result).toMatchObject({ endOffset: bytes.length, nextRowNumber: 9, done: true });
  });

  it("counts a final record without a trailing newline", async () => {
    const bytes = encode(lines([HEADER, "a@b.co,A,B,C", "c@d.co,C,D,E"], "\r\n", false));
    const layout = layoutOf(bytes);
    const { source } = chunked(bytes, 3, layout.dataOffset);
    const result = await readRecords(source, layout, {
      startOffset: layout.dataOffset,
      firstRowNumber: 2,
      maxRecords: 10,
    });
    expect(result.records).toEqual([
      { rowNumber: 2, cells: ["a@b.co", "A", "B", "C"] },
      { rowNumber: 3, cells: ["c@d.co", "C", "D", "E"] },
    ]);
    expect(result).toMatchObject({ endOffset: bytes.length, nextRowNumber: 4, done: true });
  });

  it("returns nothing and done when called at the end of the file", async () => {
    const bytes = encode(lines([HEADER, "a@b.co,A,B,C"]));
    const layout = layoutOf(bytes);
    const first = await readRecords(chunked(bytes, 100, layout.dataOffset).source, layout, {
      startOffset: layout.dataOffset,
      firstRowNumber: 2,
      maxRecords: 1,
    });
    expect(first).toMatchObject({ endOffset: bytes.length, nextRowNumber: 3, done: false });
    const second = await readRecords(chunked(bytes, 100, first.endOffset).source, layout, {
      startOffset: first.endOffset,
      firstRowNumber: first.nextRowNumber,
      maxRecords: 1,
    });
    expect(second).toEqual({ records: [], endOffset: bytes.length, nextRowNumber: 3, nextLineNumber: 3, done: true });
  });

  it("accepts plain Uint8Array chunks", async () => {
    const bytes = encode(lines([HEADER, "a@b.co,A,B,C"]));
    const layout = layoutOf(bytes);
    async function* source(): AsyncGenerator<Uint8Array> {
      await Promise.resolve();
      yield new Uint8Array(bytes.subarray(layout.dataOffset));
    }
    const result = await readRecords(source(), layout, {
      startOffset: layout.dataOffset,
      firstRowNumber: 2,
      maxRecords: 5,
    });
    expect(result.records).toEqual([{ rowNumber: 2, cells: ["a@b.co", "A", "B", "C"] }]);
  });

  it.each([
    ["UTF-8", "utf-8" as const],
    ["UTF-16 LE", "utf-16le" as const],
  ])("stops pulling from a large %s source once it has enough records", async (_, encoding) => {
    const row = "someone@example.com,Some,One,Example Ltd\n";
    const header = encode(lines([HEADER]), encoding, true);
    const layout = layoutOf(Buffer.concat([header, encode(row, encoding)]));
    const chunk = encode(row.repeat(25), encoding); // 25 records per chunk
    const stats = { pulled: 0, closed: false };
    async function* endless(): AsyncGenerator<Buffer> {
      try {
        for (let i = 0; i < 100_000; i++) {
          stats.pulled++;
          await Promise.resolve();
          yield chunk;
        }
      } finally {
        stats.closed = true;
      }
    }
    const result = await readRecords(endless(), layout, {
      startOffset: layout.dataOffset,
      firstRowNumber: 2,
      maxRecords: 100,
    });
    expect(result.records).toHaveLength(100);
    expect(result.records.at(-1)?.rowNumber).toBe(101);
    expect(stats.pulled).toBe(4);
    expect(stats.closed).toBe(true);
    expect(result).toMatchObject({
      endOffset: layout.dataOffset + 100 * encode(row, encoding).length,
      nextRowNumber: 102,
      done: false,
    });
  });

  it("reads a quoted field just inside both limits (64 KiB, 100 lines) fed one byte at a time", async () => {
    // 99 line breaks (100 lines), and the closing quote exactly 65,536 bytes after the opening one.
    const long = "x\n".repeat(99) + "y,".repeat((MAX_QUOTED_BYTES - 200) / 2) + "z";
    const bytes = encode(lines([HEADER, `a@b.co,A,B,"${long}"`, "c@d.co,C,D,E"]));
    const layout = layoutOf(bytes);
    const records = await readAll(bytes, 1, layout);
    expect(records.map((record) => record.cells[3])).toEqual([long, "E"]);
    expect(records.map((record) => record.malformed)).toEqual([undefined, undefined]);
  });

  it("reads from a Node stream and leaves it closed when it stops early", async () => {
    const bytes = encode(lines([HEADER, ...Array.from({ length: 500 }, (_, i) => `u${i}@x.co,F,L,C`)]));
    const layout = layoutOf(bytes);
    const fromData = Readable.from(
      Array.from({ length: Math.ceil((bytes.length - layout.dataOffset) / 256) }, (_, i) =>
        bytes.subarray(layout.dataOffset + i * 256, layout.dataOffset + (i + 1) * 256),
      ),
    );
    const result = await readRecords(fromData, layout, {
      startOffset: layout.dataOffset,
      firstRowNumber: 2,
      maxRecords: 10,
    });
    expect(result.records.map((record) => record.cells[0])).toEqual(Array.from({ length: 10 }, (_, i) => `u${i}@x.co`));
    expect(fromData.destroyed).toBe(true);
  });

  it("rejects a maxRecords below 1", async () => {
    const bytes = encode(lines([HEADER, "a@b.co,A,B,C"]));
    const layout = layoutOf(bytes);
    await expect(
      readRecords(chunked(bytes, 10).source, layout, {
        startOffset: layout.dataOffset,
        firstRowNumber: 2,
        maxRecords: 0,
      }),
    ).rejects.toThrow(RangeError);
  });
});

describe("readRecordBatches", () => {
  const file = sampleFile({ name: "UTF-8 LF", encoding: "utf-8", bom: false, newline: "\n" });
  const layout = layoutOf(file);

  it.each([
    // maxRecords, batchSize → batch sizes, row numbers read, next row number, done
    [6, 4, [4, 2], [2, 4, 7, 9, 10, 11], 12, true],
    [5, 2, [2, 2, 1], [2, 4, 7, 9, 10], 11, false],
    [3, 10, [3], [2, 4, 7], 8, false],
    [100, 1, [1, 1, 1, 1, 1, 1], [2, 4, 7, 9, 10, 11], 12, true],
  ])("maxRecords %i in batches of %i → %j", async (maxRecords, batchSize, sizes, rowNumbers, nextRowNumber, done) => {
    const { source, stats } = chunked(file, 7, layout.dataOffset);
    const reader = readRecordBatches(source, layout, {
      startOffset: layout.dataOffset,
      firstRowNumber: 2,
      maxRecords,
      batchSize,
    });
    const batches: CsvRecord[][] = [];
    for await (const batch of reader.batches) batches.push(batch);
    expect(batches.map((batch) => batch.length)).toEqual(sizes);
    expect(batches.flat().map((record) => record.rowNumber)).toEqual(rowNumbers);
    expect(reader.position()).toMatchObject({ nextRowNumber, done });
    expect(stats.closed).toBe(true);

    // Where it stopped is where a single read of the same records stops.
    const single = await readRecords(chunked(file, 7, layout.dataOffset).source, layout, {
      startOffset: layout.dataOffset,
      firstRowNumber: 2,
      maxRecords,
    });
    expect(reader.position()).toEqual({
      endOffset: single.endOffset,
      nextRowNumber: single.nextRowNumber,
      nextLineNumber: single.nextLineNumber,
      done: single.done,
    });
  });
});
