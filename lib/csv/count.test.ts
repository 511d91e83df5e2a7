import { describe, expect, it } from "vitest";
import { countDataRecords } from "./count";
import { HEADER, chunked, encode, layoutOf, lines } from "./fixtures/build";
import type { CsvEncoding } from "./types";

async function count(
  text: string,
  {
    encoding = "utf-8",
    bom = false,
    chunkSize = 7,
  }: { encoding?: CsvEncoding; bom?: boolean; chunkSize?: number } = {},
) {
  const bytes = encode(text, encoding, bom);
  const layout = layoutOf(bytes);
  return countDataRecords(chunked(bytes, chunkSize, layout.dataOffset).source, layout);
}

describe("countDataRecords", () => {
  it.each([
    { what: "one row per line", rows: ["a@x.co,A,B,C", "b@x.co,D,E,F"], trailing: true, expected: 2 },
    { what: "no final line break", rows: ["a@x.co,A,B,C", "b@x.co,D,E,F"], trailing: false, expected: 2 },
    {
      what: "line breaks inside quotes",
      rows: ['a@x.co,"A\nstill A",B,"C\r\nC"', "b@x.co,D,E,F"],
      trailing: true,
      expected: 2,
    },
    { what: "blank records count", rows: ["a@x.co,A,B,C", "", ",,,", "b@x.co,D,E,F"], trailing: true, expected: 4 },
    {
      what: "a malformed record counts once",
      rows: ["a@x.co,A,B", "b@x.co,D,E,F,G", "c@x.co,H,I,J"],
      trailing: true,
      expected: 3,
    },
    {
      what: "a quote never closed ends at its line",
      rows: ['a@x.co,"A,B,C', "b@x.co,D,E,F"],
      trailing: true,
      expected: 2,
    },
  ])("$what → $expected", async ({ rows, trailing, expected }) => {
    expect(await count(lines([HEADER, ...rows], "\n", trailing))).toBe(expected);
  });

  it.each([
    { newline: "\r\n", encoding: "utf-8", bom: true },
    { newline: "\r", encoding: "utf-8", bom: false },
    { newline: "\r\n", encoding: "utf-16le", bom: true },
    { newline: "\n", encoding: "windows-1252", bom: false },
  ] as const)("$encoding with $newline line breaks counts the same", async ({ newline, encoding, bom }) => {
    const text = lines([HEADER, "a@x.co,Zé,B,C", `"b@x.co","D${newline}E",F,G`, "", "c@x.co,H,I,J"], newline);
    expect(await count(text, { encoding, bom })).toBe(4);
  });

  it("reads a large file in pieces to the same count", async () => {
    const rows = Array.from({ length: 5_000 }, (_, index) => `p${index}@x.co,"First\n${index}",Last,Co`);
    expect(await count(lines([HEADER, ...rows]), { chunkSize: 64 * 1024 })).toBe(5_000);
  });
});
