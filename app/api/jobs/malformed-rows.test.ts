import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { findJobForWorker } from "@/db/queries/jobs";
import { contacts, issues, stagingRows, type Company } from "@/db/schema";
import { KEPT_TEXT_LENGTH, KEPT_VALUE_LENGTH } from "@/lib/csv";
import type { StepRunner } from "@/lib/background/definition";
import { processJob } from "@/lib/ingest/pipeline";
import { drain } from "@/lib/background/in-process/runner";
import { describeEachBackend, type TestDatabase } from "@/test/database";
import { createCompany } from "@/test/fixtures";
import { storedJob } from "@/test/ingest";
import {
  HEADER,
  api,
  issueSummary,
  ok,
  reviewCompany,
  stagingIds,
  type IssueListJson,
  type StagingJson,
} from "@/test/review";

/** Runs every step as it comes, so a test can choose the staging chunk size. */
const immediate: StepRunner = { run: (_id, work) => work() };

const TEN_MB = "h".repeat(10 * 1024 * 1024);

/**
 * Every kind of broken record and limit, line by line (rows count records: row 6 is blank, row 12 takes
 * two lines):
 *   L2  row 2   clean, with a punycode domain
 *   L3  row 3   a quote opened and never closed: still open 64 KiB on (the 10 MB line), it
 *               ends at the end of line 3 and reading resumes on line 4   MALFORMED_ROW
 *   L4  row 4   ends with a lone CR                         clean
 *   L5  row 5   clean
 *   L6  row 6   blank
 *   L7  row 7   5 fields                                    MALFORMED_ROW
 *   L8  row 8   2 fields                                    MALFORMED_ROW
 *   L9  row 9   a 300-character first name                  VALUE_TOO_LONG
 *   L10 row 10  a 10 MB first name                          VALUE_TOO_LONG
 *   L11 row 11  an invalid email and a 300-character last name: the email first (INVALID_EMAIL)
 *   L12 row 12  a quoted line break in the first name       clean
 *   L14 row 13  an unclosed quote at the end of the file    MALFORMED_ROW
 */
const FILE =
  HEADER +
  "ana@xn--e1afmkfd.xn--p1ai,Ana,Silva,Acme\n" +
  'bo@x.co,"Bo,Souza,Globex\n' +
  "cy@x.co,Cy,Lima,Initech\r" +
  "di@x.co,Di,Costa,Hooli\n" +
  "\n" +
  "ed@x.co,Ed,Reis,Acme,extra\n" +
  "fi@x.co,Fi\n" +
  `gus@x.co,${"g".repeat(300)},Gomes,Acme\n` +
  `hal@x.co,${TEN_MB},Hall,Acme\n` +
  `not-an-email,Ivo,${"i".repeat(300)},Acme\n` +
  '"ju@x.co","Ju\nLia",Lopes,Acme\n' +
  'ka@x.co,Ka,"Kr';

const DETAILS: Record<number, [string, string | null]> = {
  2: ["OK", null],
  3: ["MALFORMED_ROW", "Line 3: a quoted field is still open after 64 KiB"],
  4: ["OK", null],
  5: ["OK", null],
  7: ["MALFORMED_ROW", "Line 7: 5 fields where the header has 4"],
  8: ["MALFORMED_ROW", "Line 8: 2 fields where the header has 4"],
  9: ["VALUE_TOO_LONG", "first_name is 300 characters; at most 255"],
  10: [
    "VALUE_TOO_LONG",
    "first_name is 10,485,760 characters; at most 255 (only the first 1,000 characters of a longer value are kept)",
  ],
  11: ["INVALID_EMAIL", null],
  12: ["OK", null],
  13: ["MALFORMED_ROW", "Line 14: a quoted field is never closed"],
};

async function stagedRows(database: TestDatabase, jobId: number) {
  return database.db
    .select({
      row: stagingRows.rowNumber,
      email: stagingRows.email,
      firstName: stagingRows.firstName,
      lastName: stagingRows.lastName,
      company: stagingRows.company,
      cells: stagingRows.cells,
      check: stagingRows.rowCheck,
      detail: stagingRows.checkDetail,
      rawText: stagingRows.rawText,
    })
    .from(stagingRows)
    .where(eq(stagingRows.jobId, jobId))
    .orderBy(asc(stagingRows.rowNumber));
}

async function processed(database: TestDatabase, company: Company, chunkRows: number): Promise<number> {
  const job = await storedJob(database.db, company, FILE);
  await processJob({ jobId: job.id, runId: "test-run", step: immediate, chunkRows });
  return job.id;
}

describeEachBackend("malformed rows and limits, through staging, detection and review", (database) => {
  const review = reviewCompany(database, "Malformed Co");
  let jobId: number;
  let rows: Map<number, number>;

  beforeAll(async () => {
    jobId = await processed(database, review.company, 1000);
    rows = await stagingIds(database.db, jobId);
  });

  describe("staging and detection", () => {
    it("accounts for every record: staged + malformed + blank = the records after the header", async () => {
      const job = await findJobForWorker({ jobId });
      expect(job).toMatchObject({
        status: "NEEDS_REVIEW",
        totalRows: 12,
        stagedRows: 7,
        malformedRows: 4,
        blankRows: 1,
        processedRows: 12,
      });
      expect((job?.stagedRows ?? 0) + (job?.malformedRows ?? 0) + (job?.blankRows ?? 0)).toBe(job?.totalRows);
      const json = ok(await api.getJob(review.keys.viewer, jobId));
      expect(json).toMatchObject({ total_rows: 12, staged_rows: 7, malformed_rows: 4, blank_rows: 1 });
    });

    it("stages each record on its own row with its check, detail and (when malformed) raw text", async () => {
      const staged = await stagedRows(database, jobId);
      expect(Object.fromEntries(staged.map((row) => [row.row, [row.check, row.detail]]))).toEqual(DETAILS);
      expect(staged.find((row) => row.row === 3)).toMatchObject({
        email: "bo@x.co",
        firstName: '"Bo',
        lastName: "Souza",
        company: "Globex",
        cells: ["bo@x.co", '"Bo', "Souza", "Globex"],
        rawText: 'bo@x.co,"Bo,Souza,Globex',
      });
      expect(staged.find((row) => row.row === 7)).toMatchObject({
        cells: ["ed@x.co", "Ed", "Reis", "Acme", "extra"],
        rawText: "ed@x.co,Ed,Reis,Acme,extra",
      });
      expect(staged.find((row) => row.row === 13)).toMatchObject({
        email: "ka@x.co",
        lastName: "Kr",
        company: null,
        rawText: 'ka@x.co,Ka,"Kr',
      });
      expect(staged.filter((row) => row.rawText !== null).map((row) => row.row)).toEqual([3, 7, 8, 13]);
      // Nothing swallowed a line break the file did not quote, and the quoted one stayed in its cell.
      const withBreaks = staged.filter((row) =>
        [row.email, row.firstName, row.lastName, row.company, ...(row.cells ?? [])].some((value) =>
          /[\r\n]/.test(value ?? ""),
        ),
      );
      expect(withBreaks.map((row) => [row.row, row.firstName])).toEqual([[12, "Ju\nLia"]]);
    });

    it("stores a bounded part of a 10 MB first name, never all of it, and says so", async () => {
      const [row] = (await stagedRows(database, jobId)).filter((each) => each.row === 10);
      expect(row?.firstName).toBe(TEN_MB.slice(0, KEPT_VALUE_LENGTH));
      expect(row?.cells?.[1]).toHaveLength(KEPT_TEXT_LENGTH);
      expect(row?.cells?.slice(2)).toEqual(["Hall", "Acme"]);
    });

    it("raises one issue per problem row, described with the row and its lines", async () => {
      expect(await issueSummary(database.db, jobId)).toEqual([
        "INVALID_EMAIL:11 open [11]",
        "MALFORMED_ROW:13 open [13]",
        "MALFORMED_ROW:3 open [3]",
        "MALFORMED_ROW:7 open [7]",
        "MALFORMED_ROW:8 open [8]",
        "VALUE_TOO_LONG:10 open [10]",
        "VALUE_TOO_LONG:9 open [9]",
      ]);
      const described = await database.db
        .select({ key: issues.issueKey, description: issues.description })
        .from(issues)
        .where(eq(issues.jobId, jobId))
        .orderBy(asc(issues.issueKey));
      expect(Object.fromEntries(described.map((issue) => [issue.key, issue.description]))).toEqual({
        "INVALID_EMAIL:11": "Row 11: 'not-an-email' is not a valid email address",
        "MALFORMED_ROW:13": "Row 13 (line 14): a quoted field is never closed",
        "MALFORMED_ROW:3": "Row 3 (line 3): a quoted field is still open after 64 KiB",
        "MALFORMED_ROW:7": "Row 7 (line 7): 5 fields where the header has 4",
        "MALFORMED_ROW:8": "Row 8 (line 8): 2 fields where the header has 4",
        "VALUE_TOO_LONG:10": `Row 10: ${DETAILS[10]?.[1] ?? ""}`,
        "VALUE_TOO_LONG:9": "Row 9: first_name is 300 characters; at most 255",
      });
    });

    it("shows the raw text and the detail to review", async () => {
      const list = ok<IssueListJson>(await api.jobIssues(review.keys.viewer, jobId, "?type=MALFORMED_ROW"));
      const affected = list.issues.flatMap((issue) => issue.affected_rows);
      expect(affected.map((row) => [row.staging_row_number, row.staging_check_detail, row.staging_raw_text])).toEqual(
        expect.arrayContaining([
          [3, "Line 3: a quoted field is still open after 64 KiB", 'bo@x.co,"Bo,Souza,Globex'],
          [13, "Line 14: a quoted field is never closed", 'ka@x.co,Ka,"Kr'],
        ]),
      );
    });

    it("stages the same rows whatever the chunk size (chunks resume at a byte offset and line number)", async () => {
      const other = await createCompany(database.db);
      const chunked = await processed(database, other, 2);
      expect(await stagedRows(database, chunked)).toEqual(await stagedRows(database, jobId));
      expect(await findJobForWorker({ jobId: chunked })).toMatchObject({
        totalRows: 12,
        stagedRows: 7,
        malformedRows: 4,
        blankRows: 1,
      });
    });
  });

  describe("review", () => {
    type Edited = StagingJson & { open_issues: { issue_type: string }[] };
    const edit = async (row: number, body: Record<string, unknown>) =>
      ok<Edited>(await api.putStaging(review.keys.editor, rows.get(row) ?? 0, body));

    it.each([
      {
        name: "skipping a malformed row leaves it malformed",
        row: 7,
        body: { status: "SKIPPED" },
        expected: {
          staging_row_check: "MALFORMED_ROW",
          staging_check_detail: "Line 7: 5 fields where the header has 4",
          staging_status: "SKIPPED",
        },
        open: ["MALFORMED_ROW"],
      },
      {
        name: "editing a malformed row's fields rebuilds it: checked again, its raw text kept",
        row: 3,
        body: { first_name: "Bo" },
        expected: {
          staging_first_name: "Bo",
          staging_row_check: "OK",
          staging_check_detail: null,
          staging_raw_text: 'bo@x.co,"Bo,Souza,Globex',
          staging_status: "READY",
        },
        open: [],
      },
      {
        name: "a rebuilt malformed row that still breaks a rule raises that rule's issue",
        row: 8,
        body: { email: "fi@x.co", last_name: "F".repeat(256) },
        expected: {
          staging_row_check: "VALUE_TOO_LONG",
          staging_check_detail: "last_name is 256 characters; at most 255",
          staging_raw_text: "fi@x.co,Fi",
          staging_status: "ISSUE",
        },
        open: ["VALUE_TOO_LONG"],
      },
      {
        name: "an edit that leaves a too-long name alone keeps the length read from the file",
        row: 10,
        body: { email: "hal@y.co" },
        expected: {
          staging_email: "hal@y.co",
          staging_row_check: "VALUE_TOO_LONG",
          staging_check_detail: DETAILS[10]?.[1] ?? "",
          staging_status: "ISSUE",
        },
        open: ["VALUE_TOO_LONG"],
      },
      {
        name: "shortening the name clears it",
        row: 10,
        body: { first_name: "Hal" },
        expected: {
          staging_first_name: "Hal",
          staging_row_check: "OK",
          staging_check_detail: null,
          staging_status: "READY",
        },
        open: [],
      },
      {
        name: "fixing the email of a row whose name is also too long raises the next problem",
        row: 11,
        body: { email: "ivo@x.co" },
        expected: {
          staging_row_check: "VALUE_TOO_LONG",
          staging_check_detail: "last_name is 300 characters; at most 255",
          staging_status: "ISSUE",
        },
        open: ["VALUE_TOO_LONG"],
      },
    ])("$name", async ({ row, body, expected, open }) => {
      const edited = await edit(row, body);
      expect(edited).toMatchObject(expected);
      expect(edited.open_issues.map((issue) => issue.issue_type)).toEqual(open);
    });

    it("after those edits the issues say what is left, and finishing lands only rows that pass every rule", async () => {
      // An issue a row left by an edit is resolved, with no rows left in it.
      expect(await issueSummary(database.db, jobId)).toEqual([
        "INVALID_EMAIL:11 resolved []",
        "MALFORMED_ROW:13 open [13]",
        "MALFORMED_ROW:3 resolved []",
        "MALFORMED_ROW:7 open [7]",
        "MALFORMED_ROW:8 resolved []",
        "VALUE_TOO_LONG:10 resolved []",
        "VALUE_TOO_LONG:11 open [11]",
        "VALUE_TOO_LONG:8 open [8]",
        "VALUE_TOO_LONG:9 open [9]",
      ]);
      const open = await database.db
        .select({ id: issues.id })
        .from(issues)
        .where(and(eq(issues.jobId, jobId), eq(issues.resolved, false)));
      ok(await api.resolve(review.keys.editor, { issue_ids: open.map((issue) => issue.id) }));
      await drain();
      expect(await findJobForWorker({ jobId })).toMatchObject({ status: "COMPLETED" });
      const landed = await database.db
        .select({ email: contacts.email, firstName: contacts.firstName })
        .from(contacts)
        .where(eq(contacts.companyId, review.company.id))
        .orderBy(asc(contacts.email));
      expect(landed).toEqual([
        { email: "ana@xn--e1afmkfd.xn--p1ai", firstName: "Ana" },
        { email: "bo@x.co", firstName: "Bo" },
        { email: "cy@x.co", firstName: "Cy" },
        { email: "di@x.co", firstName: "Di" },
        { email: "hal@y.co", firstName: "Hal" },
        { email: "ju@x.co", firstName: "Ju\nLia" },
      ]);
    });
  });
});
