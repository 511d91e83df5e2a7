import { and, asc, eq, max, min } from "drizzle-orm";
import iconv from "iconv-lite";
import { beforeEach, expect, it } from "vitest";
import { findJobForWorker } from "@/db/queries/jobs";
import { contactChanges, contacts, issueItems, issues, jobs, stagingRows, type Company } from "@/db/schema";
import { sniffLayout } from "@/lib/csv";
import { detectIssues } from "@/lib/ingest/detect";
import type { StepRunner } from "@/lib/background/definition";
import { processJob } from "@/lib/ingest/pipeline";
import { insertNewContacts, settlePromotion } from "@/lib/ingest/promote";
import { landRows } from "@/lib/ingest/promotion";
import { queueJob } from "@/lib/ingest/register";
import { resetJobForReprocess } from "@/lib/ingest/reprocess";
import { stageChunk } from "@/lib/ingest/stage";
import { dispatch } from "@/lib/background/dispatch";
import { drain } from "@/lib/background/in-process/runner";
import { describeEachBackend, type TestDatabase } from "@/test/database";
import { createCompany } from "@/test/fixtures";
import { registerFile, withJobRunner } from "@/test/ingest";

const HEADER = "email,first_name,last_name,company\n";

async function upload(company: Company, body: string, importMode: "create" | "update" | "upsert" = "upsert") {
  const job = await registerFile(company, body, { importMode });
  await drain();
  const done = await findJobForWorker({ jobId: job.id });
  if (!done) throw new Error("job vanished");
  return done;
}

/** Everything a job produced, without ids, for comparing two runs. */
async function snapshot(database: TestDatabase, jobId: number, companyId: string) {
  const rows = await database.db
    .select({
      row: stagingRows.rowNumber,
      email: stagingRows.email,
      status: stagingRows.status,
      check: stagingRows.rowCheck,
    })
    .from(stagingRows)
    .where(eq(stagingRows.jobId, jobId))
    .orderBy(asc(stagingRows.rowNumber));
  const found = await database.db
    .select({ key: issues.issueKey, type: issues.type, row: stagingRows.rowNumber })
    .from(issues)
    .innerJoin(issueItems, eq(issueItems.issueId, issues.id))
    .innerJoin(stagingRows, eq(stagingRows.id, issueItems.stagingId))
    .where(eq(issues.jobId, jobId))
    .orderBy(asc(issues.issueKey), asc(stagingRows.rowNumber));
  const people = await database.db
    .select({ email: contacts.email, first: contacts.firstName, last: contacts.lastName, company: contacts.company })
    .from(contacts)
    .where(eq(contacts.companyId, companyId))
    .orderBy(asc(contacts.email));
  return { rows, issues: found, contacts: people };
}

/** A step runner that simply runs every step (no memory): running a pipeline twice really does the work twice. */
const immediate: StepRunner = { run: (_id, work) => work() };

describeEachBackend("ingestion pipeline", (database) => {
  withJobRunner("intake-ingest");
  let company: Company;

  beforeEach(async () => {
    company = await createCompany(database.db);
  });

  it("a clean file lands every row as a contact and completes", async () => {
    const job = await upload(
      company,
      HEADER + " Ana@Example.com ,Ana,Silva,Acme\nbo@example.com,Bo,Souza,Globex\r\ncy@example.com,Cy,Lima,Initech\n",
    );
    expect(job).toMatchObject({
      status: "COMPLETED",
      totalRows: 3,
      stagedRows: 3,
      insertedCount: 3,
      updatedCount: 0,
      skippedCount: 0,
      issueCount: 0,
    });
    expect(job.headerMapping).toEqual({
      email: "email",
      first_name: "first_name",
      last_name: "last_name",
      company: "company",
    });
    const result = await snapshot(database, job.id, company.id);
    expect(result.contacts).toEqual([
      { email: "ana@example.com", first: "Ana", last: "Silva", company: "Acme" },
      { email: "bo@example.com", first: "Bo", last: "Souza", company: "Globex" },
      { email: "cy@example.com", first: "Cy", last: "Lima", company: "Initech" },
    ]);
    expect(result.rows.map((row) => row.status)).toEqual(["IMPORTED", "IMPORTED", "IMPORTED"]);
    // Inserted contacts name their job (what revert needs); only updates keep previous values.
    const landed = await database.db.select().from(contacts).where(eq(contacts.companyId, company.id));
    expect(landed.map((contact) => [contact.sourceJobId, contact.lastJobId])).toEqual([
      [job.id, job.id],
      [job.id, job.id],
      [job.id, job.id],
    ]);
    expect(await database.db.select().from(contactChanges).where(eq(contactChanges.jobId, job.id))).toEqual([]);
  });

  it.each([
    [
      "UTF-16 LE with BOM, tab-separated",
      (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text.replaceAll(",", "\t"), "utf16le")]),
    ],
    [
      "UTF-16 BE with BOM, pipe-separated",
      (text: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text.replaceAll(",", "|"), "utf16be")]),
    ],
    ["Windows-1252, semicolon-separated", (text: string) => iconv.encode(text.replaceAll(",", ";"), "win1252")],
  ])("a %s file lands with its accents intact", async (_kind, encode) => {
    const text = "E-mail,Nome,Sobrenome,Empresa\r\njoao@example.com,João,Conceição,Açaí € Cia\r\n";
    const job = await registerFile(company, encode(text), { fileName: "acentos.csv" });
    await drain();
    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({ status: "COMPLETED", insertedCount: 1 });
    const result = await snapshot(database, job.id, company.id);
    expect(result.contacts).toEqual([
      { email: "joao@example.com", first: "João", last: "Conceição", company: "Açaí € Cia" },
    ]);
  });

  it("finds every issue type with the right rows, and collapses exact duplicates", async () => {
    await database.db.insert(contacts).values({
      companyId: company.id,
      email: "taken@example.com",
      firstName: "Old",
      lastName: "Name",
      company: "Acme",
    });
    const job = await upload(
      company,
      HEADER +
        [
          "ana@example.com,Ana,Silva,Acme", // 2 kept
          "ANA@example.com , ana ,SILVA,acme", // 3 exact duplicate of 2 → skipped
          "bo@example.com,Bo,One,Acme", // 4 duplicate email, different identity
          "bo@example.com,Bob,Two,Globex", // 5
          "not-an-email,Di,Invalid,Acme", // 6 invalid
          ",Ed,Missing,Acme", // 7 missing
          "taken@example.com,New,Person,Acme", // 8 conflicts with the contact
          "fine@example.com,Fi,Ne,Acme", // 9 ready
        ].join("\n") +
        "\n",
    );
    expect(job).toMatchObject({ status: "NEEDS_REVIEW", issueCount: 4, skippedCount: 1, totalRows: 8 });
    const result = await snapshot(database, job.id, company.id);
    expect(result.issues).toEqual([
      { key: "CONTACT_CONFLICT:taken@example.com", type: "CONTACT_CONFLICT", row: 8 },
      { key: "DUPLICATE_EMAIL:bo@example.com", type: "DUPLICATE_EMAIL", row: 4 },
      { key: "DUPLICATE_EMAIL:bo@example.com", type: "DUPLICATE_EMAIL", row: 5 },
      { key: "INVALID_EMAIL:6", type: "INVALID_EMAIL", row: 6 },
      { key: "MISSING_EMAIL:7", type: "MISSING_EMAIL", row: 7 },
    ]);
    expect(result.rows.map((row) => [row.row, row.status])).toEqual([
      [2, "READY"],
      [3, "SKIPPED"],
      [4, "ISSUE"],
      [5, "ISSUE"],
      [6, "ISSUE"],
      [7, "ISSUE"],
      [8, "ISSUE"],
      [9, "READY"],
    ]);
    // Nothing lands while the job waits for review.
    expect(result.contacts).toEqual([{ email: "taken@example.com", first: "Old", last: "Name", company: "Acme" }]);
    const [conflict] = await database.db
      .select()
      .from(issues)
      .where(and(eq(issues.jobId, job.id), eq(issues.type, "CONTACT_CONFLICT")));
    expect(conflict?.description).toContain("Old Name (Acme)");
  });

  it("running the same steps again leaves the same rows, issues and contacts", async () => {
    await database.db.insert(contacts).values({
      companyId: company.id,
      email: "taken@example.com",
      firstName: "Old",
      lastName: "Name",
      company: "Acme",
    });
    const issuesJob = await upload(
      company,
      HEADER + "a@example.com,A,A,A\na@example.com,B,B,B\nbad,C,C,C\ntaken@example.com,D,D,D\nok@example.com,E,E,E\n",
    );
    const before = await snapshot(database, issuesJob.id, company.id);
    const layout = issuesJob.layout;
    if (!layout) throw new Error("no layout");
    // Stage the whole file again over the rows already there, then detect again.
    await stageChunk({
      jobId: issuesJob.id,
      cursor: { chunk: 0, offset: layout.dataOffset, nextRow: 2, staged: 0, done: false },
      chunkRows: 1000,
    });
    await detectIssues({ jobId: issuesJob.id, companyId: company.id });
    await detectIssues({ jobId: issuesJob.id, companyId: company.id });
    expect(await snapshot(database, issuesJob.id, company.id)).toEqual(before);

    const clean = await upload(company, HEADER + "x@example.com,X,X,X\ny@example.com,Y,Y,Y\n");
    const cleanBefore = await snapshot(database, clean.id, company.id);
    await landRows({ jobId: clean.id, companyId: company.id, importMode: "upsert", rangeSize: 1000, step: immediate });
    expect(await settlePromotion({ db: database.db, jobId: clean.id, companyId: company.id })).toEqual({
      inserted: 2,
      updated: 0,
      skipped: 0,
    });
    expect(await snapshot(database, clean.id, company.id)).toEqual(cleanBefore);

    // Reprocessing rebuilds the same result from the stored file.
    const reset = await resetJobForReprocess({ jobId: issuesJob.id, actorUserId: null });
    if (!reset) throw new Error("job could not be reset");
    await queueJob({ job: reset });
    await drain();
    const after = await snapshot(database, issuesJob.id, company.id);
    expect({ rows: after.rows, issues: after.issues }).toEqual({ rows: before.rows, issues: before.issues });
    expect(await findJobForWorker({ jobId: issuesJob.id })).toMatchObject({ status: "NEEDS_REVIEW", issueCount: 3 });
  });

  it("small chunks give exactly the rows one big chunk gives", async () => {
    const lines = Array.from(
      { length: 23 },
      (_, index) => `p${index}@example.com,"Name, ${index}",Last,"Multi\nLine ${index}"`,
    );
    const body = HEADER + lines.join("\r\n") + "\r\n";
    const big = await upload(company, body);
    const other = await createCompany(database.db);
    const job = await registerFile(other, body, { fileName: "chunked.csv" });
    await drain();
    // Run it again by hand in chunks of 4 records, after a reset.
    const reset = await resetJobForReprocess({ jobId: job.id, actorUserId: null });
    if (!reset) throw new Error("job could not be reset");
    const outcome = await processJob({ jobId: job.id, runId: "test-run", step: immediate, chunkRows: 4 });
    expect(outcome).toEqual({ status: "COMPLETED", rows: 23 });
    const bigRows = (await snapshot(database, big.id, company.id)).rows;
    const chunkedRows = (await snapshot(database, job.id, other.id)).rows;
    expect(chunkedRows).toEqual(bigRows);
    const [row] = await database.db
      .select()
      .from(stagingRows)
      .where(and(eq(stagingRows.jobId, job.id), eq(stagingRows.rowNumber, 5)));
    // Its fields give its cells back exactly, so staging did not keep them twice.
    expect(row).toMatchObject({ firstName: "Name, 3", company: "Multi\nLine 3", cells: null });
  });

  it("keeps a row's own cells only when its staged fields cannot give them back", async () => {
    const job = await upload(company, HEADER + "as.is@example.com,Ana,Silva,Acme\n Spaced@Example.com ,Bo, Souza,\n");
    const rows = await database.db
      .select({ email: stagingRows.email, cells: stagingRows.cells })
      .from(stagingRows)
      .where(eq(stagingRows.jobId, job.id))
      .orderBy(asc(stagingRows.rowNumber));
    expect(rows).toEqual([
      { email: "as.is@example.com", cells: null },
      { email: "spaced@example.com", cells: [" Spaced@Example.com ", "Bo", " Souza", ""] },
    ]);
  });

  it.skipIf(database.kind !== "postgres").each([true, false])(
    "leaves an email another job lands mid-insert to that job, without failing (company empty when planned: %s)",
    async (companyWasEmpty) => {
      const job = await upload(company, HEADER + "first@example.com,F,F,F\nraced@example.com,R,R,R\nbad,B,B,B\n");
      expect(job.status).toBe("NEEDS_REVIEW");
      if (database.handle.raw.kind !== "postgres") throw new Error("needs a Postgres server");
      // Another transaction holds the same email, not yet committed: the insert waits for it, then collides.
      const other = await database.handle.raw.sql.reserve();
      try {
        await other`BEGIN`;
        await other`INSERT INTO contacts (company_id, email, first_name) VALUES (${company.id}, 'raced@example.com', 'Theirs')`;
        const [bounds] = await database.db
          .select({ from: min(stagingRows.id), to: max(stagingRows.id) })
          .from(stagingRows)
          .where(eq(stagingRows.jobId, job.id));
        const range = { from: bounds?.from ?? 0, to: bounds?.to ?? 0 };
        const inserting = insertNewContacts({ jobId: job.id, companyId: company.id, range, companyWasEmpty });
        await new Promise((resolve) => setTimeout(resolve, 300));
        await other`COMMIT`;
        await inserting;
      } finally {
        other.release();
      }
      const result = await snapshot(database, job.id, company.id);
      expect(result.rows.map((row) => [row.email, row.status])).toEqual([
        ["first@example.com", "IMPORTED"],
        ["raced@example.com", "READY"],
        ["bad", "ISSUE"],
      ]);
      expect(result.contacts.map((contact) => [contact.email, contact.first])).toEqual([
        ["first@example.com", "F"],
        ["raced@example.com", "Theirs"],
      ]);
    },
  );

  it.each([
    ["create", { inserted: 1, updated: 0, skipped: 1 }],
    ["update", { inserted: 0, updated: 0, skipped: 2 }],
    ["upsert", { inserted: 1, updated: 0, skipped: 1 }],
  ] as const)("import mode %s", async (mode, expected) => {
    await database.db
      .insert(contacts)
      .values({ companyId: company.id, email: "same@example.com", firstName: "Sam", lastName: "E", company: "Acme" });
    const job = await upload(company, HEADER + "same@example.com,Sam,E,Acme\nnew@example.com,New,Person,Acme\n", mode);
    expect(job).toMatchObject({
      status: "COMPLETED",
      insertedCount: expected.inserted,
      updatedCount: expected.updated,
      skippedCount: expected.skipped,
    });
    const emails = (await snapshot(database, job.id, company.id)).contacts.map((contact) => contact.email);
    expect(emails).toEqual(mode === "update" ? ["same@example.com"] : ["new@example.com", "same@example.com"]);
  });

  it("an update records the previous values, and is not repeated by a re-run", async () => {
    await database.db.insert(contacts).values({
      companyId: company.id,
      email: "taken@example.com",
      firstName: "Old",
      lastName: "Name",
      company: "Acme",
    });
    const job = await upload(company, HEADER + "taken@example.com,New,Name,Globex\n", "update");
    expect(job.status).toBe("NEEDS_REVIEW");
    // The editor accepts the row (the review workflow does this): it becomes READY and is promoted.
    await database.db.update(stagingRows).set({ status: "READY" }).where(eq(stagingRows.jobId, job.id));
    for (let pass = 0; pass < 2; pass += 1) {
      await landRows({ jobId: job.id, companyId: company.id, importMode: "update", rangeSize: 10, step: immediate });
    }
    expect(await settlePromotion({ db: database.db, jobId: job.id, companyId: company.id })).toEqual({
      inserted: 0,
      updated: 1,
      skipped: 0,
    });
    const [change] = await database.db.select().from(contactChanges).where(eq(contactChanges.jobId, job.id));
    expect(change).toMatchObject({
      action: "UPDATE",
      previous: { firstName: "Old", lastName: "Name", company: "Acme" },
    });
    const [contact] = await database.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.companyId, company.id), eq(contacts.email, "taken@example.com")));
    expect(contact).toMatchObject({ firstName: "New", lastName: "Name", company: "Globex", lastJobId: job.id });
  });

  it("another company's contacts never cause a conflict", async () => {
    const other = await createCompany(database.db);
    await database.db.insert(contacts).values({
      companyId: other.id,
      email: "shared@example.com",
      firstName: "Their",
      lastName: "Contact",
      company: "X",
    });
    const job = await upload(company, HEADER + "shared@example.com,Our,Contact,Y\n");
    expect(job).toMatchObject({ status: "COMPLETED", insertedCount: 1, issueCount: 0 });
    const [theirs] = await database.db
      .select()
      .from(contacts)
      .where(and(eq(contacts.companyId, other.id), eq(contacts.email, "shared@example.com")));
    expect(theirs?.firstName).toBe("Their");
  });

  it("a file that cannot be read fails the job with a readable reason after the retries", async () => {
    const layout = sniffLayout(Buffer.from(HEADER + "a@example.com,A,B,C\n"), { complete: true });
    const [job] = await database.db
      .insert(jobs)
      .values({
        companyId: company.id,
        fileName: "gone.csv",
        storageKey: `uploads/${company.id}/missing/gone.csv`,
        sha256: `gone-${company.id}`,
        sizeBytes: 40,
        layout,
      })
      .returning();
    if (!job) throw new Error("no job");
    await dispatch({ name: "app/job.uploaded", data: { jobId: job.id, companyId: company.id } });
    await drain();
    const failed = await findJobForWorker({ jobId: job.id });
    expect(failed?.status).toBe("FAILED");
    expect(failed?.error).toMatch(/^Processing failed: .*gone\.csv/);
  });
});
