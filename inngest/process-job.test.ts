import { createHash, randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { asc, eq } from "drizzle-orm";
import type { InngestFunction } from "inngest";
import { beforeEach, expect, it } from "vitest";
import { findJobForWorker, listJobEvents } from "@/db/queries/jobs";
import { contacts, issues, jobs, stagingRows, type Company, type Job } from "@/db/schema";
import { JOB_UPLOADED } from "@/lib/background/events";
import { processJobFunction } from "@/lib/background/functions/process-job";
import { functions } from "@/inngest/functions";
import { sniffLayout } from "@/lib/csv";
import { getStorage } from "@/lib/storage";
import { withTempDataDir } from "@/test/data-dir";
import { describeEachBackend, type TestDatabase } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";

const HEADER = "email,first_name,last_name,company\n";

const processJob = functions.find((fn) => fn.id() === "process-job");
if (!processJob) throw new Error("no Inngest function with id process-job in inngest/functions.ts");

/**
 * The same function as Inngest runs it after the last retry: its onFailure handler. @inngest/test 1.0
 * always starts the main handler, so this view of the function asks Inngest's execution engine for
 * the failure handler instead (the `handlerKind` Inngest's serve handler sets for `<id>-failure`).
 */
function failureHandlerOf(fn: InngestFunction.Any): InngestFunction.Any {
  type CreateExecution = (opts: { partialOptions: Record<string, unknown> }) => unknown;
  return new Proxy(fn, {
    get(target, property, receiver) {
      if (property === "createExecution") {
        const create = (target["createExecution"] as CreateExecution).bind(target);
        return (opts: { partialOptions: Record<string, unknown> }) =>
          create({ ...opts, partialOptions: { ...opts.partialOptions, handlerKind: "failure" } });
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

const uploaded = (job: Job) => ({ name: JOB_UPLOADED, data: { jobId: job.id, companyId: job.companyId } });

/** Inngest's event for a run that failed for good: the original event and the serialised error. */
const failed = (job: Job, message: string) => ({
  name: "inngest/function.failed",
  data: {
    function_id: "intake-process-job",
    run_id: `01J${unique().toUpperCase()}`,
    error: { name: "Error", message },
    event: uploaded(job),
  },
});

describeEachBackend("process-job Inngest function", (database: TestDatabase) => {
  withTempDataDir("intake-inngest");
  let company: Company;

  beforeEach(async () => {
    company = await createCompany(database.db);
  });

  /** A registered, stored file as POST /api/jobs leaves it, but not dispatched: the test runs the function itself. */
  async function storedJob(content: string, { store = true }: { store?: boolean } = {}): Promise<Job> {
    const bytes = Buffer.from(content);
    const fileName = `contacts-${unique()}.csv`;
    const key = `uploads/${company.id}/${randomUUID()}/${fileName}`;
    if (store) await getStorage().write(key, bytes, { contentType: "text/csv", size: bytes.length });
    const layout = sniffLayout(bytes, { complete: true });
    const [job] = await database.db
      .insert(jobs)
      .values({
        companyId: company.id,
        fileName,
        storageKey: key,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        sizeBytes: bytes.length,
        encoding: layout.encoding,
        delimiter: layout.delimiter,
        layout,
      })
      .returning();
    if (!job) throw new Error("job insert returned no row");
    return job;
  }

  const rowsOf = (jobId: number) =>
    database.db
      .select({ row: stagingRows.rowNumber, email: stagingRows.email, status: stagingRows.status })
      .from(stagingRows)
      .where(eq(stagingRows.jobId, jobId))
      .orderBy(asc(stagingRows.rowNumber));
  const issuesOf = (jobId: number) =>
    database.db
      .select({ key: issues.issueKey, type: issues.type })
      .from(issues)
      .where(eq(issues.jobId, jobId))
      .orderBy(asc(issues.issueKey));
  const contactsOf = () =>
    database.db
      .select({ email: contacts.email, first: contacts.firstName })
      .from(contacts)
      .where(eq(contacts.companyId, company.id))
      .orderBy(asc(contacts.email));

  it("is the process-job definition, triggered by app/job.uploaded", () => {
    expect(processJob.id()).toBe(processJobFunction.id);
    expect(processJob.opts.triggers).toEqual([{ event: JOB_UPLOADED }]);
    expect(processJob.opts).toMatchObject({ retries: 3, concurrency: { key: "event.data.companyId" } });
  });

  it("a clean file: every step runs and the job is COMPLETED with its contacts", async () => {
    const job = await storedJob(
      HEADER + " Ana@Example.com ,Ana,Silva,Acme\nbo@example.com,Bo,Souza,Globex\ncy@example.com,Cy,Lima,Initech\n",
    );
    const engine = new InngestTestEngine({ function: processJob });

    const { result, error, ctx } = await engine.execute({ events: [uploaded(job)] });
    expect(error).toBeUndefined();
    expect(result).toEqual({ status: "COMPLETED", rows: 3 });
    expect(ctx.step.run.mock.calls.map(([id]) => id)).toEqual([
      "start",
      "stage-rows-0",
      "detect-issues",
      "plan-promotion",
      "insert-contacts-0",
      "update-contacts",
      "complete",
      "announce-outcome",
    ]);

    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({
      status: "COMPLETED",
      totalRows: 3,
      stagedRows: 3,
      insertedCount: 3,
      updatedCount: 0,
      skippedCount: 0,
      issueCount: 0,
      error: null,
    });
    expect((await rowsOf(job.id)).map((row) => [row.row, row.email, row.status])).toEqual([
      [2, "ana@example.com", "IMPORTED"],
      [3, "bo@example.com", "IMPORTED"],
      [4, "cy@example.com", "IMPORTED"],
    ]);
    expect(await contactsOf()).toEqual([
      { email: "ana@example.com", first: "Ana" },
      { email: "bo@example.com", first: "Bo" },
      { email: "cy@example.com", first: "Cy" },
    ]);
    expect((await listJobEvents({ jobId: job.id })).map((event) => event.status)).toEqual(["PROCESSING", "COMPLETED"]);
  });

  it("the job is claimed by Inngest's run; another run for it (a repeated event) ends at its start", async () => {
    const job = await storedJob(HEADER + "ana@example.com,Ana,Silva,Acme\n");
    const first = await new InngestTestEngine({ function: processJob }).execute({ events: [uploaded(job)] });
    expect(first.result).toEqual({ status: "COMPLETED", rows: 1 });
    // Inngest's run ids are ULIDs.
    expect((await findJobForWorker({ jobId: job.id }))?.processingRunId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);

    const second = await new InngestTestEngine({ function: processJob }).execute({ events: [uploaded(job)] });
    expect(second.result).toEqual({ status: "SKIPPED", rows: 0 });
    expect(second.ctx.step.run.mock.calls.map(([id]) => id)).toEqual(["start"]);
  });

  it("a file with issues: the job waits in NEEDS_REVIEW and no contact lands", async () => {
    const job = await storedJob(
      HEADER +
        "dup@example.com,Ana,Silva,Acme\ndup@example.com,Bo,Souza,Globex\nnot-an-email,Cy,Lima,Initech\nok@example.com,Di,Costa,Hooli\n",
    );
    const engine = new InngestTestEngine({ function: processJob });

    const { result, error, ctx } = await engine.execute({ events: [uploaded(job)] });
    expect(error).toBeUndefined();
    expect(result).toEqual({ status: "NEEDS_REVIEW", rows: 4 });
    const stepIds = ctx.step.run.mock.calls.map(([id]) => id);
    expect(stepIds).toContain("await-review");
    expect(stepIds).not.toContain("plan-promotion");

    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({
      status: "NEEDS_REVIEW",
      issueCount: 2,
      totalRows: 4,
      insertedCount: 0,
    });
    expect(await issuesOf(job.id)).toEqual([
      { key: "DUPLICATE_EMAIL:dup@example.com", type: "DUPLICATE_EMAIL" },
      { key: "INVALID_EMAIL:4", type: "INVALID_EMAIL" },
    ]);
    expect((await rowsOf(job.id)).map((row) => row.status)).toEqual(["ISSUE", "ISSUE", "ISSUE", "READY"]);
    expect(await contactsOf()).toEqual([]);
  });

  it("executeStep runs the function up to one step: after detect-issues the issues exist, the job is still PROCESSING", async () => {
    const job = await storedJob(
      HEADER + "same@example.com,Ana,Silva,Acme\nsame@example.com,Bo,Souza,Globex\nfine@example.com,Cy,Lima,Initech\n",
    );
    const engine = new InngestTestEngine({ function: processJob, events: [uploaded(job)] });

    const { result, error, ctx } = await engine.executeStep("detect-issues");
    expect(error).toBeUndefined();
    expect(result).toEqual({ issues: 1, skipped: 0, rowsWithIssues: 2 });
    // The steps before it ran (a file this small is staged in one chunk); none after it.
    expect(ctx.step.run.mock.calls.map(([id]) => id)).toEqual(["start", "stage-rows-0", "detect-issues"]);

    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({
      status: "PROCESSING",
      stagedRows: 3,
      issueCount: 0,
    });
    expect(await issuesOf(job.id)).toEqual([{ key: "DUPLICATE_EMAIL:same@example.com", type: "DUPLICATE_EMAIL" }]);
    expect((await rowsOf(job.id)).map((row) => row.status)).toEqual(["ISSUE", "ISSUE", "READY"]);

    // Only "Processing started" on the timeline. (@inngest/test 1.0's executeStep runs the steps before
    // the target twice, so it may be there twice: `start` is safe to repeat.)
    expect(new Set((await listJobEvents({ jobId: job.id })).map((event) => event.message))).toEqual(
      new Set(["Processing started"]),
    );
  });

  it("a mocked step replaces the real one: a `start` that finds nothing to do skips the job", async () => {
    const job = await storedJob(HEADER + "ana@example.com,Ana,Silva,Acme\n");
    const engine = new InngestTestEngine({
      function: processJob,
      steps: [{ id: "start", handler: () => null }],
    });
    const { result, error } = await engine.execute({ events: [uploaded(job)] });
    expect(error).toBeUndefined();
    expect(result).toEqual({ status: "SKIPPED", rows: 0 });
    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({ status: "PENDING", stagedRows: 0 });
    expect(await rowsOf(job.id)).toEqual([]);
  });

  it("a job no longer waiting (e.g. already COMPLETED) is skipped without changes", async () => {
    const job = await storedJob(HEADER + "ana@example.com,Ana,Silva,Acme\n");
    await database.db.update(jobs).set({ status: "COMPLETED" }).where(eq(jobs.id, job.id));
    const { result } = await new InngestTestEngine({ function: processJob }).execute({ events: [uploaded(job)] });
    expect(result).toEqual({ status: "SKIPPED", rows: 0 });
    expect(await listJobEvents({ jobId: job.id })).toEqual([]);
  });

  it("event data that does not fit is rejected before anything runs", async () => {
    const { error } = await new InngestTestEngine({ function: processJob }).execute({
      events: [{ name: JOB_UPLOADED, data: { jobId: "one", companyId: company.id } }],
    });
    expect(error).toBeDefined();
    expect(JSON.stringify(error)).toMatch(/jobId/);
  });

  it("a file that cannot be read fails the run, and the onFailure handler marks the job FAILED", async () => {
    const job = await storedJob(HEADER + "ana@example.com,Ana,Silva,Acme\n", { store: false });
    const { error, result } = await new InngestTestEngine({ function: processJob }).execute({
      events: [uploaded(job)],
    });
    expect(result).toBeUndefined();
    expect(error).toMatchObject({ message: expect.stringContaining(job.storageKey) as unknown });
    // No retries are modelled by @inngest/test: the job stays where the failed step left it.
    expect((await findJobForWorker({ jobId: job.id }))?.status).toBe("PROCESSING");

    const message = (error as { message: string }).message;
    const onFailure = new InngestTestEngine({ function: failureHandlerOf(processJob) });
    const failure = await onFailure.execute({ events: [failed(job, message)] });
    expect(failure.error).toBeUndefined();

    const after = await findJobForWorker({ jobId: job.id });
    expect(after).toMatchObject({ status: "FAILED", error: `Processing failed: ${message}` });
    expect(after?.finishedAt).toBeInstanceOf(Date);
    expect((await listJobEvents({ jobId: job.id })).map((event) => [event.status, event.message])).toEqual([
      ["PROCESSING", "Processing started"],
      ["FAILED", `Processing failed: ${message}`],
    ]);
  });

  it("the definition's onFailure: FAILED with a readable reason for a waiting job, no change to a finished one", async () => {
    const pending = await storedJob(HEADER + "ana@example.com,Ana,Silva,Acme\n");
    await processJobFunction.onFailure({
      data: { jobId: pending.id, companyId: company.id },
      error: new Error("storage unreachable"),
    });
    expect(await findJobForWorker({ jobId: pending.id })).toMatchObject({
      status: "FAILED",
      error: "Processing failed: storage unreachable",
    });

    const done = await storedJob(HEADER + "bo@example.com,Bo,Souza,Globex\n");
    const { result } = await new InngestTestEngine({ function: processJob }).execute({ events: [uploaded(done)] });
    expect(result).toEqual({ status: "COMPLETED", rows: 1 });
    const failure = await new InngestTestEngine({ function: failureHandlerOf(processJob) }).execute({
      events: [failed(done, "late")],
    });
    expect(failure.error).toBeUndefined();
    expect(await findJobForWorker({ jobId: done.id })).toMatchObject({ status: "COMPLETED", error: null });

    // A job deleted in the meantime is not an error either.
    await expect(
      processJobFunction.onFailure({ data: { jobId: 987_654_321, companyId: company.id }, error: new Error("x") }),
    ).resolves.toBeUndefined();
  });
});
