import { describe, expect, it } from "vitest";
import type { ResolutionPreview } from "@/components/api/issues";
import { describeSkip, describeSkipped, skipButtonLabel } from "./outcome";
import { visibleWhitespace } from "./raw-text";

function preview(toSkip: number, alreadySkipped: number, rows: [job: number, row: number][] = []): ResolutionPreview {
  return {
    action: "skip",
    issues_to_resolve: 1,
    rows_to_skip: toSkip,
    rows_to_keep: 0,
    rows_already_skipped: alreadySkipped,
    rows: rows.map(([job, row], index) => ({
      staging_id: index + 1,
      staging_job_id: job,
      staging_row_number: row,
      staging_status: "ISSUE",
      status_after: "SKIPPED",
    })),
  };
}

describe("what skipping will do, in words", () => {
  it.each([
    {
      name: "one row",
      preview: preview(1, 0, [[7, 5]]),
      text: "1 row will be skipped (row 5): it will not be imported.",
      button: "Skip 1 row",
    },
    {
      name: "two rows of one job",
      preview: preview(2, 0, [
        [7, 2],
        [7, 3],
      ]),
      text: "2 rows will be skipped (rows 2 and 3): they will not be imported.",
      button: "Skip 2 rows",
    },
    {
      name: "rows of two jobs: counted, not named",
      preview: preview(2, 1, [
        [7, 2],
        [8, 2],
      ]),
      text: "2 rows will be skipped: they will not be imported. 1 more is skipped already.",
      button: "Skip 2 rows",
    },
    {
      name: "more rows than the preview lists",
      preview: preview(1_300, 4, [[7, 2]]),
      text: "1,300 rows will be skipped: they will not be imported. 4 more are skipped already.",
      button: "Skip 1,300 rows",
    },
    {
      name: "more than eight rows: counted, not named",
      preview: preview(
        9,
        0,
        Array.from({ length: 9 }, (_, index): [number, number] => [7, index + 2]),
      ),
      text: "9 rows will be skipped: they will not be imported.",
      button: "Skip 9 rows",
    },
    {
      name: "nothing left to skip",
      preview: preview(0, 2),
      text: "No row will be skipped. 2 more are skipped already.",
      button: "Resolve without skipping",
    },
  ])("$name", ({ preview: given, text, button }) => {
    expect(describeSkip(given)).toBe(text);
    expect(skipButtonLabel(given)).toBe(button);
  });

  it("names the control by its outcome while the count is on its way", () => {
    expect(skipButtonLabel(undefined)).toBe("Skip these rows");
  });

  it.each([
    { resolved: 1, rowsSkipped: 2, text: "Resolved 1 issue; skipped 2 rows. Reopening an issue puts its rows back." },
    { resolved: 13, rowsSkipped: 1, text: "Resolved 13 issues; skipped 1 row. Reopening an issue puts its rows back." },
  ])("after the write: $text", ({ resolved, rowsSkipped, text }) => {
    expect(describeSkipped({ resolved, rowsSkipped })).toBe(text);
  });
});

describe("a raw record with its whitespace shown", () => {
  it.each([
    { raw: "a,b", shown: "a,b" },
    { raw: 'Ann Lee,"Acme\r\nxu74', shown: 'Ann·Lee,"Acme␍␊\nxu74' },
    { raw: "x\ty\u00a0z\rw", shown: "x→y⍽z␍w" },
    { raw: "  ", shown: "··" },
  ])("$raw", ({ raw, shown }) => {
    expect(visibleWhitespace(raw)).toBe(shown);
  });
});
