import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { findJobForWorker } from "@/db/queries/jobs";
import { contacts, jobs } from "@/db/schema";
import { drain } from "@/lib/background/in-process/runner";
import { describeEachBackend } from "@/test/database";
import { unique } from "@/test/fixtures";
import { expectEnvelope } from "@/test/http";
import {
  HEADER,
  addContact,
  api,
  issueSummary,
  ok,
  processedJob,
  reviewCompany,
  rowStatuses,
  stagingIds,
  type IssueListJson,
  type Keys,
  type StagingJson,
} from "@/test/review";

type Edited = StagingJson & { open_issues: { issue_id: number; issue_type: string }[] };

/**
 * The job every case starts from (tag `t`), with the company's contacts t-carol (Carol Old, Initech) and
 * t-dave (Dave Old, Acme):
 *   row 2  t-ana    Ana Silva Acme         clean, READY
 *   row 3  t-bad    Bo Souza Globex        INVALID_EMAIL:3
 *   row 4  t-dup    Cy Lima Initech        ┐ DUPLICATE_EMAIL:t-dup
 *   row 5  t-dup    Di Costa Hooli         ┘
 *   row 6  t-carol  Carla New Initech      CONTACT_CONFLICT:t-carol
 */
const file = (t: string) =>
  HEADER +
  `${t}-ana@example.com,Ana,Silva,Acme\n` +
  `${t}-bad,Bo,Souza,Globex\n` +
  `${t}-dup@example.com,Cy,Lima,Initech\n` +
  `${t}-dup@example.com,Di,Costa,Hooli\n` +
  `${t}-carol@example.com,Carla,New,Initech\n`;

const start = (t: string) => [
  `CONTACT_CONFLICT:${t}-carol@example.com open [6]`,
  `DUPLICATE_EMAIL:${t}-dup@example.com open [4,5]`,
  "INVALID_EMAIL:3 open [3]",
];
const startStatuses = { 2: "READY", 3: "ISSUE", 4: "ISSUE", 5: "ISSUE", 6: "ISSUE" };

type Case = {
  name: string;
  /** Review steps taken before the edit. */
  before?: (review: Review) => Promise<void>;
  row: number;
  body: (t: string) => Record<string, unknown>;
  expected: (t: string) => {
    row: Partial<StagingJson>;
    open: string[];
    issues: string[];
    statuses: Record<number, string>;
  };
};

type Review = { t: string; jobId: number; rows: Map<number, number>; keys: Keys };

const cases: Case[] = [
  {
    name: "fix an invalid email: normalised, checked OK, READY; the issue loses the row and is resolved",
    row: 3,
    body: (t) => ({ email: `  ${t}-Bo@Example.COM ` }),
    expected: (t) => ({
      row: { staging_email: `${t}-bo@example.com`, staging_row_check: "OK", staging_status: "READY" },
      open: [],
      issues: [start(t)[0], start(t)[1], "INVALID_EMAIL:3 resolved []"].map(String),
      statuses: { ...startStatuses, 3: "READY" },
    }),
  },
  {
    name: "blank the email: MISSING_EMAIL raised for the row",
    row: 2,
    body: () => ({ email: "   " }),
    expected: (t) => ({
      row: { staging_email: null, staging_row_check: "MISSING_EMAIL", staging_status: "ISSUE" },
      open: ["MISSING_EMAIL"],
      issues: [...start(t).slice(0, 2), "INVALID_EMAIL:3 open [3]", "MISSING_EMAIL:2 open [2]"],
      statuses: { ...startStatuses, 2: "ISSUE" },
    }),
  },
  {
    name: "break a clean email: INVALID_EMAIL raised for the row",
    row: 2,
    body: (t) => ({ email: `${t}-nope@` }),
    expected: (t) => ({
      row: { staging_email: `${t}-nope@`, staging_row_check: "INVALID_EMAIL", staging_status: "ISSUE" },
      open: ["INVALID_EMAIL"],
      issues: [...start(t).slice(0, 2), "INVALID_EMAIL:2 open [2]", "INVALID_EMAIL:3 open [3]"],
      statuses: { ...startStatuses, 2: "ISSUE" },
    }),
  },
  {
    name: "edit into a duplicate: a new DUPLICATE_EMAIL with both rows (and the invalid email's issue resolved)",
    row: 3,
    body: (t) => ({ email: `${t}-ana@example.com` }),
    expected: (t) => ({
      row: { staging_email: `${t}-ana@example.com`, staging_row_check: "OK", staging_status: "ISSUE" },
      open: ["DUPLICATE_EMAIL"],
      issues: [
        start(t)[0],
        `DUPLICATE_EMAIL:${t}-ana@example.com open [2,3]`,
        start(t)[1],
        "INVALID_EMAIL:3 resolved []",
      ].map(String),
      statuses: { ...startStatuses, 2: "ISSUE", 3: "ISSUE" },
    }),
  },
  {
    name: "edit into an existing duplicate: the row joins it",
    row: 2,
    body: (t) => ({ email: `${t}-DUP@example.com` }),
    expected: (t) => ({
      row: { staging_email: `${t}-dup@example.com`, staging_status: "ISSUE" },
      open: ["DUPLICATE_EMAIL"],
      issues: [start(t)[0], `DUPLICATE_EMAIL:${t}-dup@example.com open [2,4,5]`, start(t)[2]].map(String),
      statuses: { ...startStatuses, 2: "ISSUE" },
    }),
  },
  {
    name: "an exact copy of another row is the same contact twice, not a duplicate",
    row: 3,
    body: (t) => ({ email: `${t}-ana@example.com`, first_name: "ana ", last_name: "SILVA", company: "Acme" }),
    expected: (t) => ({
      row: {
        staging_email: `${t}-ana@example.com`,
        staging_first_name: "ana",
        staging_last_name: "SILVA",
        staging_status: "READY",
      },
      open: [],
      issues: [start(t)[0], start(t)[1], "INVALID_EMAIL:3 resolved []"].map(String),
      statuses: { ...startStatuses, 3: "READY" },
    }),
  },
  {
    name: "edit into a conflict: a new CONTACT_CONFLICT with the company's contact",
    row: 2,
    body: (t) => ({ email: `${t}-dave@example.com` }),
    expected: (t) => ({
      row: { staging_email: `${t}-dave@example.com`, staging_status: "ISSUE" },
      open: ["CONTACT_CONFLICT"],
      issues: [start(t)[0], `CONTACT_CONFLICT:${t}-dave@example.com open [2]`, start(t)[1], start(t)[2]].map(String),
      statuses: { ...startStatuses, 2: "ISSUE" },
    }),
  },
  {
    name: "edit onto another row's conflicting email: the row joins the conflict, and the two rows are a duplicate too",
    row: 2,
    body: (t) => ({ email: `${t}-carol@example.com` }),
    expected: (t) => ({
      row: { staging_email: `${t}-carol@example.com`, staging_status: "ISSUE" },
      open: ["CONTACT_CONFLICT", "DUPLICATE_EMAIL"],
      issues: [
        `CONTACT_CONFLICT:${t}-carol@example.com open [2,6]`,
        `DUPLICATE_EMAIL:${t}-carol@example.com open [2,6]`,
        start(t)[1],
        start(t)[2],
      ].map(String),
      statuses: { ...startStatuses, 2: "ISSUE" },
    }),
  },
  {
    name: "edit the conflicting row to be the contact (case and spaces aside): the conflict is resolved",
    row: 6,
    body: () => ({ first_name: " carol ", last_name: "OLD" }),
    expected: (t) => ({
      row: { staging_first_name: "carol", staging_last_name: "OLD", staging_status: "READY" },
      open: [],
      issues: [`CONTACT_CONFLICT:${t}-carol@example.com resolved []`, start(t)[1], start(t)[2]].map(String),
      statuses: { ...startStatuses, 6: "READY" },
    }),
  },
  {
    name: "a duplicate's rows become the same person: the duplicate is resolved, both READY",
    row: 5,
    body: () => ({ first_name: "Cy", last_name: "Lima", company: "Initech" }),
    expected: (t) => ({
      row: { staging_first_name: "Cy", staging_status: "READY" },
      open: [],
      issues: [start(t)[0], `DUPLICATE_EMAIL:${t}-dup@example.com resolved [4,5]`, start(t)[2]].map(String),
      statuses: { ...startStatuses, 4: "READY", 5: "READY" },
    }),
  },
  {
    name: "a duplicate's row moves to another email: the duplicate is resolved, the row left behind READY",
    row: 5,
    body: (t) => ({ email: `${t}-di@example.com` }),
    expected: (t) => ({
      row: { staging_email: `${t}-di@example.com`, staging_status: "READY" },
      open: [],
      issues: [start(t)[0], `DUPLICATE_EMAIL:${t}-dup@example.com resolved [4]`, start(t)[2]].map(String),
      statuses: { ...startStatuses, 4: "READY", 5: "READY" },
    }),
  },
  {
    name: "SKIPPED: the row is skipped and keeps its claim (the issue still needs resolving)",
    row: 3,
    body: () => ({ status: "SKIPPED" }),
    expected: (t) => ({
      row: { staging_status: "SKIPPED", staging_row_check: "INVALID_EMAIL" },
      open: ["INVALID_EMAIL"],
      issues: start(t),
      statuses: { ...startStatuses, 3: "SKIPPED" },
    }),
  },
  {
    name: "SKIPPED with an email that would duplicate: a skipped row raises nothing",
    row: 2,
    body: (t) => ({ status: "SKIPPED", email: `${t}-dup@example.com` }),
    expected: (t) => ({
      row: { staging_email: `${t}-dup@example.com`, staging_status: "SKIPPED" },
      open: [],
      issues: start(t),
      statuses: { ...startStatuses, 2: "SKIPPED" },
    }),
  },
  {
    name: "READY asked for a row an open issue claims: it stays ISSUE",
    row: 4,
    body: () => ({ status: "READY" }),
    expected: (t) => ({
      row: { staging_status: "ISSUE" },
      open: ["DUPLICATE_EMAIL"],
      issues: start(t),
      statuses: startStatuses,
    }),
  },
  {
    name: "READY after a skip, once nothing claims the row: READY again",
    before: async ({ rows, keys }) => {
      ok(await api.putStaging(keys.editor, rows.get(2) ?? 0, { status: "SKIPPED" }));
    },
    row: 2,
    body: () => ({ status: "READY" }),
    expected: (t) => ({ row: { staging_status: "READY" }, open: [], issues: start(t), statuses: startStatuses }),
  },
  {
    name: "edit into a duplicate already resolved: the issue is reopened, the rows its resolution kept and skipped are put back, and all need a decision again",
    before: async ({ jobId, rows, keys }) => {
      const list = ok<IssueListJson>(await api.jobIssues(keys.viewer, jobId, "?type=DUPLICATE_EMAIL"));
      ok(await api.keep(keys.editor, list.issues[0]?.issue_id ?? 0, { staging_id: rows.get(4) }));
    },
    row: 2,
    body: (t) => ({ email: `${t}-dup@example.com` }),
    expected: (t) => ({
      row: { staging_status: "ISSUE" },
      open: ["DUPLICATE_EMAIL"],
      issues: [start(t)[0], `DUPLICATE_EMAIL:${t}-dup@example.com open [2,4,5]`, start(t)[2]].map(String),
      statuses: { ...startStatuses, 2: "ISSUE", 4: "ISSUE", 5: "ISSUE" },
    }),
  },
];

describeEachBackend("staging routes", (database) => {
  const tenant = reviewCompany(database, "Staging Co");

  async function reviewJob(): Promise<Review> {
    const t = unique();
    await addContact(database.db, tenant.company, {
      email: `${t}-carol@example.com`,
      firstName: "Carol",
      lastName: "Old",
      company: "Initech",
    });
    await addContact(database.db, tenant.company, {
      email: `${t}-dave@example.com`,
      firstName: "Dave",
      lastName: "Old",
      company: "Acme",
    });
    const jobId = await processedJob(tenant.keys.uploader, file(t));
    expect(await issueSummary(database.db, jobId)).toEqual(start(t));
    expect(await rowStatuses(database.db, jobId)).toEqual(startStatuses);
    return { t, jobId, rows: await stagingIds(database.db, jobId), keys: tenant.keys };
  }

  describe("PUT /api/staging/{staging_id} re-checks the row", () => {
    it.each(cases)("$name", async ({ before, row, body, expected }) => {
      const review = await reviewJob();
      await before?.(review);
      const stagingId = review.rows.get(row) ?? 0;
      const want = expected(review.t);

      const edited = ok<Edited>(await api.putStaging(tenant.keys.editor, stagingId, body(review.t)));
      expect(edited).toMatchObject({
        staging_id: stagingId,
        staging_job_id: review.jobId,
        staging_row_number: row,
        ...want.row,
      });
      expect(edited.open_issues.map((issue) => issue.issue_type)).toEqual(want.open);
      expect(await issueSummary(database.db, review.jobId)).toEqual(want.issues);
      expect(await rowStatuses(database.db, review.jobId)).toEqual(want.statuses);

      // The answer agrees with the issues endpoint, and the job's counts with both.
      const open = ok<IssueListJson>(await api.jobIssues(tenant.keys.viewer, review.jobId, "?resolved=false")).issues;
      const claiming = open.filter((issue) => issue.affected_rows.some((each) => each.staging_id === stagingId));
      expect(edited.open_issues).toEqual(
        claiming.map((issue) => ({ issue_id: issue.issue_id, issue_type: issue.issue_type })),
      );
      expect(await findJobForWorker({ jobId: review.jobId })).toMatchObject({
        status: "NEEDS_REVIEW",
        issueCount: want.issues.length,
      });
      expect(ok(await api.getJob(tenant.keys.viewer, review.jobId))).toMatchObject({
        issues_open: want.issues.filter((line) => line.includes(" open ")).length,
        issues_resolved: want.issues.filter((line) => line.includes(" resolved ")).length,
      });
    });

    it("an issue resolved by an edit names the editor and the row", async () => {
      const review = await reviewJob();
      ok(await api.putStaging(tenant.keys.editor, review.rows.get(3) ?? 0, { email: `${review.t}-bo@example.com` }));
      const invalid = ok<IssueListJson>(await api.jobIssues(tenant.keys.viewer, review.jobId, "?type=INVALID_EMAIL"))
        .issues[0];
      expect(invalid).toMatchObject({
        issue_resolved: true,
        issue_resolved_by: expect.stringMatching(/^api-key:editor-/) as unknown,
        issue_resolution_comment: "Settled by an edit of row 3",
      });
    });

    it("the edit that settles the last issue finishes the job: its READY rows become contacts", async () => {
      const t = unique();
      const jobId = await processedJob(
        tenant.keys.uploader,
        HEADER + `${t}-ok@example.com,Ok,Row,Acme\n${t}-broken,Fix,Me,Acme\n`,
      );
      const rows = await stagingIds(database.db, jobId);
      ok(await api.putStaging(tenant.keys.editor, rows.get(3) ?? 0, { email: `${t}-fixed@example.com` }));
      await drain();
      expect(await findJobForWorker({ jobId })).toMatchObject({
        status: "COMPLETED",
        insertedCount: 2,
        skippedCount: 0,
      });
      const landed = await database.db
        .select({ email: contacts.email })
        .from(contacts)
        .where(eq(contacts.sourceJobId, jobId));
      expect(landed.map((each) => each.email).sort()).toEqual([`${t}-fixed@example.com`, `${t}-ok@example.com`]);
    });
  });

  describe("refusals", () => {
    let review: Review;
    beforeAll(async () => {
      review = await reviewJob();
    });

    it.each([
      {
        body: {},
        message:
          /^Invalid body: Send at least one of email \(or staging_email\), first_name \(or staging_first_name\), last_name \(or staging_last_name\), company \(or staging_company\), status \(or staging_status\)$/,
      },
      { body: { staging_row_number: 3 }, message: /^Invalid body: Unrecognized key/ },
      {
        body: { email: "a@b.co", staging_email: "c@d.co" },
        message: /^Invalid body\.staging_email: staging_email and email name the same field with different values/,
      },
      { body: { status: "ISSUE" }, message: /^Invalid body\.status: / },
      { body: { status: "IMPORTED" }, message: /^Invalid body\.status: / },
      { body: { email: 42 }, message: /^Invalid body\.email: / },
    ])("body $body → 400", async ({ body, message }) => {
      const error = expectEnvelope(
        await api.putStaging(tenant.keys.editor, review.rows.get(2) ?? 0, body),
        400,
        "VALIDATION_ERROR",
      );
      expect(error.message).toMatch(message);
      expect(await rowStatuses(database.db, review.jobId)).toEqual(startStatuses);
    });

    it("an unknown row → 404", async () => {
      expect(
        expectEnvelope(await api.putStaging(tenant.keys.editor, 987_654_321, { email: "a@b.co" }), 404, "NOT_FOUND")
          .message,
      ).toBe("Staging row 987654321 not found");
    });

    it.each(["PENDING", "PROCESSING", "COMPLETED", "FAILED", "REVERTED"] as const)(
      "a %s job → 409, nothing changed",
      async (status) => {
        await database.db.update(jobs).set({ status }).where(eq(jobs.id, review.jobId));
        try {
          const error = expectEnvelope(
            await api.putStaging(tenant.keys.editor, review.rows.get(3) ?? 0, { email: "fixed@example.com" }),
            409,
            "CONFLICT",
          );
          expect(error.message).toBe(
            `Job ${review.jobId} is ${status}; its rows can be edited only while it is NEEDS_REVIEW`,
          );
          expect(error.details).toEqual({ job_id: review.jobId, status });
          expect(await issueSummary(database.db, review.jobId)).toEqual(start(review.t));
        } finally {
          await database.db.update(jobs).set({ status: "NEEDS_REVIEW" }).where(eq(jobs.id, review.jobId));
        }
      },
    );
  });
});
