import { InngestTestEngine } from "@inngest/test";
import { asc, eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { findJobForWorker, listJobEvents } from "@/db/queries/jobs";
import { contacts, issues, jobs, stagingRows, type Company } from "@/db/schema";
import { REVIEW_COMPLETED, type BackgroundEvent } from "@/lib/background/events";
import { finishReviewFunction } from "@/lib/background/functions/finish-review";
import { functions } from "@/inngest/functions";
import { dispatch } from "@/lib/background/dispatch";
import { drain } from "@/lib/background/in-process/runner";
import { describeEachBackend } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";
import { registerFile, withJobRunner } from "@/test/ingest";

const HEADER = "email,first_name,last_name,company\n";

const finishReview = functions.find((fn) => fn.id() === "finish-review");
if (!finishReview) throw new Error("no Inngest function with id finish-review in inngest/functions.ts");

describeEachBackend("finish-review Inngest function", (database) => {
  withJobRunner("intake-finish-review");
  let company: Company;

  beforeEach(async () => {
    company = await createCompany(database.db);
  });

  /**
   * A job processed to NEEDS_REVIEW: a duplicate (rows 2, 3), a clean row (4), an invalid email (5).
   * Its issues are then resolved straight in the database (no event sent: the test runs the function
   * itself), with row 2 kept — what an editor's keep leaves.
   */
  async function reviewedJob({ resolve = true }: { resolve?: boolean } = {}) {
    const t = unique();
    const job = await registerFile(
      company,
      HEADER +
        `${t}-dup@example.com,Ana,Silva,Acme\n${t}-dup@example.com,Bo,Souza,Globex\n${t}-ok@example.com,Cy,Lima,Initech\n${t}-bad,Di,Costa,Hooli\n`,
      { fileName: `reviewed-${t}.csv` },
    );
    await drain();
    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({ status: "NEEDS_REVIEW", issueCount: 2 });
    if (resolve) {
      await database.db
        .update(issues)
        .set({ resolved: true, resolvedAt: new Date(), resolvedBy: "test" })
        .where(eq(issues.jobId, job.id));
      await database.db
        .update(stagingRows)
        .set({ status: "READY" })
        .where(eq(stagingRows.id, (await rowIds(job.id))[0] ?? 0));
    }
    return { job, t };
  }

  const rowIds = async (jobId: number) =>
    (
      await database.db
        .select({ id: stagingRows.id })
        .from(stagingRows)
        .where(eq(stagingRows.jobId, jobId))
        .orderBy(asc(stagingRows.rowNumber))
    ).map((row) => row.id);
  const statuses = async (jobId: number) =>
    (
      await database.db
        .select({ status: stagingRows.status })
        .from(stagingRows)
        .where(eq(stagingRows.jobId, jobId))
        .orderBy(asc(stagingRows.rowNumber))
    ).map((row) => row.status);
  const completed = (jobId: number): BackgroundEvent => ({
    name: REVIEW_COMPLETED,
    data: { jobId, companyId: company.id },
  });
  const landed = async () =>
    (
      await database.db
        .select({ email: contacts.email, first: contacts.firstName })
        .from(contacts)
        .where(eq(contacts.companyId, company.id))
    ).sort((a, b) => a.email.localeCompare(b.email));

  it("is the finish-review definition, triggered by app/job.review-completed", () => {
    expect(finishReview.id()).toBe(finishReviewFunction.id);
    expect(finishReview.opts.triggers).toEqual([{ event: REVIEW_COMPLETED }]);
    expect(finishReview.opts).toMatchObject({ retries: 3, concurrency: { key: "event.data.companyId" } });
  });

  it("a reviewed job: undecided rows skipped, READY rows promoted by the same steps as process-job, COMPLETED", async () => {
    const { job, t } = await reviewedJob();
    const {
      result,
      error,
      ctx: run,
    } = await new InngestTestEngine({ function: finishReview }).execute({ events: [completed(job.id)] });
    expect(error).toBeUndefined();
    expect(result).toEqual({ status: "COMPLETED", counts: { inserted: 2, updated: 0, skipped: 2 } });
    expect(run.step.run.mock.calls.map(([id]) => id)).toEqual([
      "start",
      "plan-promotion",
      "insert-contacts-0",
      "update-contacts",
      "complete",
      "announce-outcome",
    ]);

    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({
      status: "COMPLETED",
      issueCount: 2,
      insertedCount: 2,
      updatedCount: 0,
      skippedCount: 2,
    });
    expect(await statuses(job.id)).toEqual(["IMPORTED", "SKIPPED", "IMPORTED", "SKIPPED"]);
    expect(await landed()).toEqual([
      { email: `${t}-dup@example.com`, first: "Ana" },
      { email: `${t}-ok@example.com`, first: "Cy" },
    ]);
    expect((await listJobEvents({ jobId: job.id })).map((event) => [event.status, event.message]).slice(-2)).toEqual([
      ["PROCESSING", "Review finished; promoting the rows"],
      ["COMPLETED", "2 inserted, 0 updated, 2 skipped"],
    ]);
  });

  it("an issue still open (reopened since the event was sent): nothing to do, nothing changes", async () => {
    const { job } = await reviewedJob({ resolve: false });
    const { result, ctx: run } = await new InngestTestEngine({ function: finishReview }).execute({
      events: [completed(job.id)],
    });
    expect(result).toEqual({ status: "SKIPPED" });
    expect(run.step.run.mock.calls.map(([id]) => id)).toEqual(["start", "announce-outcome"]);
    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({ status: "NEEDS_REVIEW" });
    expect(await statuses(job.id)).toEqual(["ISSUE", "ISSUE", "READY", "ISSUE"]);
    expect(await landed()).toEqual([]);
  });

  it("a job of another company, or not waiting for review, is left alone", async () => {
    const { job } = await reviewedJob();
    const other = await createCompany(database.db);
    const foreign = await new InngestTestEngine({ function: finishReview }).execute({
      events: [{ name: REVIEW_COMPLETED, data: { jobId: job.id, companyId: other.id } }],
    });
    expect(foreign.result).toEqual({ status: "SKIPPED" });
    await database.db.update(jobs).set({ status: "FAILED" }).where(eq(jobs.id, job.id));
    const failed = await new InngestTestEngine({ function: finishReview }).execute({ events: [completed(job.id)] });
    expect(failed.result).toEqual({ status: "SKIPPED" });
    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({ status: "FAILED" });
    expect(await landed()).toEqual([]);
  });

  it("a start retried after it committed carries on; a job another function is processing is not taken over", async () => {
    const { job } = await reviewedJob();
    // The first attempt: the start step ran (and committed), then the run died before recording it.
    const first = await new InngestTestEngine({ function: finishReview, events: [completed(job.id)] }).executeStep(
      "start",
    );
    expect(first.error).toBeUndefined();
    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({ status: "PROCESSING" });
    const retried = await new InngestTestEngine({ function: finishReview }).execute({ events: [completed(job.id)] });
    expect(retried.result).toMatchObject({ status: "COMPLETED" });
    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({ status: "COMPLETED", insertedCount: 2 });

    const { job: busy } = await reviewedJob();
    await database.db.update(jobs).set({ status: "PROCESSING" }).where(eq(jobs.id, busy.id));
    const taken = await new InngestTestEngine({ function: finishReview }).execute({ events: [completed(busy.id)] });
    expect(taken.result).toEqual({ status: "SKIPPED" });
    expect(await statuses(busy.id)).toEqual(["READY", "ISSUE", "READY", "ISSUE"]);
  });

  it("event data that does not fit is rejected before anything runs", async () => {
    const { error } = await new InngestTestEngine({ function: finishReview }).execute({
      events: [{ name: REVIEW_COMPLETED, data: { jobId: 1, companyId: "not-a-uuid" } }],
    });
    expect(JSON.stringify(error)).toMatch(/companyId/);
  });

  it("after the last retry the job is FAILED with a readable reason", async () => {
    const { job } = await reviewedJob();
    await database.db.update(jobs).set({ status: "PROCESSING" }).where(eq(jobs.id, job.id));
    await finishReviewFunction.onFailure({
      data: { jobId: job.id, companyId: company.id },
      error: new Error("database went away"),
    });
    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({
      status: "FAILED",
      error: "Finishing the review failed: database went away",
    });
  });

  it("runs on the in-process runner too: the event dispatched, the runner drained", async () => {
    const { job } = await reviewedJob();
    await dispatch(completed(job.id));
    await drain();
    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({
      status: "COMPLETED",
      insertedCount: 2,
      skippedCount: 2,
    });
  });
});
