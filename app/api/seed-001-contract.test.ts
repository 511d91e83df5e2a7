import { beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as listContacts } from "@/app/api/contacts/route";
import { GET as getIssue, PUT as putIssue } from "@/app/api/issues/[issue_id]/route";
import { GET as jobIssues } from "@/app/api/issues/job/[job_id]/route";
import { GET as listIssues } from "@/app/api/issues/route";
import { POST as reprocessJob } from "@/app/api/jobs/[job_id]/reprocess/route";
import { DELETE as deleteJob } from "@/app/api/jobs/[job_id]/route";
import { GET as listJobs } from "@/app/api/jobs/route";
import { PUT as putStaging } from "@/app/api/staging/[staging_id]/route";
import { drain } from "@/lib/background/in-process/runner";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser, type TestUser } from "@/test/fixtures";
import { call, expectEnvelope, type CallResult } from "@/test/http";
import { withJobRunner } from "@/test/ingest";
import { uploadDirect } from "@/test/jobs";
import type { ContactJson, IssueJson, StagingJson } from "@/test/review";

/**
 * Seed 001's README, taken at its word: its request bodies and the response fields and statuses it documents,
 * with only `/api` in front of each path. Intake's extra fields are not looked at here.
 */

const SEED_ISSUE_FIELDS = [
  "issue_id",
  "issues_job_id",
  "issue_type",
  "issue_resolved",
  "issue_description",
  "issue_resolved_at",
  "issue_resolved_by",
  "issue_resolution_comment",
  "issue_created_at",
  "affected_rows",
] as const;
const SEED_ROW_FIELDS = [
  "staging_id",
  "staging_email",
  "staging_first_name",
  "staging_last_name",
  "staging_company",
  "staging_created_at",
  "staging_status",
] as const;
const SEED_CONTACT_FIELDS = [
  "contact_id",
  "staging_id",
  "contacts_user_id",
  "contact_email",
  "contact_first_name",
  "contact_last_name",
  "contact_company",
  "contact_created_at",
] as const;

/** What seed 001 documents of each, read through Intake's own shapes (the documented fields are a subset). */
type SeedRow = Pick<StagingJson, (typeof SEED_ROW_FIELDS)[number]> & { staging_job_id?: number };
type SeedIssue = Omit<Pick<IssueJson, (typeof SEED_ISSUE_FIELDS)[number]>, "affected_rows"> & {
  affected_rows: SeedRow[];
};
type SeedIssueList = { issues: SeedIssue[]; total: number; resolved_count: number; unresolved_count: number };
type SeedContact = Pick<ContactJson, (typeof SEED_CONTACT_FIELDS)[number]>;
type SeedContactList = { contacts: SeedContact[]; total: number };

const HEADER = "email,first_name,last_name,company\n";
/** 150 data rows, as in the seed's upload example: the seed's duplicate (John and Jane) and one more pair. */
const CONTACTS_CSV =
  HEADER +
  Array.from(
    { length: 146 },
    (_, index) => `person${index}@example.com,First${index},Last${index},Company ${index}\n`,
  ).join("") +
  "test@example.com,John,Doe,Company A\n" +
  "test@example.com,Jane,Smith,Company B\n" +
  "pair@example.com,Ann,Lee,Company C\n" +
  "pair@example.com,Bea,Kim,Company D\n";

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function json<T>(result: CallResult, status = 200): T {
  expect(result.status, JSON.stringify(result.json)).toBe(status);
  return result.json as T;
}

/** The seed documents no status for a successful upload: any 2xx will do. */
function uploaded(result: CallResult): { job_id: number; message: string; filename: string; total_rows: number } {
  expect(result.status, JSON.stringify(result.json)).toBeGreaterThanOrEqual(200);
  expect(result.status).toBeLessThan(300);
  return result.json as { job_id: number; message: string; filename: string; total_rows: number };
}

function expectSeedIssue(issue: SeedIssue) {
  expect(Object.keys(issue)).toEqual(expect.arrayContaining([...SEED_ISSUE_FIELDS]));
  expect(issue).not.toHaveProperty("issue_key");
  expect(issue.issue_created_at).toMatch(isoTimestamp);
  for (const row of issue.affected_rows) {
    expect(Object.keys(row)).toEqual(expect.arrayContaining([...SEED_ROW_FIELDS]));
    expect(row).not.toHaveProperty("staging_row_hash");
    expect(row.staging_created_at).toMatch(isoTimestamp);
  }
}

const at = (path: string, bearer: string | undefined, params: Record<string, string> = {}) => ({
  path,
  bearer,
  params,
});
const issueParams = (id: number) => ({ issue_id: String(id) });
const jobParams = (id: number) => ({ job_id: String(id) });

describeEachBackend("seed 001's API, with only /api in front", (database) => {
  withJobRunner("intake-seed-001");
  const bearer = { uploader: "", editor: "", viewer: "" };
  let uploader: TestUser;
  let editor: TestUser;
  let jobId = 0;
  /** John's row of the seed's duplicate, edited through PUT /api/staging. */
  let johnRow = 0;

  async function signIn(user: TestUser): Promise<string> {
    const result = await call(login, "/api/auth/login", { body: { email: user.email, password: user.password } });
    return json<{ access_token: string }>(result).access_token;
  }

  const get = (handler: typeof listIssues, { path, bearer: token, params }: ReturnType<typeof at>) =>
    call(handler, path, { bearer: token, params });
  const put = (handler: typeof putIssue, { path, bearer: token, params }: ReturnType<typeof at>, body: unknown) =>
    call(handler, path, { bearer: token, params, method: "PUT", body });

  const issuesOfJob = async (id: number) =>
    json<SeedIssueList>(await get(jobIssues, at(`/api/issues/job/${id}`, bearer.viewer, jobParams(id))));
  const issueWith = async (email: string) => {
    const found = (await issuesOfJob(jobId)).issues.find((issue) =>
      issue.affected_rows.some((row) => row.staging_email === email),
    );
    if (!found) throw new Error(`no issue of job ${jobId} has a row with ${email}`);
    return found;
  };

  beforeAll(async () => {
    const company = await createCompany(database.db, "Seed 001 Co");
    uploader = await createUser(database.db, { memberOf: [{ company, groups: ["uploader"] }] });
    editor = await createUser(database.db, { memberOf: [{ company, groups: ["editor"] }] });
    const viewer = await createUser(database.db, { memberOf: [{ company, groups: ["viewer"] }] });
    bearer.uploader = await signIn(uploader);
    bearer.editor = await signIn(editor);
    bearer.viewer = await signIn(viewer);
  });

  describe("POST /api/jobs/upload", () => {
    it("a CSV file as multipart → job_id, message, filename and total_rows", async () => {
      const created = uploaded(await uploadDirect(bearer.uploader, "contacts.csv", CONTACTS_CSV));
      expect(created).toMatchObject({
        job_id: expect.any(Number) as unknown,
        message: "File 'contacts.csv' uploaded successfully and queued for processing",
        filename: "contacts.csv",
        total_rows: 150,
      });
      jobId = created.job_id;
      await drain();
    });

    it("header variations, any case, with semicolons, are accepted", async () => {
      const created = uploaded(
        await uploadDirect(
          bearer.uploader,
          "variants.csv",
          "E-mail;Nome;Sobrenome;Empresa\nvariant@example.com;Vera;Vaz;Variant Co\n",
        ),
      );
      expect(created).toMatchObject({ filename: "variants.csv", total_rows: 1 });
    });

    it.each([
      { what: "missing headers", file: "missing.csv", content: "email,first_name\na@example.com,A\n" },
      { what: "not a CSV file", file: "contacts.xlsx", content: CONTACTS_CSV },
      { what: "an empty file", file: "empty.csv", content: "" },
      { what: "a header and no data rows", file: "header-only.csv", content: HEADER },
    ])("$what → 400", async ({ file, content }) => {
      expectEnvelope(await uploadDirect(bearer.uploader, file, content), 400, "VALIDATION_ERROR");
    });

    it("a refusal for missing headers names the missing ones and the ones found", async () => {
      const error = expectEnvelope(
        await uploadDirect(bearer.uploader, "missing.csv", "email,first_name\na@example.com,A\n"),
        400,
        "VALIDATION_ERROR",
      );
      expect(error.message).toMatch(/last_name/);
      expect(error.message).toMatch(/company/);
      expect(error.message).toMatch(/Found headers: email, first_name/);
    });

    it("a file imported before is refused", async () => {
      const again = await uploadDirect(bearer.uploader, "contacts.csv", CONTACTS_CSV);
      expect(again.status).toBeGreaterThanOrEqual(400);
      expect(again.status).toBeLessThan(500);
    });

    it("without the uploader group → 403", async () => {
      expectEnvelope(await uploadDirect(bearer.viewer, "viewer.csv", CONTACTS_CSV), 403, "FORBIDDEN");
    });
  });

  describe("GET /api/jobs", () => {
    it("lists the uploaded job", async () => {
      const list = json<{ jobs: { job_id: number }[] }>(await get(listJobs, at("/api/jobs", bearer.uploader)));
      expect(list.jobs.map((job) => job.job_id)).toContain(jobId);
    });
  });

  describe("GET /api/issues, /api/issues/job/{job_id}, /api/issues/{issue_id}", () => {
    it("every issue with its staging rows and the counts, newest first", async () => {
      const list = json<SeedIssueList>(await get(listIssues, at("/api/issues", bearer.viewer)));
      expect(list).toMatchObject({ total: 2, resolved_count: 0, unresolved_count: 2 });
      list.issues.forEach(expectSeedIssue);
      const created = list.issues.map((issue) => issue.issue_created_at);
      expect(created).toEqual([...created].sort().reverse());
    });

    it("a job's issues: the seed's duplicate with its two rows, unresolved", async () => {
      const list = await issuesOfJob(jobId);
      expect(list).toMatchObject({ total: 2, resolved_count: 0, unresolved_count: 2 });
      list.issues.forEach(expectSeedIssue);
      const duplicate = await issueWith("test@example.com");
      expect(duplicate).toMatchObject({
        issues_job_id: jobId,
        issue_type: "DUPLICATE_EMAIL",
        issue_resolved: false,
        issue_resolved_at: null,
        issue_resolved_by: null,
        issue_resolution_comment: null,
      });
      expect(
        duplicate.affected_rows.map((row) => [
          row.staging_email,
          row.staging_first_name,
          row.staging_last_name,
          row.staging_company,
          row.staging_status,
        ]),
      ).toEqual([
        ["test@example.com", "John", "Doe", "Company A", "ISSUE"],
        ["test@example.com", "Jane", "Smith", "Company B", "ISSUE"],
      ]);
    });

    it("one issue with all its rows; an unknown one → 404", async () => {
      const duplicate = await issueWith("test@example.com");
      const detail = json<SeedIssue>(
        await get(getIssue, at(`/api/issues/${duplicate.issue_id}`, bearer.viewer, issueParams(duplicate.issue_id))),
      );
      expectSeedIssue(detail);
      expect(detail).toMatchObject({ issue_id: duplicate.issue_id, issue_type: "DUPLICATE_EMAIL" });
      expect(detail.affected_rows).toHaveLength(2);
      expectEnvelope(
        await get(getIssue, at("/api/issues/987654321", bearer.viewer, issueParams(987654321))),
        404,
        "NOT_FOUND",
      );
      expectEnvelope(
        await get(jobIssues, at("/api/issues/job/987654321", bearer.viewer, jobParams(987654321))),
        404,
        "NOT_FOUND",
      );
    });
  });

  describe("PUT /api/issues/{issue_id}", () => {
    const seedBody = () => ({
      issue_resolved: true,
      issue_description: "Updated description",
      issue_resolved_by: editor.id,
      issue_resolution_comment: "Issue resolved after manual review",
    });

    it("the seed's body resolves the issue and answers it updated, with its rows", async () => {
      const pair = await issueWith("pair@example.com");
      const updated = json<SeedIssue>(
        await put(putIssue, at(`/api/issues/${pair.issue_id}`, bearer.editor, issueParams(pair.issue_id)), seedBody()),
      );
      expectSeedIssue(updated);
      expect(updated).toMatchObject({
        issue_id: pair.issue_id,
        issues_job_id: jobId,
        issue_type: "DUPLICATE_EMAIL",
        issue_resolved: true,
        issue_description: "Updated description",
        issue_resolved_at: expect.stringMatching(isoTimestamp) as unknown,
        // Intake records the member it names by their email (see the README's differences).
        issue_resolved_by: editor.email,
        issue_resolution_comment: "Issue resolved after manual review",
        issue_created_at: pair.issue_created_at,
      });
      expect(updated.affected_rows).toHaveLength(2);
    });

    it("only the fields sent change", async () => {
      const pair = await issueWith("pair@example.com");
      const updated = json<SeedIssue>(
        await put(putIssue, at(`/api/issues/${pair.issue_id}`, bearer.editor, issueParams(pair.issue_id)), {
          issue_resolution_comment: "Second look",
        }),
      );
      expect(updated).toMatchObject({
        issue_resolved: true,
        issue_description: "Updated description",
        issue_resolved_at: pair.issue_resolved_at,
        issue_resolved_by: editor.email,
        issue_resolution_comment: "Second look",
      });
    });

    it("unresolving clears issue_resolved_at and issue_resolved_by; resolving again defaults to the caller", async () => {
      const pair = await issueWith("pair@example.com");
      const path = at(`/api/issues/${pair.issue_id}`, bearer.editor, issueParams(pair.issue_id));
      expect(json<SeedIssue>(await put(putIssue, path, { issue_resolved: false }))).toMatchObject({
        issue_resolved: false,
        issue_resolved_at: null,
        issue_resolved_by: null,
      });
      expect(json<SeedIssue>(await put(putIssue, path, { issue_resolved: true }))).toMatchObject({
        issue_resolved: true,
        issue_resolved_at: expect.stringMatching(isoTimestamp) as unknown,
        issue_resolved_by: editor.email,
      });
    });

    it("without the editor group → 403, whatever the body; an unknown issue → 404", async () => {
      const pair = await issueWith("pair@example.com");
      for (const body of [seedBody(), { issue_resolved: "not a boolean" }]) {
        expectEnvelope(
          await put(putIssue, at(`/api/issues/${pair.issue_id}`, bearer.viewer, issueParams(pair.issue_id)), body),
          403,
          "FORBIDDEN",
        );
      }
      // The seed's literal body names "user-id-123": an unknown issue is 404 all the same.
      for (const body of [seedBody(), { ...seedBody(), issue_resolved_by: "user-id-123" }]) {
        expectEnvelope(
          await put(putIssue, at("/api/issues/987654321", bearer.editor, issueParams(987654321)), body),
          404,
          "NOT_FOUND",
        );
      }
    });

    it("an issue_resolved_by naming no member of the company → 400 naming the field (see the README's differences)", async () => {
      const pair = await issueWith("pair@example.com");
      const error = expectEnvelope(
        await put(putIssue, at(`/api/issues/${pair.issue_id}`, bearer.editor, issueParams(pair.issue_id)), {
          ...seedBody(),
          issue_resolved_by: "user-id-123",
        }),
        400,
        "VALIDATION_ERROR",
      );
      expect(error.message).toMatch(/resolved_by.*user-id-123/);
    });
  });

  describe("PUT /api/staging/{staging_id}", () => {
    const seedBody = {
      staging_email: "updated@example.com",
      staging_first_name: "John",
      staging_last_name: "Doe",
      staging_company: "Updated Company",
      staging_status: "READY",
    };

    it("the seed's body updates the row and answers it", async () => {
      const duplicate = await issueWith("test@example.com");
      johnRow = duplicate.affected_rows.find((row) => row.staging_first_name === "John")?.staging_id ?? 0;
      const updated = json<SeedRow>(
        await call(putStaging, `/api/staging/${johnRow}`, {
          bearer: bearer.editor,
          method: "PUT",
          params: { staging_id: String(johnRow) },
          body: seedBody,
        }),
      );
      expect(Object.keys(updated)).toEqual(expect.arrayContaining([...SEED_ROW_FIELDS, "staging_job_id"]));
      expect(updated).not.toHaveProperty("staging_row_hash");
      expect(updated).toMatchObject({
        staging_id: johnRow,
        staging_job_id: jobId,
        staging_email: "updated@example.com",
        staging_first_name: "John",
        staging_last_name: "Doe",
        staging_company: "Updated Company",
        staging_created_at: expect.stringMatching(isoTimestamp) as unknown,
        staging_status: "READY",
      });
    });

    it("without the editor group → 403; an unknown row → 404", async () => {
      const send = (token: string, id: number) =>
        call(putStaging, `/api/staging/${id}`, {
          bearer: token,
          method: "PUT",
          params: { staging_id: String(id) },
          body: seedBody,
        });
      expectEnvelope(await send(bearer.viewer, johnRow), 403, "FORBIDDEN");
      expectEnvelope(await send(bearer.editor, 987654321), 404, "NOT_FOUND");
    });

    it("with every issue resolved the rows land as contacts", async () => {
      for (const issue of (await issuesOfJob(jobId)).issues.filter((each) => !each.issue_resolved)) {
        json(
          await put(putIssue, at(`/api/issues/${issue.issue_id}`, bearer.editor, issueParams(issue.issue_id)), {
            issue_resolved: true,
          }),
        );
      }
      await drain();
      expect(await issuesOfJob(jobId)).toMatchObject({ resolved_count: 2, unresolved_count: 0 });
    });
  });

  describe("GET /api/contacts, ?email=", () => {
    it("every contact with its staging row and the member whose upload landed it, newest first", async () => {
      const list = json<SeedContactList>(
        await call(listContacts, "/api/contacts?page_size=200", { bearer: bearer.viewer }),
      );
      // 146 clean rows, John's edited row, Jane's (no longer a duplicate once John's email changed), the variants file's.
      expect(list.total).toBe(149);
      for (const contact of list.contacts)
        expect(Object.keys(contact)).toEqual(expect.arrayContaining([...SEED_CONTACT_FIELDS]));
      const created = list.contacts.map((contact) => contact.contact_created_at);
      expect(created).toEqual([...created].sort().reverse());
      expect(list.contacts.every((contact) => contact.contacts_user_id === uploader.id)).toBe(true);
    });

    it("?email= → the list of that one contact; an unknown email → 404", async () => {
      const found = json<SeedContactList>(
        await call(listContacts, "/api/contacts?email=updated@example.com", { bearer: bearer.viewer }),
      );
      expect(found.total).toBe(1);
      expect(found.contacts).toHaveLength(1);
      const [john] = found.contacts;
      expect(Object.keys(john ?? {})).toEqual(expect.arrayContaining([...SEED_CONTACT_FIELDS]));
      expect(john).toMatchObject({
        staging_id: johnRow,
        contacts_user_id: uploader.id,
        contact_email: "updated@example.com",
        contact_first_name: "John",
        contact_last_name: "Doe",
        contact_company: "Updated Company",
        contact_created_at: expect.stringMatching(isoTimestamp) as unknown,
      });
      expectEnvelope(
        await call(listContacts, "/api/contacts?email=nobody@example.com", { bearer: bearer.viewer }),
        404,
        "NOT_FOUND",
      );
    });
  });

  describe("POST /api/jobs/{job_id}/reprocess and DELETE /api/jobs/{job_id}", () => {
    it("reprocess → job_id, message and s3_key; without the uploader group 403; an unknown job 404", async () => {
      const send = (token: string, id: number) =>
        call(reprocessJob, `/api/jobs/${id}/reprocess`, { bearer: token, method: "POST", params: jobParams(id) });
      const queued = json<{ job_id: number; message: string; s3_key: string }>(await send(bearer.uploader, jobId));
      expect(queued).toEqual(
        expect.objectContaining({
          job_id: jobId,
          message: `Job ${jobId} queued for reprocessing`,
          s3_key: expect.any(String) as unknown,
        }),
      );
      await drain();
      expectEnvelope(await send(bearer.viewer, jobId), 403, "FORBIDDEN");
      expectEnvelope(await send(bearer.uploader, 987654321), 404, "NOT_FOUND");
    });

    it("delete a job in review → message and job_id, its issues gone; a COMPLETED job 400; no editor 403; unknown 404", async () => {
      const review = uploaded(
        await uploadDirect(
          bearer.uploader,
          "to-delete.csv",
          HEADER + "gone@example.com,A,B,C\ngone@example.com,D,E,F\n",
        ),
      );
      await drain();
      const completed = uploaded(
        await uploadDirect(bearer.uploader, "clean.csv", HEADER + "clean@example.com,A,B,C\n"),
      );
      await drain();
      const send = (token: string, id: number) =>
        call(deleteJob, `/api/jobs/${id}`, { bearer: token, method: "DELETE", params: jobParams(id) });

      expectEnvelope(await send(bearer.uploader, review.job_id), 403, "FORBIDDEN");
      expect(json(await send(bearer.editor, review.job_id))).toEqual(
        expect.objectContaining({ message: `Job ${review.job_id} cancelled successfully`, job_id: review.job_id }),
      );
      expectEnvelope(
        await get(jobIssues, at(`/api/issues/job/${review.job_id}`, bearer.viewer, jobParams(review.job_id))),
        404,
        "NOT_FOUND",
      );
      expectEnvelope(await send(bearer.editor, completed.job_id), 400, "BAD_REQUEST");
      expectEnvelope(await send(bearer.editor, 987654321), 404, "NOT_FOUND");
    });
  });
});
