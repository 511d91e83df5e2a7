import { and, count, countDistinct, eq, sql } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { findJobForWorker, listJobEvents } from "@/db/queries/jobs";
import { backgroundRuns, contacts, jobs, stagingRows, type Company, type Job } from "@/db/schema";
import type { DurableStepRunner } from "@/lib/background/definition";
import { dispatch } from "@/lib/background/dispatch";
import { JOB_FINISHED, JOB_UPLOADED } from "@/lib/background/events";
import { processJobFunction } from "@/lib/background/functions/process-job";
import { drain } from "@/lib/background/in-process/runner";
import { requestCancel } from "@/lib/ingest/cancel";
import { resetJobForReprocess } from "@/lib/ingest/reprocess";
import { describeEachBackend } from "@/test/database";
import { createCompany } from "@/test/fixtures";
import { storedJob, withJobRunner } from "@/test/ingest";

const ROWS = 200;

function contactsCsv(): string {
  let body = "email,first_name,last_name,company\n";
  for (let index = 0; index < ROWS; index += 1) body += `person${index}@example.com,First${index},Last${index},Acme\n`;
  return body;
}

/** A run's steps done at once, their ids noted; `afterStep` is called once a step is done (and recorded). */
function steps(ran: string[], afterStep: (id: string) => Promise<void> = async () => {}): DurableStepRunner {
  return {
    async run<T>(id: string, work: () => Promise<T>): Promise<T> {
      const output = await work();
      ran.push(id);
      await afterStep(id);
      return output;
    },
    sleep: async () => {},
  };
}

/** Ends a run's attempt right after a step did its work, before it was recorded (the process died). */
class AttemptDied extends Error {}

describeEachBackend("process-job: one run per job", (database) => {
  withJobRunner("intake-process-job-claim");
  let company: Company;
  let job: Job;

  beforeEach(async () => {
    company = await createCompany(database.db);
    job = await storedJob(database.db, company, contactsCsv());
  });

  const runHandler = (runId: string, step: DurableStepRunner) =>
    processJobFunction.handler({ data: { jobId: job.id, companyId: company.id }, step, runId });

  async function expectLandedOnce() {
    const [staged] = await database.db
      .select({ rows: count(), distinct: countDistinct(stagingRows.rowNumber) })
      .from(stagingRows)
      .where(eq(stagingRows.jobId, job.id));
    expect(staged).toEqual({ rows: ROWS, distinct: ROWS });
    const [landed] = await database.db
      .select({ contacts: count() })
      .from(contacts)
      .where(eq(contacts.companyId, company.id));
    expect(landed?.contacts).toBe(ROWS);
    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({
      status: "COMPLETED",
      stagedRows: ROWS,
      insertedCount: ROWS,
    });
    expect((await listJobEvents({ jobId: job.id })).map((event) => event.message)).toEqual([
      "Processing started",
      expect.stringMatching(/./) as unknown,
    ]);
  }

  /** Background runs of the listeners told of this job's outcome. */
  async function outcomeAnnouncements(): Promise<number> {
    await drain();
    const [runs] = await database.db
      .select({ runs: count() })
      .from(backgroundRuns)
      .where(
        and(
          eq(backgroundRuns.eventName, JOB_FINISHED),
          sql`(${backgroundRuns.eventData} ->> 'jobId')::int = ${job.id}`,
        ),
      );
    return runs?.runs ?? 0;
  }

  it("a second run for a job the first has claimed ends at its start and announces nothing; the first lands every row once", async () => {
    const first: string[] = [];
    const second: string[] = [];
    let secondOutcome: unknown;
    const outcome = await runHandler(
      "run-first",
      steps(first, async (id) => {
        if (id === "start") secondOutcome = await runHandler("run-second", steps(second));
      }),
    );

    expect(outcome).toEqual({ status: "COMPLETED", rows: ROWS });
    expect(secondOutcome).toEqual({ status: "SKIPPED", rows: 0 });
    expect(second).toEqual(["start"]);
    expect(first).toContain("announce-outcome");
    expect((await findJobForWorker({ jobId: job.id }))?.processingRunId).toBe("run-first");
    await expectLandedOnce();

    // A run arriving after the job ended does nothing either, and tells no one again.
    const late: string[] = [];
    expect(await runHandler("run-late", steps(late))).toEqual({ status: "SKIPPED", rows: 0 });
    expect(late).toEqual(["start"]);
    await expectLandedOnce();
    const listeners = await outcomeAnnouncements();
    expect(listeners).toBeGreaterThan(0);
    await runHandler("run-later", steps([]));
    expect(await outcomeAnnouncements()).toBe(listeners);
  });

  it("a retried start of the same run (its attempt died after claiming the job) goes on; another run still may not", async () => {
    const died = runHandler(
      "run-retried",
      steps([], (id) => (id === "start" ? Promise.reject(new AttemptDied()) : Promise.resolve())),
    );
    await expect(died).rejects.toBeInstanceOf(AttemptDied);
    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({
      status: "PROCESSING",
      processingRunId: "run-retried",
    });

    expect(await runHandler("run-other", steps([]))).toEqual({ status: "SKIPPED", rows: 0 });
    expect(await runHandler("run-retried", steps([]))).toEqual({ status: "COMPLETED", rows: ROWS });
    await expectLandedOnce();
  });

  it("a job left PROCESSING with no claim (its run began before claims were recorded) is claimed by the next run", async () => {
    const died = runHandler(
      "run-before-claims",
      steps([], (id) => (id === "start" ? Promise.reject(new AttemptDied()) : Promise.resolve())),
    );
    await expect(died).rejects.toBeInstanceOf(AttemptDied);
    await database.db.update(jobs).set({ processingRunId: null }).where(eq(jobs.id, job.id));

    expect(await runHandler("run-before-claims", steps([]))).toEqual({ status: "COMPLETED", rows: ROWS });
    expect((await findJobForWorker({ jobId: job.id }))?.processingRunId).toBe("run-before-claims");
    expect(await runHandler("run-other", steps([]))).toEqual({ status: "SKIPPED", rows: 0 });
    await expectLandedOnce();
  });

  it("a second run stopped by a cancel before its start leaves the stopping to the run that has the job", async () => {
    const died = runHandler(
      "run-owner",
      steps([], (id) => (id === "stage-rows-0" ? Promise.reject(new AttemptDied()) : Promise.resolve())),
    );
    await expect(died).rejects.toBeInstanceOf(AttemptDied);
    const request = await requestCancel({ jobId: job.id, companyId: company.id, actorUserId: null, actorName: "test" });
    expect(request.outcome).toBe("stopping");

    const second: string[] = [];
    expect(await runHandler("run-second", steps(second))).toEqual({ status: "SKIPPED", rows: 0 });
    expect(second).toEqual([]);
    expect(await findJobForWorker({ jobId: job.id })).toMatchObject({ status: "PROCESSING", stagedRows: ROWS });

    // The run that has the job stops it at its next step.
    const owner: string[] = [];
    expect(await runHandler("run-owner", steps(owner))).toEqual({ status: "CANCELLED", rows: 0 });
    expect(owner).toEqual(["stop-cancelled", "announce-outcome"]);
    expect((await findJobForWorker({ jobId: job.id }))?.status).toBe("CANCELLED");
  });

  it("dispatched twice, the in-process runner runs process-job twice and the job's rows land once", async () => {
    await dispatch({ name: JOB_UPLOADED, data: { jobId: job.id, companyId: company.id } });
    await dispatch({ name: JOB_UPLOADED, data: { jobId: job.id, companyId: company.id } });
    await drain();

    const runs = await database.db
      .select({ id: backgroundRuns.id, status: backgroundRuns.status })
      .from(backgroundRuns)
      .where(
        and(
          eq(backgroundRuns.eventName, JOB_UPLOADED),
          sql`(${backgroundRuns.eventData} ->> 'jobId')::int = ${job.id}`,
        ),
      );
    expect(runs.map((run) => run.status)).toEqual(["COMPLETED", "COMPLETED"]);
    const claimedBy = (await findJobForWorker({ jobId: job.id }))?.processingRunId;
    expect(runs.map((run) => run.id)).toContain(claimedBy);
    await expectLandedOnce();
  });

  it("a reprocessed job is free again: it forgets the run that claimed it, and a new run processes it", async () => {
    expect(await runHandler("run-before", steps([]))).toEqual({ status: "COMPLETED", rows: ROWS });
    const reset = await resetJobForReprocess({ jobId: job.id, actorUserId: null });
    expect(reset).toMatchObject({ status: "PENDING", processingRunId: null });

    expect(await runHandler("run-after", steps([]))).toEqual({ status: "COMPLETED", rows: ROWS });
    expect((await findJobForWorker({ jobId: job.id }))?.processingRunId).toBe("run-after");
  });
});
