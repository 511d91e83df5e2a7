import { sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { copyRows, csvLines } from "@/db/copy";
import { rowsOf } from "@/db/rows";
import { describeEachBackend } from "@/test/database";

// Cells that COPY's CSV format or Postgres array literals treat specially, each of which must come back as it went in.
const CELLS: [string, string][] = [
  ["plain", "Ada"],
  ["empty", ""],
  ["the word NULL", "NULL"],
  ["the word null", "null"],
  ["spaces around", "  Ada  "],
  ["inner space", "Acme Corp"],
  ["comma", "Lovelace, Ada"],
  ["double quote", 'say "hi"'],
  ["backslash", "C:\\temp\\"],
  ["braces", "{a,b}"],
  ["newline", "line one\nline two"],
  ["carriage return", "one\r\ntwo"],
  ["tab", "a\tb"],
  ["end-of-data marker", "\\."],
  ["accents and emoji", "Zoë 🚀"],
];

describeEachBackend("bulk COPY", (database) => {
  beforeAll(async () => {
    await database.db.execute(sql`CREATE TABLE copy_probe (id integer, name text, cells text[])`);
  });

  it.each(CELLS)("a text field and an array element holding %s come back unchanged", async (label, cell) => {
    await database.db.execute(sql`TRUNCATE copy_probe`);
    const cells = [cell, "after", cell];
    await copyRows(database.handle, {
      table: "copy_probe",
      columns: ["id", "name", "cells"],
      rows: [[1, cell, cells]],
    });
    const [row] = rowsOf<{ name: string | null; cells: string[] }>(
      await database.db.execute(sql`SELECT name, cells FROM copy_probe`),
    );
    expect(row, label).toEqual({ name: cell, cells });
  });

  it("writes null as NULL, apart from the empty string", async () => {
    await database.db.execute(sql`TRUNCATE copy_probe`);
    await copyRows(database.handle, {
      table: "copy_probe",
      columns: ["id", "name", "cells"],
      rows: [
        [1, null, []],
        [2, "", [""]],
      ],
    });
    const rows = rowsOf<{ id: number; name: string | null; cells: string[] }>(
      await database.db.execute(sql`SELECT id, name, cells FROM copy_probe ORDER BY id`),
    );
    expect(rows).toEqual([
      { id: 1, name: null, cells: [] },
      { id: 2, name: "", cells: [""] },
    ]);
  });

  it("runs `before` in the same transaction, so a retried load replaces what it loaded", async () => {
    await database.db.execute(sql`TRUNCATE copy_probe`);
    const load = () =>
      copyRows(database.handle, {
        table: "copy_probe",
        columns: ["id", "name", "cells"],
        rows: [[7, "again", ["x"]]],
        before: { sql: "DELETE FROM copy_probe WHERE id = $1", params: [7] },
      });
    await load();
    await load();
    const [counted] = rowsOf<{ n: number }>(await database.db.execute(sql`SELECT count(*)::int AS n FROM copy_probe`));
    expect(counted?.n).toBe(1);
  });
});

it("cuts the CSV into pieces of whole lines", () => {
  const rows = Array.from({ length: 1201 }, (_, index) => [index, "x"] as const);
  const pieces = Array.from(csvLines(rows));
  expect(pieces).toHaveLength(3);
  expect(pieces.every((piece) => piece.endsWith("\n"))).toBe(true);
  expect(pieces.join("").split("\n")).toHaveLength(1202);
});
