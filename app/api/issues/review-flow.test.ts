import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { findJobForWorker, listJobEvents } from "@/db/queries/jobs";
import { contactChanges, type Company, type Contact } from "@/db/schema";
import { drain } from "@/lib/background/in-process/runner";
import { describeEachBackend } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";
import { anyNumber, anyString, expectEnvelope, type CallResult } from "@/test/http";
import { withJobRunner } from "@/test/ingest";
import {
  HEADER,
  addContact,
  api,
  issueSummary,
  keysFor,
  ok,
  processedJob,
  rowStatuses,
  stagingIds,
  type ContactJson,
  type IssueJson,
  type IssueListJson,
  type Keys,
  type StagingJson,
} from "@/test/review";

/**
 * The issue's REST "done when", through the route handlers: a job with one duplicate pair, one
 * invalid email and one conflict is reviewed to COMPLETED, and the contacts are exactly the expected ones.
 */
describeEachBackend("review flow", (database) => {
  withJobRunner("intake-review-flow");
  let companyA: Company;
  let companyB: Company;
  let a: Keys;
  let b: Keys;
  let tag: string;
  let existing: Contact;
  let jobId: number;
  let rows: Map<number, number>;
  let filename: string;

  const row = (number: number) => {
    const id = rows.get(number);
    if (id === undefined) throw new Error(`no row ${number}`);
    return id;
  };
  const editorName = () => expect.stringMatching(/^api-key:editor-/) as unknown;

  beforeAll(async () => {
    companyA = await createCompany(database.db, "Alpha Review");
    companyB = await createCompany(database.db, "Bravo Review");
    a = await keysFor(companyA);
    b = await keysFor(companyB);
    tag = unique();
    existing = await addContact(database.db, companyA, {
      email: `${tag}-carol@example.com`,
      firstName: "Carol",
      lastName: "Old",
      company: "Initech",
    });
    jobId = await processedJob(
      a.uploader,
      HEADER +
        `${tag}-dup@example.com,Ana,Silva,Acme\n` + // row 2 ┐ duplicate
        `${tag}-dup@example.com,Bo,Souza,Globex\n` + // row 3 ┘
        `${tag}-not-an-email,Cy,Lima,Initech\n` + // row 4: invalid email
        `${tag}-carol@example.com,Carla,New,Initech\n` + // row 5: conflicts with the contact
        `${tag}-ok@example.com,Di,Costa,Hooli\n`, // row 6: clean
    );
    rows = await stagingIds(database.db, jobId);
    filename = (await findJobForWorker({ jobId }))?.fileName ?? "";
  });

  const stagingJson = (
    number: number,
    email: string | null,
    first: string,
    last: string,
    company: string,
    status: string,
    check = "OK",
  ) => ({
    staging_id: row(number),
    staging_job_id: jobId,
    staging_row_number: number,
    staging_email: email,
    staging_first_name: first,
    staging_last_name: last,
    staging_company: company,
    staging_status: status,
    staging_row_check: check,
    staging_check_detail: null,
    staging_raw_text: null,
    staging_created_at: anyString,
    staging_updated_at: anyString,
  });

  function expectedIssues(): IssueJson[] {
    const base = {
      issues_job_id: jobId,
      job_filename: filename,
      issue_resolved: false,
      issue_resolved_at: null,
      issue_resolved_by: null,
      issue_resolution_comment: null,
      issue_created_at: anyString,
    };
    return [
      {
        ...base,
        issue_id: anyNumber,
        issue_type: "INVALID_EMAIL",
        issue_subject: "4",
        issue_description: `Row 4: '${tag}-not-an-email' is not a valid email address`,
        affected_row_count: 1,
        affected_rows: [stagingJson(4, `${tag}-not-an-email`, "Cy", "Lima", "Initech", "ISSUE", "INVALID_EMAIL")],
        existing_contact: null,
      },
      {
        ...base,
        issue_id: anyNumber,
        issue_type: "DUPLICATE_EMAIL",
        issue_subject: `${tag}-dup@example.com`,
        issue_description: `Email ${tag}-dup@example.com appears on 2 rows with different names or companies`,
        affected_row_count: 2,
        affected_rows: [
          stagingJson(2, `${tag}-dup@example.com`, "Ana", "Silva", "Acme", "ISSUE"),
          stagingJson(3, `${tag}-dup@example.com`, "Bo", "Souza", "Globex", "ISSUE"),
        ],
        existing_contact: null,
      },
      {
        ...base,
        issue_id: anyNumber,
        issue_type: "CONTACT_CONFLICT",
        issue_subject: `${tag}-carol@example.com`,
        issue_description: `Email ${tag}-carol@example.com is already the contact Carol Old (Initech) with a different identity`,
        affected_row_count: 1,
        affected_rows: [stagingJson(5, `${tag}-carol@example.com`, "Carla", "New", "Initech", "ISSUE")],
        existing_contact: {
          contact_id: existing.id,
          staging_id: null,
          contacts_user_id: null,
          contact_email: `${tag}-carol@example.com`,
          contact_first_name: "Carol",
          contact_last_name: "Old",
          contact_company: "Initech",
          contact_source_job_id: null,
          contact_last_job_id: null,
          contact_created_at: existing.createdAt.toISOString(),
          contact_updated_at: existing.updatedAt.toISOString(),
        },
      },
    ] as unknown as IssueJson[];
  }
  const byType = (list: IssueJson[], type: string) => {
    const found = list.find((issue) => issue.issue_type === type);
    if (!found) throw new Error(`no ${type} issue`);
    return found;
  };

  describe("three issues through each issues endpoint", () => {
    const counts = {
      total: 3,
      resolved_count: 0,
      unresolved_count: 3,
      by_type: {
        DUPLICATE_EMAIL: 1,
        INVALID_EMAIL: 1,
        MISSING_EMAIL: 0,
        CONTACT_CONFLICT: 1,
        MALFORMED_ROW: 0,
        VALUE_TOO_LONG: 0,
      },
    };

    it("GET /api/issues/job/{job_id}: the three, in the order found, with their rows and counts", async () => {
      const list = ok<IssueListJson>(await api.jobIssues(a.viewer, jobId));
      expect(list).toEqual({ issues: anyArray(), ...counts, page: 1, page_size: 50 });
      // Detection raises row problems first, then duplicates, then conflicts.
      expect(list.issues).toEqual(expectedIssues());
      const ids = list.issues.map((issue) => issue.issue_id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    });

    it("GET /api/issues: the same three (newest first) and the same counts", async () => {
      const list = ok<IssueListJson>(await api.listIssues(a.viewer));
      expect(list).toMatchObject({ ...counts, page: 1, page_size: 50 });
      expect([...list.issues].sort((x, y) => x.issue_id - y.issue_id)).toEqual(expectedIssues());
      const order = list.issues.map((issue) => [issue.issue_created_at, issue.issue_id] as const);
      expect(order).toEqual([...order].sort((x, y) => (x[0] === y[0] ? y[1] - x[1] : y[0].localeCompare(x[0]))));
    });

    it("GET /api/issues/{issue_id}: each one with all its rows", async () => {
      for (const issue of ok<IssueListJson>(await api.jobIssues(a.viewer, jobId)).issues) {
        expect(ok(await api.getIssue(a.viewer, issue.issue_id))).toEqual(issue);
      }
    });

    it("GET /api/jobs/{job_id}: three open, none resolved", async () => {
      expect(ok(await api.getJob(a.viewer, jobId))).toMatchObject({
        status: "NEEDS_REVIEW",
        issue_count: 3,
        issues_open: 3,
        issues_resolved: 0,
      });
    });
  });

  describe("another company's things are not found", () => {
    let foreignIssue: number;
    let foreignRow: number;
    let foreignJob: number;
    let foreignEmail: string;

    beforeAll(async () => {
      foreignEmail = `${unique()}-bravo@example.com`;
      await addContact(database.db, companyB, {
        email: foreignEmail,
        firstName: "Bea",
        lastName: "Bravo",
        company: "Bravo",
      });
      foreignJob = await processedJob(b.uploader, HEADER + `${unique()}-bad-email,Bea,Bravo,Bravo\n`);
      foreignIssue = ok<IssueListJson>(await api.jobIssues(b.viewer, foreignJob)).issues[0]?.issue_id ?? 0;
      foreignRow = (await stagingIds(database.db, foreignJob)).get(2) ?? 0;
      expect(foreignIssue).toBeGreaterThan(0);
    });

    const cases: { what: string; call: () => Promise<CallResult>; message: () => string }[] = [
      {
        what: "GET /api/issues/{id}",
        call: () => api.getIssue(a.admin, foreignIssue),
        message: () => `Issue ${foreignIssue} not found`,
      },
      {
        what: "PUT /api/issues/{id}",
        call: () => api.putIssue(a.admin, foreignIssue, { resolved: true }),
        message: () => `Issue ${foreignIssue} not found`,
      },
      {
        what: "POST /api/issues/{id}/keep",
        call: () => api.keep(a.admin, foreignIssue, { staging_id: foreignRow }),
        message: () => `Issue ${foreignIssue} not found`,
      },
      {
        what: "POST /api/issues/resolve",
        call: () => api.resolve(a.admin, { issue_ids: [foreignIssue] }),
        message: () => `Issue not found: ${foreignIssue}`,
      },
      {
        what: "POST /api/issues/preview (skip)",
        call: () => api.preview(a.admin, { action: "skip", issue_ids: [foreignIssue] }),
        message: () => `Issue not found: ${foreignIssue}`,
      },
      {
        what: "POST /api/issues/preview (keep_row)",
        call: () => api.preview(a.admin, { action: "keep_row", issue_id: foreignIssue, staging_id: foreignRow }),
        message: () => `Issue ${foreignIssue} not found`,
      },
      {
        what: "GET /api/issues/job/{id}",
        call: () => api.jobIssues(a.admin, foreignJob),
        message: () => `Job ${foreignJob} not found`,
      },
      {
        what: "GET /api/issues?job_id=",
        call: () => api.listIssues(a.admin, `?job_id=${foreignJob}`),
        message: () => `Job ${foreignJob} not found`,
      },
      {
        what: "GET /api/contacts?job_id=",
        call: () => api.contacts(a.admin, `?job_id=${foreignJob}`),
        message: () => `Job ${foreignJob} not found`,
      },
      {
        what: "GET /api/jobs/{id}/rows",
        call: () => api.jobRows(a.admin, foreignJob),
        message: () => `Job ${foreignJob} not found`,
      },
      {
        what: "PUT /api/staging/{id}",
        call: () => api.putStaging(a.admin, foreignRow, { email: "fixed@example.com" }),
        message: () => `Staging row ${foreignRow} not found`,
      },
      {
        what: "GET /api/contacts?email=",
        call: () => api.contacts(a.admin, `?email=${encodeURIComponent(foreignEmail)}`),
        message: () => `No contact with email ${foreignEmail}`,
      },
    ];

    it.each(cases)("$what → 404, and nothing of theirs changed", async ({ call, message }) => {
      const error = expectEnvelope(await call(), 404, "NOT_FOUND");
      expect(error.message).toBe(message());
      const theirs = ok<IssueJson>(await api.getIssue(b.viewer, foreignIssue));
      expect(theirs).toMatchObject({
        issue_resolved: false,
        affected_rows: [{ staging_id: foreignRow, staging_status: "ISSUE" }],
      });
    });

    it("lists never show them: issues, job rows, contacts", async () => {
      const issues = ok<IssueListJson>(await api.listIssues(a.viewer, "?page_size=200")).issues;
      expect(issues.map((issue) => issue.issues_job_id)).not.toContain(foreignJob);
      expect(ok<IssueListJson>(await api.listIssues(b.viewer, `?job_id=${foreignJob}`))).toMatchObject({
        total: 1,
        unresolved_count: 1,
      });
      const contacts = ok<{ contacts: ContactJson[] }>(await api.contacts(a.viewer, "?page_size=200")).contacts;
      expect(contacts.map((contact) => contact.contact_email)).not.toContain(foreignEmail);
      expect(
        ok<{ contacts: ContactJson[] }>(await api.contacts(b.viewer, `?q=${encodeURIComponent(foreignEmail)}`))
          .contacts,
      ).toHaveLength(1);
    });
  });

  describe("a viewer or uploader may read but not change", () => {
    const writes: Record<string, (bearer: string) => Promise<CallResult>> = {
      "PUT /api/issues/{id}": (bearer) => api.putIssue(bearer, 1, { resolved: true }),
      "POST /api/issues/resolve": (bearer) => api.resolve(bearer, { issue_ids: [1] }),
      "POST /api/issues/{id}/keep": (bearer) => api.keep(bearer, 1, { staging_id: row(2) }),
      "PUT /api/staging/{id}": (bearer) => api.putStaging(bearer, row(4), { email: "cy@example.com" }),
    };
    const cases = (["viewer", "uploader"] as const).flatMap((who) =>
      Object.keys(writes).map((action) => ({ who, action })),
    );

    it.each(cases)("$who: $action → 403 (needs editor)", async ({ who, action }) => {
      const write = writes[action];
      if (!write) throw new Error(action);
      const error = expectEnvelope(await write(a[who]), 403, "FORBIDDEN");
      expect(error.details).toEqual({ required_group: "editor", your_groups: [who] });
      expect(await issueSummary(database.db, jobId)).toEqual([
        `CONTACT_CONFLICT:${tag}-carol@example.com open [5]`,
        `DUPLICATE_EMAIL:${tag}-dup@example.com open [2,3]`,
        "INVALID_EMAIL:4 open [4]",
      ]);
    });

    it.each(["viewer", "uploader"] as const)("%s: every read → 200", async (who) => {
      for (const result of [
        await api.listIssues(a[who]),
        await api.jobIssues(a[who], jobId),
        await api.jobRows(a[who], jobId),
        await api.contacts(a[who]),
      ]) {
        expect(result.status, JSON.stringify(result.json)).toBe(200);
      }
    });
  });

  describe("reviewed to COMPLETED", () => {
    it("fix the invalid email, keep one duplicate row, resolve the conflict → COMPLETED with exactly the expected contacts", async () => {
      const issues = ok<IssueListJson>(await api.jobIssues(a.viewer, jobId)).issues;
      const invalid = byType(issues, "INVALID_EMAIL");
      const duplicate = byType(issues, "DUPLICATE_EMAIL");
      const conflict = byType(issues, "CONTACT_CONFLICT");

      // 1. The invalid email, fixed in place: the row is clean and READY, the issue resolved (no row left in it).
      const fixed = ok<StagingJson & { open_issues: unknown[] }>(
        await api.putStaging(a.editor, row(4), { email: `  ${tag}-Cy@Example.com ` }),
      );
      expect(fixed).toEqual({
        ...stagingJson(4, `${tag}-cy@example.com`, "Cy", "Lima", "Initech", "READY"),
        open_issues: [],
      });
      expect(ok<IssueJson>(await api.getIssue(a.viewer, invalid.issue_id))).toMatchObject({
        issue_resolved: true,
        issue_resolved_at: anyString,
        issue_resolved_by: editorName(),
        affected_row_count: 0,
        affected_rows: [],
      });

      // 2. One row of the duplicate kept: the other is SKIPPED, the issue resolved.
      const kept = ok<IssueJson>(
        await api.keep(a.editor, duplicate.issue_id, { staging_id: row(2), resolution_comment: "Ana is the one" }),
      );
      expect(kept).toMatchObject({
        issue_resolved: true,
        issue_resolved_by: editorName(),
        issue_resolution_comment: "Ana is the one",
        affected_rows: [
          { staging_row_number: 2, staging_status: "READY" },
          { staging_row_number: 3, staging_status: "SKIPPED" },
        ],
      });
      expect(ok(await api.getJob(a.viewer, jobId))).toMatchObject({
        status: "NEEDS_REVIEW",
        issues_open: 1,
        issues_resolved: 2,
      });

      // 3. The conflict resolved without keeping the file's row: the existing contact stays as it is.
      const resolved = ok<IssueJson>(
        await api.putIssue(a.editor, conflict.issue_id, { resolved: true, resolution_comment: "Carol stays" }),
      );
      expect(resolved).toMatchObject({
        issue_resolved: true,
        issue_resolved_by: editorName(),
        issue_resolution_comment: "Carol stays",
      });

      // The last issue resolved: finish-review runs in the background.
      await drain();
      const job = ok(await api.getJob(a.viewer, jobId));
      expect(job).toMatchObject({
        status: "COMPLETED",
        issue_count: 3,
        issues_open: 0,
        issues_resolved: 3,
        inserted_count: 3,
        updated_count: 0,
        skipped_count: 2,
      });
      expect(
        (job.events as { status: string; message: string }[]).map((event) => [event.status, event.message]),
      ).toEqual([
        ["PENDING", "Uploaded"],
        ["PROCESSING", "Processing started"],
        ["NEEDS_REVIEW", "3 issues to review"],
        ["PROCESSING", "Review finished; promoting the rows"],
        ["COMPLETED", "3 inserted, 0 updated, 2 skipped"],
      ]);
      expect(await rowStatuses(database.db, jobId)).toEqual({
        2: "IMPORTED",
        3: "SKIPPED",
        4: "IMPORTED",
        5: "SKIPPED",
        6: "IMPORTED",
      });

      const list = ok<{ contacts: ContactJson[]; total: number }>(await api.contacts(a.viewer, "?page_size=200"));
      const mine = list.contacts.filter((contact) => contact.contact_email.startsWith(`${tag}-`));
      const summary = (contact: ContactJson) => [
        contact.contact_email,
        contact.contact_first_name,
        contact.contact_last_name,
        contact.contact_company,
        contact.contact_source_job_id,
        contact.contact_last_job_id,
      ];
      expect(mine.map(summary).sort((x, y) => String(x[0]).localeCompare(String(y[0])))).toEqual([
        [`${tag}-carol@example.com`, "Carol", "Old", "Initech", null, null],
        [`${tag}-cy@example.com`, "Cy", "Lima", "Initech", jobId, jobId],
        [`${tag}-dup@example.com`, "Ana", "Silva", "Acme", jobId, jobId],
        [`${tag}-ok@example.com`, "Di", "Costa", "Hooli", jobId, jobId],
      ]);
      expect(list.total).toBe(list.contacts.length);
      expect(
        ok<{ contacts: ContactJson[] }>(
          await api.contacts(a.viewer, `?email=${encodeURIComponent(` ${tag}-DUP@example.com `)}`),
        ).contacts,
      ).toMatchObject([{ contact_email: `${tag}-dup@example.com`, contact_first_name: "Ana" }]);
      expect(await database.db.select().from(contactChanges).where(eq(contactChanges.jobId, jobId))).toEqual([]);
    });

    it("after completion the review writes answer 409, and finishing does not run twice", async () => {
      const issues = ok<IssueListJson>(await api.jobIssues(a.viewer, jobId)).issues;
      const duplicate = byType(issues, "DUPLICATE_EMAIL");
      const message = `Job ${jobId} is COMPLETED`;
      expect(
        expectEnvelope(await api.putStaging(a.editor, row(3), { first_name: "Bob" }), 409, "CONFLICT").message,
      ).toMatch(message);
      expect(
        expectEnvelope(await api.putIssue(a.editor, duplicate.issue_id, { resolved: false }), 409, "CONFLICT").message,
      ).toMatch(message);
      expect(
        expectEnvelope(await api.keep(a.editor, duplicate.issue_id, { staging_id: row(3) }), 409, "CONFLICT").message,
      ).toMatch(message);
      // Words may still change; the state may not.
      expect(
        ok<IssueJson>(await api.putIssue(a.editor, duplicate.issue_id, { resolution_comment: "Checked again" })),
      ).toMatchObject({
        issue_resolved: true,
        issue_resolution_comment: "Checked again",
      });
      await drain();
      expect((await listJobEvents({ jobId })).filter((event) => event.status === "COMPLETED")).toHaveLength(1);
    });
  });
});

const anyArray = (): unknown => expect.any(Array);
