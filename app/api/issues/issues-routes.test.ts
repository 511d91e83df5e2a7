import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { findJobForWorker } from "@/db/queries/jobs";
import { contactChanges, contacts, issues, jobs, type Company } from "@/db/schema";
import { drain } from "@/lib/background/in-process/runner";
import { describeEachBackend } from "@/test/database";
import { createCompany, createUser, unique, type TestUser } from "@/test/fixtures";
import { anyString, expectEnvelope } from "@/test/http";
import {
  HEADER,
  addContact,
  api,
  issueSummary,
  keysFor,
  ok,
  processedJob,
  reviewCompany,
  rowStatuses,
  stagingIds,
  type IssueJson,
  type IssueListJson,
  type Keys,
} from "@/test/review";

const ZERO = { DUPLICATE_EMAIL: 0, INVALID_EMAIL: 0, MISSING_EMAIL: 0, CONTACT_CONFLICT: 0 };

/** A duplicate pair (rows 2, 3), an invalid email (row 4) and a missing one (row 5): three issues. */
const threeIssues = (tag: string) =>
  HEADER +
  `${tag}-dup@example.com,Ana,Silva,Acme\n${tag}-dup@example.com,Bo,Souza,Globex\n${tag}-bad,Cy,Lima,Initech\n,Di,Costa,Hooli\n`;

/** One email on 25 rows under 25 names (rows 2–26), and an invalid email (row 27): two issues. */
const bigDuplicate = (tag: string) =>
  HEADER +
  Array.from({ length: 25 }, (_, index) => `${tag}-many@example.com,Name${index},Last${index},Acme\n`).join("") +
  `${tag}-worse,X,Y,Z\n`;

describeEachBackend("issues routes", (database) => {
  const tenant = reviewCompany(database, "Issues Co");
  // resolved_by must name a member of the company.
  let member: TestUser;
  beforeAll(async () => {
    member = await createUser(database.db, { memberOf: [{ company: tenant.company, groups: ["editor"] }] });
  });

  const issuesOfJob = async (jobId: number, viewer = tenant.keys.viewer) =>
    ok<IssueListJson>(await api.jobIssues(viewer, jobId)).issues;
  const issueOf = async (jobId: number, type: string, viewer = tenant.keys.viewer) => {
    const found = (await issuesOfJob(jobId, viewer)).find((issue) => issue.issue_type === type);
    if (!found) throw new Error(`job ${jobId} has no ${type} issue`);
    return found;
  };

  describe("lists: filters, pages and counts", () => {
    let first: number;
    let second: number;

    beforeAll(async () => {
      first = await processedJob(tenant.keys.uploader, threeIssues(unique()));
      second = await processedJob(tenant.keys.uploader, bigDuplicate(unique()));
    });

    const all = { DUPLICATE_EMAIL: 2, INVALID_EMAIL: 2, MISSING_EMAIL: 1, CONTACT_CONFLICT: 0 };
    it.each([
      { query: "", total: 5, resolved: 0, unresolved: 5, byType: all },
      { query: "?type=DUPLICATE_EMAIL", total: 2, resolved: 0, unresolved: 2, byType: all },
      { query: "?type=MISSING_EMAIL&resolved=false", total: 1, resolved: 0, unresolved: 1, byType: all },
      { query: "?resolved=true", total: 0, resolved: 0, unresolved: 5, byType: all },
      { query: "?type=CONTACT_CONFLICT", total: 0, resolved: 0, unresolved: 0, byType: all },
    ])("GET /api/issues$query → total $total", async ({ query, total, resolved, unresolved, byType }) => {
      const list = ok<IssueListJson>(await api.listIssues(tenant.keys.viewer, query));
      expect(list).toMatchObject({
        total,
        resolved_count: resolved,
        unresolved_count: unresolved,
        by_type: byType,
        page: 1,
        page_size: 50,
      });
      expect(list.issues).toHaveLength(total);
    });

    it("?job_id narrows every count to the job", async () => {
      const list = ok<IssueListJson>(await api.listIssues(tenant.keys.viewer, `?job_id=${first}`));
      expect(list).toMatchObject({
        total: 3,
        unresolved_count: 3,
        by_type: { ...ZERO, DUPLICATE_EMAIL: 1, INVALID_EMAIL: 1, MISSING_EMAIL: 1 },
      });
      expect(new Set(list.issues.map((issue) => issue.issues_job_id))).toEqual(new Set([first]));
      expect(ok<IssueListJson>(await api.jobIssues(tenant.keys.viewer, second, "?type=INVALID_EMAIL"))).toMatchObject({
        total: 1,
        unresolved_count: 1,
        by_type: { ...ZERO, DUPLICATE_EMAIL: 1, INVALID_EMAIL: 1 },
        issues: [{ issue_type: "INVALID_EMAIL", issue_subject: "27" }],
      });
    });

    it("pages cover every issue once, newest first, with the total on each page", async () => {
      const everything = ok<IssueListJson>(await api.listIssues(tenant.keys.viewer)).issues.map(
        (issue) => issue.issue_id,
      );
      const pages = [];
      for (const page of [1, 2, 3]) {
        const list = ok<IssueListJson>(await api.listIssues(tenant.keys.viewer, `?page=${page}&page_size=2`));
        expect(list).toMatchObject({ total: 5, page, page_size: 2 });
        pages.push(...list.issues.map((issue) => issue.issue_id));
      }
      expect(pages).toEqual(everything);
      // The second job's issues came last, so they are listed first.
      expect(everything.slice(0, 2).sort()).toEqual((await issuesOfJob(second)).map((issue) => issue.issue_id).sort());
      expect(ok<IssueListJson>(await api.listIssues(tenant.keys.viewer, "?page=4&page_size=2"))).toMatchObject({
        issues: [],
        total: 5,
      });
    });

    it(`a list shows at most 20 rows of an issue (the first by row); the issue itself shows them all`, async () => {
      const listed = await issueOf(second, "DUPLICATE_EMAIL");
      expect(listed.affected_row_count).toBe(25);
      expect(listed.affected_rows.map((row) => row.staging_row_number)).toEqual(
        Array.from({ length: 20 }, (_, index) => index + 2),
      );
      const whole = ok<IssueJson>(await api.getIssue(tenant.keys.viewer, listed.issue_id));
      expect(whole.affected_row_count).toBe(25);
      expect(whole.affected_rows.map((row) => row.staging_row_number)).toEqual(
        Array.from({ length: 25 }, (_, index) => index + 2),
      );
      expect(JSON.stringify(whole)).not.toMatch(/issue_key|row_hash|cells/);
    });

    it("resolved and unresolved counts follow a resolution; by_type counts open issues only", async () => {
      const missing = await issueOf(first, "MISSING_EMAIL");
      ok(await api.putIssue(tenant.keys.editor, missing.issue_id, { resolved: true }));
      expect(ok<IssueListJson>(await api.listIssues(tenant.keys.viewer, "?resolved=true"))).toMatchObject({
        total: 1,
        resolved_count: 1,
        unresolved_count: 4,
        by_type: { ...all, MISSING_EMAIL: 0 },
        issues: [{ issue_id: missing.issue_id }],
      });
      expect(ok<IssueListJson>(await api.jobIssues(tenant.keys.viewer, first, "?resolved=false"))).toMatchObject({
        total: 2,
        resolved_count: 1,
        unresolved_count: 2,
      });
    });

    it.each([
      { query: "?page_size=201", field: "query.page_size" },
      { query: "?page=0", field: "query.page" },
      { query: "?resolved=yes", field: "query.resolved" },
      { query: "?type=TYPO", field: "query.type" },
      { query: "?job_id=abc", field: "query.job_id" },
    ])("GET /api/issues$query → 400 naming $field", async ({ query, field }) => {
      const error = expectEnvelope(await api.listIssues(tenant.keys.viewer, query), 400, "VALIDATION_ERROR");
      expect(error.message).toMatch(new RegExp(`^Invalid ${field.replace(".", "\\.")}: `));
    });

    it("an unknown issue or job → 404; a bad id → 400", async () => {
      expect(expectEnvelope(await api.getIssue(tenant.keys.viewer, 987_654_321), 404, "NOT_FOUND").message).toBe(
        "Issue 987654321 not found",
      );
      expect(expectEnvelope(await api.jobIssues(tenant.keys.viewer, 987_654_321), 404, "NOT_FOUND").message).toBe(
        "Job 987654321 not found",
      );
      expect(
        expectEnvelope(await api.listIssues(tenant.keys.viewer, "?job_id=987654321"), 404, "NOT_FOUND").message,
      ).toBe("Job 987654321 not found");
      expectEnvelope(await api.getIssue(tenant.keys.viewer, -1), 400, "VALIDATION_ERROR");
    });
  });

  describe("PUT /api/issues/{issue_id}", () => {
    let jobId: number;
    let rows: Map<number, number>;
    beforeAll(async () => {
      jobId = await processedJob(tenant.keys.uploader, threeIssues(unique()));
      rows = await stagingIds(database.db, jobId);
    });

    it("resolving names the caller and skips the issue's rows; resolving again keeps the first time", async () => {
      const invalid = await issueOf(jobId, "INVALID_EMAIL");
      const resolved = ok<IssueJson>(
        await api.putIssue(tenant.keys.editor, invalid.issue_id, { resolved: true, resolution_comment: "Unusable" }),
      );
      expect(resolved).toMatchObject({
        issue_resolved: true,
        issue_resolved_at: anyString,
        issue_resolved_by: expect.stringMatching(/^api-key:editor-/) as unknown,
        issue_resolution_comment: "Unusable",
        affected_rows: [{ staging_row_number: 4, staging_status: "SKIPPED" }],
      });
      const again = ok<IssueJson>(
        await api.putIssue(tenant.keys.editor, invalid.issue_id, {
          resolved: true,
          resolved_by: member.email?.toUpperCase(),
        }),
      );
      expect(again).toMatchObject({
        issue_resolved_at: resolved.issue_resolved_at,
        issue_resolved_by: member.email,
        issue_resolution_comment: "Unusable",
      });
    });

    it("reopening forgets who and when, and puts back every row the resolution changed: a kept duplicate's rows are both ISSUE again", async () => {
      const duplicate = await issueOf(jobId, "DUPLICATE_EMAIL");
      ok(await api.keep(tenant.keys.editor, duplicate.issue_id, { staging_id: rows.get(3) }));
      expect(await rowStatuses(database.db, jobId)).toMatchObject({ 2: "SKIPPED", 3: "READY" });
      const reopened = ok<IssueJson>(await api.putIssue(tenant.keys.editor, duplicate.issue_id, { resolved: false }));
      expect(reopened).toMatchObject({ issue_resolved: false, issue_resolved_at: null, issue_resolved_by: null });
      expect(await rowStatuses(database.db, jobId)).toMatchObject({ 2: "ISSUE", 3: "ISSUE" });
    });

    it("words change without touching the state", async () => {
      const missing = await issueOf(jobId, "MISSING_EMAIL");
      const changed = ok<IssueJson>(
        await api.putIssue(tenant.keys.editor, missing.issue_id, { description: "Ask Di for an email" }),
      );
      expect(changed).toMatchObject({
        issue_description: "Ask Di for an email",
        issue_resolved: false,
        issue_resolved_by: null,
      });
      // resolved_by means nothing on an open issue.
      expect(
        ok<IssueJson>(await api.putIssue(tenant.keys.editor, missing.issue_id, { resolved_by: member.id })),
      ).toMatchObject({ issue_resolved_by: null });
    });

    it.each([
      { body: {}, message: /^Invalid body: Send at least one of/ },
      { body: { issue_state: "closed" }, message: /^Invalid body: Unrecognized key/ },
      {
        body: { resolved: true, issue_resolved: false },
        message: /^Invalid body\.issue_resolved: issue_resolved and resolved name the same field with different values/,
      },
      { body: { resolved: "yes" }, message: /^Invalid body\.resolved: / },
    ])("body $body → 400", async ({ body, message }) => {
      const missing = await issueOf(jobId, "MISSING_EMAIL");
      expect(
        expectEnvelope(await api.putIssue(tenant.keys.editor, missing.issue_id, body), 400, "VALIDATION_ERROR").message,
      ).toMatch(message);
    });
  });

  describe("POST /api/issues/resolve", () => {
    let jobId: number;
    let other: Company;
    let otherKeys: Keys;
    beforeAll(async () => {
      jobId = await processedJob(tenant.keys.uploader, threeIssues(unique()));
      other = await createCompany(database.db, "Other Co");
      otherKeys = await keysFor(other);
    });

    it("an id that is not the company's → 404 naming every missing id, and nothing is resolved", async () => {
      const ids = (await issuesOfJob(jobId)).map((issue) => issue.issue_id);
      const theirs = await processedJob(otherKeys.uploader, threeIssues(unique()));
      const foreign = (await issuesOfJob(theirs, otherKeys.viewer)).map((issue) => issue.issue_id);
      const error = expectEnvelope(
        await api.resolve(tenant.keys.editor, { issue_ids: [...ids, ...foreign, 987_654_321] }),
        404,
        "NOT_FOUND",
      );
      expect(error.message).toBe(`Issues not found: ${[...foreign, 987_654_321].join(", ")}`);
      expect(error.details).toEqual({ missing_issue_ids: [...foreign, 987_654_321] });
      expect((await issueSummary(database.db, jobId)).every((line) => line.includes(" open "))).toBe(true);
    });

    it("resolves the open ones in one go, leaves resolved ones as they were, and the job then finishes", async () => {
      const [first, ...rest] = await issuesOfJob(jobId);
      if (!first) throw new Error("no issue");
      const earlier = ok<IssueJson>(
        await api.putIssue(tenant.keys.editor, first.issue_id, { resolved: true, resolved_by: member.id }),
      );
      const ids = [first.issue_id, ...rest.map((issue) => issue.issue_id)];
      const result = ok<{ resolved: number; rows_skipped: number; issues: IssueJson[] }>(
        await api.resolve(tenant.keys.editor, { issue_ids: [...ids, ...ids], resolution_comment: "Bulk" }),
      );
      expect(result.resolved).toBe(2);
      // The first issue's row was skipped when it was resolved; the other two issues' three rows now.
      expect(result.rows_skipped).toBe(3);
      expect(result.issues.map((issue) => issue.issue_id)).toEqual([...ids].sort((x, y) => x - y));
      expect(result.issues.find((issue) => issue.issue_id === first.issue_id)).toMatchObject({
        issue_resolved_by: member.email,
        issue_resolved_at: earlier.issue_resolved_at,
        issue_resolution_comment: null,
      });
      for (const issue of result.issues.filter((each) => each.issue_id !== first.issue_id)) {
        expect(issue).toMatchObject({
          issue_resolved: true,
          issue_resolution_comment: "Bulk",
          issue_resolved_by: expect.stringMatching(/^api-key:editor-/) as unknown,
        });
      }
      await drain();
      // Nobody kept a row of the duplicate, nor fixed an email: every row had an issue, so none is imported.
      expect(await findJobForWorker({ jobId })).toMatchObject({
        status: "COMPLETED",
        insertedCount: 0,
        skippedCount: 4,
      });
      expect(await rowStatuses(database.db, jobId)).toEqual({ 2: "SKIPPED", 3: "SKIPPED", 4: "SKIPPED", 5: "SKIPPED" });
    });

    it("issues of a job not in review → 409 naming the job; already resolved ones pass", async () => {
      const waiting = await processedJob(tenant.keys.uploader, threeIssues(unique()));
      const ids = (await issuesOfJob(waiting)).map((issue) => issue.issue_id);
      await database.db.update(jobs).set({ status: "FAILED" }).where(eq(jobs.id, waiting));
      const error = expectEnvelope(await api.resolve(tenant.keys.editor, { issue_ids: ids }), 409, "CONFLICT");
      expect(error.message).toBe(
        `Issues can be resolved only while their job is NEEDS_REVIEW; job ${waiting} is FAILED`,
      );
      expect(error.details).toEqual({ jobs: [{ job_id: waiting, status: "FAILED" }] });
      const done = (await issuesOfJob(jobId)).map((issue) => issue.issue_id);
      expect(ok<{ resolved: number }>(await api.resolve(tenant.keys.editor, { issue_ids: done })).resolved).toBe(0);
    });

    it.each([
      { body: { issue_ids: [] }, message: /^Invalid body\.issue_ids: / },
      {
        body: { issue_ids: Array.from({ length: 501 }, (_, index) => index + 1) },
        message: /^Invalid body\.issue_ids: /,
      },
      { body: { issue_ids: ["a"] }, message: /^Invalid body\.issue_ids\.0: / },
      { body: {}, message: /^Invalid body\.issue_ids: / },
    ])("a bad body → 400", async ({ body, message }) => {
      expect(expectEnvelope(await api.resolve(tenant.keys.editor, body), 400, "VALIDATION_ERROR").message).toMatch(
        message,
      );
    });
  });

  describe("POST /api/issues/{issue_id}/keep: one of the rows, or the existing contact", () => {
    type Target = { jobId: number; rows: Map<number, number>; conflict: number; duplicate: number };
    /** Row 2 conflicts with the company's t-carol, rows 3 and 4 are a duplicate pair, row 5 is clean. */
    const START = { 2: "ISSUE", 3: "ISSUE", 4: "ISSUE", 5: "READY" };
    async function conflictJob(owner: Company, ownerKeys: Keys): Promise<Target> {
      const tag = unique();
      await addContact(database.db, owner, {
        email: `${tag}-carol@example.com`,
        firstName: "Carol",
        lastName: "Old",
        company: "Initech",
      });
      const jobId = await processedJob(
        ownerKeys.uploader,
        HEADER +
          `${tag}-carol@example.com,Carla,New,Initech\n${tag}-dup@example.com,Ana,Silva,Acme\n` +
          `${tag}-dup@example.com,Bo,Souza,Globex\n${tag}-ok@example.com,Di,Costa,Hooli\n`,
      );
      return {
        jobId,
        rows: await stagingIds(database.db, jobId),
        conflict: (await issueOf(jobId, "CONTACT_CONFLICT", ownerKeys.viewer)).issue_id,
        duplicate: (await issueOf(jobId, "DUPLICATE_EMAIL", ownerKeys.viewer)).issue_id,
      };
    }

    /** One job reused by the cases that change nothing; a fresh one for each that decides. */
    const targets: Partial<Record<"mine" | "theirs" | "finished", Target>> = {};
    beforeAll(async () => {
      const other = await createCompany(database.db, "Keep Elsewhere");
      targets.mine = await conflictJob(tenant.company, tenant.keys);
      targets.theirs = await conflictJob(other, await keysFor(other));
      targets.finished = await conflictJob(tenant.company, tenant.keys);
      await database.db.update(jobs).set({ status: "FAILED" }).where(eq(jobs.id, targets.finished.jobId));
    });

    const keepRow2 = (target: Target) => ({ staging_id: target.rows.get(2) });
    const keepExisting = () => ({ existing: true });
    type Case = {
      name: string;
      who: "editor" | "viewer" | "uploader";
      job: keyof typeof targets | "fresh";
      issue: "conflict" | "duplicate";
      body: (target: Target) => Record<string, unknown>;
      status: number;
      message?: (target: Target) => string;
      statuses: Record<number, string>;
    };
    const bodies = [
      { choice: "{staging_id}", body: keepRow2, what: "a row of its issues can be kept" },
      { choice: "{existing: true}", body: keepExisting, what: "the existing contact of its issues can be kept" },
    ];
    const cases: Case[] = [
      {
        name: "{staging_id} of a conflict: that row READY",
        who: "editor",
        job: "fresh",
        issue: "conflict",
        body: keepRow2,
        status: 200,
        statuses: { ...START, 2: "READY" },
      },
      {
        name: "{existing: true} of a conflict: its row SKIPPED",
        who: "editor",
        job: "fresh",
        issue: "conflict",
        body: keepExisting,
        status: 200,
        statuses: { ...START, 2: "SKIPPED" },
      },
      {
        name: "{existing: true} of a duplicate → 400",
        who: "editor",
        job: "mine",
        issue: "duplicate",
        body: keepExisting,
        status: 400,
        message: (target) =>
          `Issue ${target.duplicate} is DUPLICATE_EMAIL; only a CONTACT_CONFLICT issue has an existing contact to keep`,
        statuses: START,
      },
      ...(["viewer", "uploader"] as const).flatMap((who) =>
        bodies.map(({ choice, body }): Case => ({
          name: `${choice} by a ${who} → 403`,
          who,
          job: "mine",
          issue: "conflict",
          body,
          status: 403,
          statuses: START,
        })),
      ),
      ...bodies.map(({ choice, body }): Case => ({
        name: `${choice} of another company's conflict → 404`,
        who: "editor",
        job: "theirs",
        issue: "conflict",
        body,
        status: 404,
        message: (target) => `Issue ${target.conflict} not found`,
        statuses: START,
      })),
      ...bodies.map(({ choice, body, what }): Case => ({
        name: `${choice} while the job is not NEEDS_REVIEW → 409`,
        who: "editor",
        job: "finished",
        issue: "conflict",
        body,
        status: 409,
        message: (target) => `Job ${target.jobId} is FAILED; ${what} only while it is NEEDS_REVIEW`,
        statuses: START,
      })),
    ];

    it.each(cases)("$name", async ({ who, job, issue, body, status, message, statuses }) => {
      const target = job === "fresh" ? await conflictJob(tenant.company, tenant.keys) : targets[job];
      if (!target) throw new Error(`no ${job} job`);
      const issueId = target[issue];
      const result = await api.keep(tenant.keys[who], issueId, { ...body(target), resolution_comment: "Decided" });
      expect(result.status, JSON.stringify(result.json)).toBe(status);
      if (message) expect((result.json as { error: { message: string } }).error.message).toBe(message(target));
      expect(await rowStatuses(database.db, target.jobId)).toEqual(statuses);
      const [stored] = await database.db
        .select({ resolved: issues.resolved, comment: issues.resolutionComment })
        .from(issues)
        .where(eq(issues.id, issueId));
      expect(stored).toEqual(
        status === 200 ? { resolved: true, comment: "Decided" } : { resolved: false, comment: null },
      );
    });

    it.each([
      { body: { existing: true, staging_id: 1 }, message: /^Invalid body: Unrecognized key: "staging_id"/ },
      { body: { existing: "yes" }, message: /^Invalid body\.existing: / },
      { body: {}, message: /^Invalid body\.staging_id: / },
      { body: { existing: false }, message: /^Invalid body\.staging_id: / },
    ])("body $body → 400", async ({ body, message }) => {
      const target = targets.mine;
      if (!target) throw new Error("no job");
      expect(
        expectEnvelope(await api.keep(tenant.keys.editor, target.conflict, body), 400, "VALIDATION_ERROR").message,
      ).toMatch(message);
    });

    it("keeping the existing contact leaves it as it was, and the job finishes without the file's row", async () => {
      const tag = unique();
      const before = await addContact(database.db, tenant.company, {
        email: `${tag}-old@example.com`,
        firstName: "Old",
        lastName: "One",
        company: "Acme",
      });
      const jobId = await processedJob(
        tenant.keys.uploader,
        HEADER + `${tag}-old@example.com,New,One,Acme\n${tag}-fresh@example.com,Fresh,One,Acme\n`,
      );
      const conflict = await issueOf(jobId, "CONTACT_CONFLICT");
      const kept = ok<IssueJson>(await api.keep(tenant.keys.editor, conflict.issue_id, { existing: true }));
      expect(kept).toMatchObject({
        issue_resolved: true,
        issue_resolved_by: expect.stringMatching(/^api-key:editor-/) as unknown,
        issue_resolution_comment: null,
        affected_rows: [{ staging_row_number: 2, staging_status: "SKIPPED" }],
        existing_contact: { contact_id: before.id, contact_first_name: "Old" },
      });
      await drain();
      expect(await findJobForWorker({ jobId })).toMatchObject({
        status: "COMPLETED",
        insertedCount: 1,
        updatedCount: 0,
        skippedCount: 1,
      });
      const [after] = await database.db.select().from(contacts).where(eq(contacts.id, before.id));
      expect(after).toEqual(before);
      expect(await database.db.select().from(contactChanges).where(eq(contactChanges.jobId, jobId))).toEqual([]);
    });
  });

  describe("POST /api/issues/{issue_id}/keep", () => {
    it("only duplicates and conflicts have a row to keep, and only one of their own rows", async () => {
      const jobId = await processedJob(tenant.keys.uploader, threeIssues(unique()));
      const rows = await stagingIds(database.db, jobId);
      const invalid = await issueOf(jobId, "INVALID_EMAIL");
      const duplicate = await issueOf(jobId, "DUPLICATE_EMAIL");
      const notKeepable = expectEnvelope(
        await api.keep(tenant.keys.editor, invalid.issue_id, { staging_id: rows.get(4) }),
        400,
        "BAD_REQUEST",
      );
      expect(notKeepable.message).toBe(
        `Issue ${invalid.issue_id} is INVALID_EMAIL; only DUPLICATE_EMAIL and CONTACT_CONFLICT issues have a row to keep`,
      );
      const stranger = expectEnvelope(
        await api.keep(tenant.keys.editor, duplicate.issue_id, { staging_id: rows.get(4) }),
        400,
        "BAD_REQUEST",
      );
      expect(stranger.message).toBe(`Staging row ${rows.get(4)} is not one of issue ${duplicate.issue_id}'s rows`);
      expect(await rowStatuses(database.db, jobId)).toEqual({ 2: "ISSUE", 3: "ISSUE", 4: "ISSUE", 5: "ISSUE" });
    });

    it("keeping the file's row of a conflict updates the contact, recording its previous values, job and row", async () => {
      const tag = unique();
      const seedJob = await processedJob(tenant.keys.uploader, HEADER + `${tag}-carol@example.com,Carol,Old,Initech\n`);
      const [before] = await database.db
        .select()
        .from(contacts)
        .where(eq(contacts.email, `${tag}-carol@example.com`));
      expect(before).toMatchObject({ lastJobId: seedJob, sourceJobId: seedJob });

      const jobId = await processedJob(
        tenant.keys.uploader,
        HEADER + `${tag}-carol@example.com,Carla,New,Initech\n${tag}-new@example.com,Nia,New,Hooli\n`,
      );
      const rows = await stagingIds(database.db, jobId);
      const conflict = await issueOf(jobId, "CONTACT_CONFLICT");
      expect(conflict.existing_contact).toMatchObject({ contact_first_name: "Carol", contact_last_job_id: seedJob });
      ok(
        await api.keep(tenant.keys.editor, conflict.issue_id, {
          staging_id: rows.get(2),
          resolution_comment: "Carla now",
        }),
      );
      await drain();

      expect(await findJobForWorker({ jobId })).toMatchObject({
        status: "COMPLETED",
        insertedCount: 1,
        updatedCount: 1,
        skippedCount: 0,
      });
      const [after] = await database.db
        .select()
        .from(contacts)
        .where(eq(contacts.email, `${tag}-carol@example.com`));
      expect(after).toMatchObject({
        firstName: "Carla",
        lastName: "New",
        sourceJobId: seedJob,
        lastJobId: jobId,
        stagingId: rows.get(2),
      });
      const changes = await database.db.select().from(contactChanges).where(eq(contactChanges.jobId, jobId));
      expect(changes).toEqual([
        expect.objectContaining({
          action: "UPDATE",
          contactId: before?.id,
          previous: {
            firstName: "Carol",
            lastName: "Old",
            company: "Initech",
            lastJobId: seedJob,
            stagingId: before?.stagingId,
          },
        }),
      ]);
    });

    it("in import mode create a kept conflict row cannot update: it is skipped and the contact left alone", async () => {
      const tag = unique();
      await addContact(database.db, tenant.company, {
        email: `${tag}-old@example.com`,
        firstName: "Old",
        lastName: "One",
        company: "Acme",
      });
      const jobId = await processedJob(
        tenant.keys.uploader,
        HEADER + `${tag}-old@example.com,New,One,Acme\n${tag}-fresh@example.com,Fresh,One,Acme\n`,
        "create",
      );
      const rows = await stagingIds(database.db, jobId);
      const conflict = await issueOf(jobId, "CONTACT_CONFLICT");
      ok(await api.keep(tenant.keys.editor, conflict.issue_id, { staging_id: rows.get(2) }));
      await drain();
      // The same import mode as the first pass: `create` never updates, so the kept row is skipped.
      expect(await findJobForWorker({ jobId })).toMatchObject({
        status: "COMPLETED",
        insertedCount: 1,
        updatedCount: 0,
        skippedCount: 1,
      });
      const [old] = await database.db
        .select()
        .from(contacts)
        .where(eq(contacts.email, `${tag}-old@example.com`));
      expect(old).toMatchObject({ firstName: "Old" });
    });
  });
});
