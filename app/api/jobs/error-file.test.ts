import Papa from "papaparse";
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { GET as errorsCsv } from "@/app/api/jobs/[job_id]/errors.csv/route";
import { PUT as putStaging } from "@/app/api/staging/[staging_id]/route";
import { findJob, findJobForWorker } from "@/db/queries/jobs";
import { contacts, issues, stagingRows, type Company } from "@/db/schema";
import { errorFile } from "@/lib/ingest/error-file";
import { configureRunner } from "@/lib/background/in-process/runner";
import { withTempDataDir } from "@/test/data-dir";
import { describeEachBackend } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";
import { call, download, expectEnvelope } from "@/test/http";
import { keyFor, processedJob } from "@/test/jobs";

const BOM = [0xef, 0xbb, 0xbf];

const errorsPath = (jobId: number) => `/api/jobs/${jobId}/errors.csv`;
const downloadErrors = (bearer: string, jobId: number) =>
  download(errorsCsv, errorsPath(jobId), { bearer, params: { job_id: String(jobId) } });

/** The file's records, cell by cell, after checking it starts with the UTF-8 BOM. */
function recordsOf(bytes: Buffer): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual(BOM);
  const text = bytes.subarray(3).toString("utf8");
  expect(text.endsWith("\r\n")).toBe(true);
  const parsed = Papa.parse<string[]>(text, { newline: "\r\n", skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describeEachBackend("GET /api/jobs/{job_id}/errors.csv", (database) => {
  withTempDataDir("intake-error-file");
  let company: Company;
  let viewer: string;
  let uploader: string;
  let otherAdmin: string;
  let tag: string;
  let jobId: number;

  /**
   * Portuguese headers and a notes column; rows 2 and 9 are clean, 3 and 5 share an email, 4 is invalid,
   * 6 has an email that is also a contact under another name, 7 (on line 8: row 5 takes two lines) has a
   * cell more than the header, so it is malformed (its cells kept as read), 8 has no email.
   */
  const file = () =>
    [
      "E-mail,Nome,Sobrenome,Empresa,Notas",
      `clean-${tag}@example.com,Ana,Silva,Acme,ok`,
      `dup-${tag}@example.com,Bo,One,Acme,"first, with comma"`,
      `Not-An-Email-${tag},Cy,Lima,Initech,"=HYPERLINK(""x"")"`,
      `dup-${tag}@example.com,Bob,Two,Globex,"line 1\nline 2"`,
      `taken-${tag}@example.com,New,Person,Acme,+1`,
      `taken-${tag}@example.com,Other,Person,Acme,@x,extra`,
      `,Ed,Missing,Açaí Ltda,-`,
      `fine-${tag}@example.com,João,Conceição,Açaí Ltda,`,
    ].join("\n") + "\n";

  const expectedRecords = () => {
    const dup = `Email dup-${tag}@example.com appears on 2 rows with different names or companies`;
    const conflict = `Email taken-${tag}@example.com is already the contact Old Name (Acme) with a different identity`;
    return [
      ["E-mail", "Nome", "Sobrenome", "Empresa", "Notas", "column 6", "error_code", "error_message"],
      [`dup-${tag}@example.com`, "Bo", "One", "Acme", "first, with comma", "", "DUPLICATE_EMAIL", dup],
      [
        `Not-An-Email-${tag}`,
        "Cy",
        "Lima",
        "Initech",
        `'=HYPERLINK("x")`,
        "",
        "INVALID_EMAIL",
        `Row 4: 'not-an-email-${tag}' is not a valid email address`,
      ],
      [`dup-${tag}@example.com`, "Bob", "Two", "Globex", "line 1\nline 2", "", "DUPLICATE_EMAIL", dup],
      [`taken-${tag}@example.com`, "New", "Person", "Acme", "'+1", "", "CONTACT_CONFLICT", conflict],
      [
        `taken-${tag}@example.com`,
        "Other",
        "Person",
        "Acme",
        "'@x",
        "extra",
        "MALFORMED_ROW",
        "Row 7 (line 8): 6 fields where the header has 5",
      ],
      ["", "Ed", "Missing", "Açaí Ltda", "'-", "", "MISSING_EMAIL", "Row 8 has no email address"],
    ];
  };

  beforeAll(async () => {
    configureRunner({ backoffMs: [5, 5, 5, 5] });
    company = await createCompany(database.db);
    viewer = await keyFor(company, ["viewer"]);
    uploader = await keyFor(company, ["uploader"]);
    otherAdmin = await keyFor(await createCompany(database.db), ["admin"]);
    tag = unique();
    await database.db.insert(contacts).values({
      companyId: company.id,
      email: `taken-${tag}@example.com`,
      firstName: "Old",
      lastName: "Name",
      company: "Acme",
    });
    jobId = await processedJob(uploader, file(), "Clientes março.csv");
    expect(await findJobForWorker({ jobId })).toMatchObject({ status: "NEEDS_REVIEW", issueCount: 5 });
  });

  it("a viewer downloads the rows that had issues: BOM, original columns plus error_code and error_message, in row order", async () => {
    const result = await downloadErrors(viewer, jobId);
    expect(result.status, result.bytes.toString()).toBe(200);
    expect(result.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(result.headers.get("content-disposition")).toBe(
      `attachment; filename="Clientes mar_o-errors.csv"; filename*=UTF-8''Clientes%20mar%C3%A7o-errors.csv`,
    );
    expect(result.headers.get("cache-control")).toBe("private, no-store");
    expect(recordsOf(result.bytes)).toEqual(expectedRecords());

    const text = result.bytes.toString("utf8");
    expect(text).toContain(`,"'=HYPERLINK(""x"")",`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    expect(text.split("\r\n")[0]).toBe("\uFEFFE-mail,Nome,Sobrenome,Empresa,Notas,column 6,error_code,error_message");
  });

  it("resolved issues still count: the rows stay in the file", async () => {
    await database.db
      .update(issues)
      .set({ resolved: true, resolvedAt: new Date(), resolvedBy: "test" })
      .where(and(eq(issues.jobId, jobId), eq(issues.type, "INVALID_EMAIL")));
    expect(recordsOf((await downloadErrors(viewer, jobId)).bytes)).toEqual(expectedRecords());
  });

  it("batch by batch, the rows come in the same order as in one go", async () => {
    const job = await findJob({ jobId, companyId: company.id });
    if (!job) throw new Error("job vanished");
    for (const batchRows of [1, 2, 5, 6]) {
      const { header, batches } = await errorFile({ job, batchRows });
      const rows: unknown[][] = [];
      const sizes: number[] = [];
      for await (const batch of batches) {
        sizes.push(batch.length);
        rows.push(...batch.map((row) => [...row]));
      }
      const [expectedHeader, ...expectedRows] = expectedRecords();
      expect(header).toEqual(expectedHeader);
      // The neutralising apostrophes are the writer's: batches hold the cells as stored.
      expect(rows.map((row) => row.map((cell) => String(cell)))).toEqual(
        expectedRows.map((row) =>
          row.map((cell, index) => (index === 4 && /^'[=+@-]/.test(cell) ? cell.slice(1) : cell)),
        ),
      );
      expect(Math.max(...sizes)).toBeLessThanOrEqual(batchRows);
    }
  });

  it("rows of a four-column file, staged without their cells, come back as the file had them, edited or not", async () => {
    const dup = `four-${unique()}@example.com`;
    const four = await processedJob(
      uploader,
      [
        "Empresa;Sobrenome;Nome;E-mail",
        `Acme;One;Bo;${dup}`,
        `Globex;Two;Bob;${dup}`,
        `Initech; Lima ;Cy;${dup.toUpperCase()}`,
      ].join("\r\n"),
      "four.csv",
    );
    const stored = await database.db
      .select({ id: stagingRows.id, cells: stagingRows.cells })
      .from(stagingRows)
      .where(eq(stagingRows.jobId, four))
      .orderBy(stagingRows.rowNumber);
    expect(stored.map((row) => row.cells)).toEqual([null, null, ["Initech", " Lima ", "Cy", dup.toUpperCase()]]);
    const message = `Email ${dup} appears on 3 rows with different names or companies`;
    const expected = [
      ["Empresa", "Sobrenome", "Nome", "E-mail", "error_code", "error_message"],
      ["Acme", "One", "Bo", dup, "DUPLICATE_EMAIL", message],
      ["Globex", "Two", "Bob", dup, "DUPLICATE_EMAIL", message],
      ["Initech", " Lima ", "Cy", dup.toUpperCase(), "DUPLICATE_EMAIL", message],
    ];
    expect(recordsOf((await downloadErrors(viewer, four)).bytes)).toEqual(expected);

    // An editor renames row 2: still a duplicate, and its line still says what the file said.
    const editor = await keyFor(company, ["editor"]);
    const first = stored[0];
    if (!first) throw new Error("no row");
    const edited = await call(putStaging, `/api/staging/${first.id}`, {
      method: "PUT",
      bearer: editor,
      params: { staging_id: String(first.id) },
      body: { first_name: "Roberto" },
    });
    expect(edited.status).toBe(200);
    expect(recordsOf((await downloadErrors(viewer, four)).bytes)).toEqual(expected);
  });

  it("a job without issues gives just the header", async () => {
    const clean = await processedJob(
      uploader,
      `email,first_name,last_name,company\nclean-${unique()}@example.com,Di,Costa,Hooli\n`,
      "clean.csv",
    );
    expect((await findJobForWorker({ jobId: clean }))?.status).toBe("COMPLETED");
    const result = await downloadErrors(viewer, clean);
    expect(result.status).toBe(200);
    expect(result.bytes.toString("utf8")).toBe("\uFEFFemail,first_name,last_name,company,error_code,error_message\r\n");
    expect(result.headers.get("content-disposition")).toMatch(/^attachment; filename="clean-errors\.csv"/);
  });

  it("another company's job → 404, an unknown job → 404, no credentials → 401", async () => {
    const error = expectEnvelope(
      await call(errorsCsv, errorsPath(jobId), { bearer: otherAdmin, params: { job_id: String(jobId) } }),
      404,
      "NOT_FOUND",
    );
    expect(error.message).toBe(`Job ${jobId} not found`);
    expectEnvelope(
      await call(errorsCsv, errorsPath(987_654_321), { bearer: viewer, params: { job_id: "987654321" } }),
      404,
      "NOT_FOUND",
    );
    expectEnvelope(
      await call(errorsCsv, errorsPath(jobId), { params: { job_id: String(jobId) } }),
      401,
      "AUTHENTICATION_FAILED",
    );
  });
});
