import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { findJobForWorker } from "@/db/queries/jobs";
import { jobs } from "@/db/schema";
import { drain } from "@/lib/background/in-process/runner";
import { describeEachBackend } from "@/test/database";
import { unique } from "@/test/fixtures";
import { expectEnvelope, type CallResult } from "@/test/http";
import {
  HEADER,
  addContact,
  api,
  ok,
  processedJob,
  reviewCompany,
  rowStatuses,
  stagingIds,
  type IssueJson,
  type IssueListJson,
} from "@/test/review";

type IssueKind = "duplicate" | "conflict" | "invalid" | "missing";
const TYPES: Record<IssueKind, string> = {
  duplicate: "DUPLICATE_EMAIL",
  conflict: "CONTACT_CONFLICT",
  invalid: "INVALID_EMAIL",
  missing: "MISSING_EMAIL",
};

type Preview = {
  action: string;
  issues_to_resolve: number;
  rows_to_skip: number;
  rows_to_keep: number;
  rows_already_skipped: number;
  rows: {
    staging_id: number;
    staging_job_id: number;
    staging_row_number: number;
    staging_status: string;
    status_after: string;
  }[];
};

/** A decision and its preview request, or a reopening; `statuses` are the job's row statuses after it. */
type Step =
  | { skip: IssueKind[] }
  | { keep: IssueKind; row: number }
  | { keepExisting: IssueKind }
  | { resolve: IssueKind }
  | { reopen: IssueKind };

type Scenario = {
  name: string;
  file: "simple" | "overlapping";
  steps: { step: Step; statuses: Record<number, string> }[];
};

/** Rows 2 and 3 a duplicate pair, row 4 an invalid email, row 5 a missing one, row 6 clean. */
const SIMPLE = { 2: "ISSUE", 3: "ISSUE", 4: "ISSUE", 5: "ISSUE", 6: "READY" };
/** As SIMPLE, but the pair's email is also the company's contact under another name: rows 2 and 3 are each in a duplicate and a conflict. */
const OVERLAPPING = SIMPLE;

describeEachBackend("what resolving does to rows: the preview, the write, and reopening", (database) => {
  const tenant = reviewCompany(database, "Outcome Co");

  type Target = { jobId: number; rows: Map<number, number>; issues: Partial<Record<IssueKind, number>> };

  async function makeJob(file: "simple" | "overlapping"): Promise<Target> {
    const tag = unique();
    if (file === "overlapping") {
      await addContact(database.db, tenant.company, {
        email: `${tag}-twin@example.com`,
        firstName: "Carol",
        lastName: "Old",
        company: "Initech",
      });
    }
    const jobId = await processedJob(
      tenant.keys.uploader,
      HEADER +
        `${tag}-twin@example.com,Ana,Silva,Acme\n${tag}-twin@example.com,Bo,Souza,Globex\n` +
        `${tag}-bad,Cy,Lima,Initech\n,Di,Costa,Hooli\n${tag}-ok@example.com,Ed,Ok,Acme\n`,
    );
    const listed = ok<IssueListJson>(await api.jobIssues(tenant.keys.viewer, jobId)).issues;
    const issues: Target["issues"] = {};
    for (const kind of Object.keys(TYPES) as IssueKind[]) {
      const found = listed.find((issue) => issue.issue_type === TYPES[kind]);
      if (found) issues[kind] = found.issue_id;
    }
    return { jobId, rows: await stagingIds(database.db, jobId), issues };
  }

  const issueId = (target: Target, kind: IssueKind) => {
    const id = target.issues[kind];
    if (id === undefined) throw new Error(`job ${target.jobId} has no ${kind} issue`);
    return id;
  };
  const rowId = (target: Target, number: number) => {
    const id = target.rows.get(number);
    if (id === undefined) throw new Error(`job ${target.jobId} has no row ${number}`);
    return id;
  };

  /** The preview request for a decision, and the write that carries it out. */
  function decision(
    target: Target,
    step: Exclude<Step, { reopen: IssueKind }>,
  ): { preview: unknown; write: () => Promise<CallResult> } {
    const editor = tenant.keys.editor;
    if ("skip" in step) {
      const ids = step.skip.map((kind) => issueId(target, kind));
      return { preview: { action: "skip", issue_ids: ids }, write: () => api.resolve(editor, { issue_ids: ids }) };
    }
    if ("resolve" in step) {
      const id = issueId(target, step.resolve);
      return {
        preview: { action: "skip", issue_ids: [id] },
        write: () => api.putIssue(editor, id, { resolved: true }),
      };
    }
    if ("keep" in step) {
      const id = issueId(target, step.keep);
      const stagingId = rowId(target, step.row);
      return {
        preview: { action: "keep_row", issue_id: id, staging_id: stagingId },
        write: () => api.keep(editor, id, { staging_id: stagingId }),
      };
    }
    const id = issueId(target, step.keepExisting);
    return {
      preview: { action: "keep_existing", issue_id: id },
      write: () => api.keep(editor, id, { existing: true }),
    };
  }

  const scenarios: Scenario[] = [
    {
      name: "a kept duplicate row, reopened: both rows ISSUE again",
      file: "simple",
      steps: [
        { step: { keep: "duplicate", row: 3 }, statuses: { ...SIMPLE, 2: "SKIPPED", 3: "READY" } },
        { step: { reopen: "duplicate" }, statuses: SIMPLE },
      ],
    },
    {
      name: "resolved without keeping (PUT), reopened: the row ISSUE again",
      file: "simple",
      steps: [
        { step: { resolve: "missing" }, statuses: { ...SIMPLE, 5: "SKIPPED" } },
        { step: { reopen: "missing" }, statuses: SIMPLE },
      ],
    },
    {
      name: "bulk resolved, then each reopened: each puts back its own rows",
      file: "simple",
      steps: [
        { step: { skip: ["duplicate", "invalid"] }, statuses: { ...SIMPLE, 2: "SKIPPED", 3: "SKIPPED", 4: "SKIPPED" } },
        { step: { reopen: "invalid" }, statuses: { ...SIMPLE, 2: "SKIPPED", 3: "SKIPPED" } },
        { step: { reopen: "duplicate" }, statuses: SIMPLE },
      ],
    },
    {
      name: "rows in two issues: a duplicate kept, then the conflict's contact kept; reopening the duplicate leaves the conflict's skip standing",
      file: "overlapping",
      steps: [
        // Row 2 kept, but the open conflict still claims it.
        { step: { keep: "duplicate", row: 2 }, statuses: { ...OVERLAPPING, 3: "SKIPPED" } },
        { step: { keepExisting: "conflict" }, statuses: { ...OVERLAPPING, 2: "SKIPPED", 3: "SKIPPED" } },
        { step: { reopen: "duplicate" }, statuses: { ...OVERLAPPING, 2: "SKIPPED", 3: "SKIPPED" } },
        { step: { reopen: "conflict" }, statuses: OVERLAPPING },
      ],
    },
    {
      name: "rows in two issues: the same decisions taken back in the other order",
      file: "overlapping",
      steps: [
        { step: { keep: "duplicate", row: 2 }, statuses: { ...OVERLAPPING, 3: "SKIPPED" } },
        { step: { keepExisting: "conflict" }, statuses: { ...OVERLAPPING, 2: "SKIPPED", 3: "SKIPPED" } },
        // The duplicate's decision stands again: row 3 skipped, row 2 kept but claimed by the reopened conflict.
        { step: { reopen: "conflict" }, statuses: { ...OVERLAPPING, 3: "SKIPPED" } },
        { step: { reopen: "duplicate" }, statuses: OVERLAPPING },
      ],
    },
    {
      name: "rows in two issues: a later keep overrides an earlier skip, and reopening it brings the skip back",
      file: "overlapping",
      steps: [
        { step: { keepExisting: "conflict" }, statuses: { ...OVERLAPPING, 2: "SKIPPED", 3: "SKIPPED" } },
        { step: { keep: "duplicate", row: 3 }, statuses: { ...OVERLAPPING, 2: "SKIPPED", 3: "READY" } },
        { step: { reopen: "duplicate" }, statuses: { ...OVERLAPPING, 2: "SKIPPED", 3: "SKIPPED" } },
        { step: { reopen: "conflict" }, statuses: OVERLAPPING },
      ],
    },
    {
      name: "rows in two issues resolved together: counted once, and skipped until both are reopened",
      file: "overlapping",
      steps: [
        { step: { skip: ["duplicate", "conflict"] }, statuses: { ...OVERLAPPING, 2: "SKIPPED", 3: "SKIPPED" } },
        { step: { reopen: "conflict" }, statuses: { ...OVERLAPPING, 2: "SKIPPED", 3: "SKIPPED" } },
        { step: { reopen: "duplicate" }, statuses: OVERLAPPING },
      ],
    },
  ];

  it.each(scenarios)("$name", async ({ file, steps }) => {
    const target = await makeJob(file);
    expect(await rowStatuses(database.db, target.jobId)).toEqual(file === "simple" ? SIMPLE : OVERLAPPING);
    for (const { step, statuses } of steps) {
      const before = await rowStatuses(database.db, target.jobId);
      if ("reopen" in step) {
        const reopened = ok<IssueJson>(
          await api.putIssue(tenant.keys.editor, issueId(target, step.reopen), { resolved: false }),
        );
        expect(reopened).toMatchObject({ issue_resolved: false, issue_resolved_at: null, issue_resolved_by: null });
        expect(await rowStatuses(database.db, target.jobId), JSON.stringify(step)).toEqual(statuses);
        continue;
      }
      const { preview: request, write } = decision(target, step);
      const preview = ok<Preview>(await api.preview(tenant.keys.editor, request));
      // The preview writes nothing.
      expect(await rowStatuses(database.db, target.jobId)).toEqual(before);
      const result = await write();
      expect(result.status, JSON.stringify(result.json)).toBe(200);
      const after = await rowStatuses(database.db, target.jobId);
      expect(after, JSON.stringify(step)).toEqual(statuses);
      // What the preview said is what the write did: the rows it listed moved as it said, and the skipped count matches.
      const predicted = {
        ...before,
        ...Object.fromEntries(preview.rows.map((row) => [row.staging_row_number, row.status_after])),
      };
      // A kept row still claimed by an open issue is READY for the decision and ISSUE once settled.
      const settled = Object.fromEntries(
        Object.entries(predicted).map(([row, status]) => [
          row,
          status === "READY" && after[Number(row)] === "ISSUE" ? "ISSUE" : status,
        ]),
      );
      expect(settled).toEqual(after);
      const newlySkipped = Object.keys(after).filter(
        (row) => after[Number(row)] === "SKIPPED" && before[Number(row)] !== "SKIPPED",
      ).length;
      expect(preview.rows_to_skip).toBe(newlySkipped);
      if ("skip" in step) expect((result.json as { rows_skipped: number }).rows_skipped).toBe(newlySkipped);
    }
  });

  it("a bulk preview counts each row once, lists the rows in order, and counts rows already skipped apart", async () => {
    const target = await makeJob("overlapping");
    ok(await api.keep(tenant.keys.editor, issueId(target, "duplicate"), { staging_id: rowId(target, 2) }));
    const preview = ok<Preview>(
      await api.preview(tenant.keys.viewer, {
        action: "skip",
        issue_ids: [issueId(target, "conflict"), issueId(target, "invalid"), issueId(target, "duplicate")],
      }),
    );
    // The duplicate is resolved already: only the conflict (rows 2, 3) and the invalid email (row 4) are decided.
    expect(preview).toEqual({
      action: "skip",
      issues_to_resolve: 2,
      rows_to_skip: 2,
      rows_to_keep: 0,
      rows_already_skipped: 1,
      rows: [2, 4].map((number) => ({
        staging_id: rowId(target, number),
        staging_job_id: target.jobId,
        staging_row_number: number,
        staging_status: "ISSUE",
        status_after: "SKIPPED",
      })),
    });
    const kept = ok<Preview>(
      await api.preview(tenant.keys.viewer, { action: "keep_existing", issue_id: issueId(target, "conflict") }),
    );
    expect(kept).toMatchObject({ issues_to_resolve: 1, rows_to_skip: 1, rows_to_keep: 0, rows_already_skipped: 1 });
  });

  it("the contacts a finished job lands are its rows the previews did not skip", async () => {
    const target = await makeJob("simple");
    const keep = ok<Preview>(
      await api.preview(tenant.keys.editor, {
        action: "keep_row",
        issue_id: issueId(target, "duplicate"),
        staging_id: rowId(target, 2),
      }),
    );
    expect(keep).toMatchObject({ rows_to_skip: 1, rows_to_keep: 1 });
    ok(await api.keep(tenant.keys.editor, issueId(target, "duplicate"), { staging_id: rowId(target, 2) }));
    const rest = [issueId(target, "invalid"), issueId(target, "missing")];
    const skip = ok<Preview>(await api.preview(tenant.keys.editor, { action: "skip", issue_ids: rest }));
    expect(skip).toMatchObject({ issues_to_resolve: 2, rows_to_skip: 2 });
    expect(ok<{ rows_skipped: number }>(await api.resolve(tenant.keys.editor, { issue_ids: rest })).rows_skipped).toBe(
      2,
    );
    await drain();
    const skipped = keep.rows_to_skip + skip.rows_to_skip;
    expect(await findJobForWorker({ jobId: target.jobId })).toMatchObject({
      status: "COMPLETED",
      totalRows: 5,
      skippedCount: skipped,
      insertedCount: 5 - skipped,
    });
    const landed = ok<{ total: number }>(await api.contacts(tenant.keys.viewer, `?job_id=${target.jobId}`));
    expect(landed.total).toBe(5 - skipped);
  });

  it("an edit that joins a resolved duplicate reopens it, and its rows come back as they were", async () => {
    const target = await makeJob("simple");
    ok(await api.keep(tenant.keys.editor, issueId(target, "duplicate"), { staging_id: rowId(target, 2) }));
    expect(await rowStatuses(database.db, target.jobId)).toEqual({ ...SIMPLE, 2: "READY", 3: "SKIPPED" });
    const email = ok<IssueJson>(await api.getIssue(tenant.keys.viewer, issueId(target, "duplicate"))).issue_subject;
    ok(await api.putStaging(tenant.keys.editor, rowId(target, 6), { email, first_name: "Someone", last_name: "Else" }));
    expect(ok<IssueJson>(await api.getIssue(tenant.keys.viewer, issueId(target, "duplicate")))).toMatchObject({
      issue_resolved: false,
      affected_row_count: 3,
    });
    expect(await rowStatuses(database.db, target.jobId)).toEqual({ ...SIMPLE, 6: "ISSUE" });
  });

  describe("the preview refuses what the write would refuse, with the same answer", () => {
    type Refusal = {
      name: string;
      preview: (target: Target) => unknown;
      write: (target: Target) => Promise<CallResult>;
      status: number;
      code: string;
    };
    const refusals: Refusal[] = [
      {
        name: "skip naming an issue that is not the company's → 404",
        preview: (target) => ({ action: "skip", issue_ids: [issueId(target, "invalid"), 987_654_321] }),
        write: (target) => api.resolve(tenant.keys.editor, { issue_ids: [issueId(target, "invalid"), 987_654_321] }),
        status: 404,
        code: "NOT_FOUND",
      },
      {
        name: "keep_row of an unknown issue → 404",
        preview: (target) => ({ action: "keep_row", issue_id: 987_654_321, staging_id: rowId(target, 2) }),
        write: (target) => api.keep(tenant.keys.editor, 987_654_321, { staging_id: rowId(target, 2) }),
        status: 404,
        code: "NOT_FOUND",
      },
      {
        name: "keep_row of an invalid email → 400",
        preview: (target) => ({
          action: "keep_row",
          issue_id: issueId(target, "invalid"),
          staging_id: rowId(target, 4),
        }),
        write: (target) => api.keep(tenant.keys.editor, issueId(target, "invalid"), { staging_id: rowId(target, 4) }),
        status: 400,
        code: "BAD_REQUEST",
      },
      {
        name: "keep_row of a row that is not the issue's → 400",
        preview: (target) => ({
          action: "keep_row",
          issue_id: issueId(target, "duplicate"),
          staging_id: rowId(target, 6),
        }),
        write: (target) => api.keep(tenant.keys.editor, issueId(target, "duplicate"), { staging_id: rowId(target, 6) }),
        status: 400,
        code: "BAD_REQUEST",
      },
      {
        name: "keep_existing of a duplicate → 400",
        preview: (target) => ({ action: "keep_existing", issue_id: issueId(target, "duplicate") }),
        write: (target) => api.keep(tenant.keys.editor, issueId(target, "duplicate"), { existing: true }),
        status: 400,
        code: "BAD_REQUEST",
      },
    ];

    it.each(refusals)("$name", async ({ preview, write, status, code }) => {
      const target = await makeJob("simple");
      const refused = expectEnvelope(await api.preview(tenant.keys.editor, preview(target)), status, code);
      expect(expectEnvelope(await write(target), status, code)).toMatchObject({
        message: refused.message,
        details: refused.details,
      });
      expect(await rowStatuses(database.db, target.jobId)).toEqual(SIMPLE);
    });

    it("a job no longer in review → 409 naming it, for the preview as for the write", async () => {
      const target = await makeJob("simple");
      await database.db.update(jobs).set({ status: "FAILED" }).where(eq(jobs.id, target.jobId));
      const ids = [issueId(target, "duplicate")];
      const refused = expectEnvelope(
        await api.preview(tenant.keys.editor, { action: "skip", issue_ids: ids }),
        409,
        "CONFLICT",
      );
      expect(refused.message).toBe(
        `Issues can be resolved only while their job is NEEDS_REVIEW; job ${target.jobId} is FAILED`,
      );
      expect(expectEnvelope(await api.resolve(tenant.keys.editor, { issue_ids: ids }), 409, "CONFLICT").message).toBe(
        refused.message,
      );
    });

    it.each([
      { body: { action: "skip", issue_ids: [] }, message: /^Invalid body\.issue_ids: / },
      { body: { action: "resolve", issue_ids: [1] }, message: /^Invalid body\.action: / },
      { body: { action: "keep_row", issue_id: 1 }, message: /^Invalid body\.staging_id: / },
      { body: { action: "keep_existing", issue_id: 1, staging_id: 2 }, message: /^Invalid body: Unrecognized key/ },
    ])("body $body → 400", async ({ body, message }) => {
      expect(expectEnvelope(await api.preview(tenant.keys.editor, body), 400, "VALIDATION_ERROR").message).toMatch(
        message,
      );
    });
  });
});
