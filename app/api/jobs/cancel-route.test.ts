import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { POST as cancelJob } from "@/app/api/jobs/[job_id]/cancel/route";
import { DELETE as deleteJob } from "@/app/api/jobs/[job_id]/route";
import { POST as reprocessJob } from "@/app/api/jobs/[job_id]/reprocess/route";
import { findJobForWorker, listJobEvents } from "@/db/queries/jobs";
import { contacts, type Company, type Group } from "@/db/schema";
import { configureRunner, drain } from "@/lib/background/in-process/runner";
import { withTempDataDir } from "@/test/data-dir";
import { describeEachBackend } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";
import { call, expectEnvelope } from "@/test/http";
import { keyFor, processedJob, uploadDirect } from "@/test/jobs";

const CSV = "email,first_name,last_name,company\nana@example.com,Ana,Silva,Acme\nbo@example.com,Bo,Souza,Globex\n";
const post = (handler: typeof cancelJob, action: string, bearer: string, jobId: number) =>
  call(handler, `/api/jobs/${jobId}/${action}`, { bearer, method: "POST", params: { job_id: String(jobId) } });
const cancelAs = (bearer: string, jobId: number) => post(cancelJob, "cancel", bearer, jobId);

describeEachBackend("POST /api/jobs/{job_id}/cancel", (database) => {
  withTempDataDir("intake-cancel-route");
  let company: Company;
  const keys = {} as Record<Group, string>;

  beforeEach(() => {
    // No run starts until the test lets them (run()): an uploaded job stays PENDING until then.
    configureRunner({ backoffMs: [5, 5, 5, 5], concurrency: 0 });
  });

  /** Lets the queued runs start, and waits for them to end. */
  async function run(): Promise<void> {
    configureRunner({ concurrency: 2 });
    await drain();
  }

  beforeAll(async () => {
    company = await createCompany(database.db);
    for (const group of ["admin", "editor", "uploader", "viewer"] as const)
      keys[group] = await keyFor(company, [group]);
  });

  /** A job uploaded and registered, its run queued but not started. */
  async function pendingJob(): Promise<number> {
    const created = await uploadDirect(
      keys.uploader,
      `cancel-${unique()}.csv`,
      `${CSV}${unique()}@example.com,Cy,Lima,Initech\n`,
    );
    expect(created.status).toBe(201);
    const jobId = (created.json as { job_id: number }).job_id;
    expect((await findJobForWorker({ jobId }))?.status).toBe("PENDING");
    return jobId;
  }

  afterAll(() => configureRunner({ concurrency: 2 }));

  it("stops a PENDING job at once: CANCELLED, on its timeline, its run does nothing; then it can be reprocessed", async () => {
    const jobId = await pendingJob();
    const cancelled = await cancelAs(keys.editor, jobId);
    expect(cancelled.status, JSON.stringify(cancelled.json)).toBe(200);
    expect(cancelled.json).toMatchObject({ job_id: jobId, status: "CANCELLED", message: `Job ${jobId} cancelled` });
    expect(typeof cancelled.json.cancel_requested_at).toBe("string");
    await run();
    expect((await findJobForWorker({ jobId }))?.status).toBe("CANCELLED");
    expect((await listJobEvents({ jobId })).at(-1)).toMatchObject({ status: "CANCELLED" });
    const landed = await database.db.select().from(contacts).where(eq(contacts.companyId, company.id));
    expect(landed).toEqual([]);

    const reprocessed = await post(reprocessJob, "reprocess", keys.uploader, jobId);
    expect(reprocessed.status, JSON.stringify(reprocessed.json)).toBe(200);
    await run();
    expect(await findJobForWorker({ jobId })).toMatchObject({
      status: "COMPLETED",
      insertedCount: 3,
      cancelRequestedAt: null,
    });
  });

  it("a CANCELLED job can be deleted", async () => {
    const jobId = await pendingJob();
    expect((await cancelAs(keys.admin, jobId)).status).toBe(200);
    const deleted = await call(deleteJob, `/api/jobs/${jobId}`, {
      bearer: keys.editor,
      method: "DELETE",
      params: { job_id: String(jobId) },
    });
    expect(deleted.status, JSON.stringify(deleted.json)).toBe(200);
    expect(await findJobForWorker({ jobId })).toBeNull();
    await run();
  });

  it.each([
    { who: "uploader" as const, status: 403, code: "FORBIDDEN" },
    { who: "viewer" as const, status: 403, code: "FORBIDDEN" },
  ])("answers $status to a $who, and the job runs on", async ({ who, status, code }) => {
    const jobId = await pendingJob();
    expectEnvelope(await cancelAs(keys[who], jobId), status, code);
    await run();
    expect((await findJobForWorker({ jobId }))?.status).toBe("COMPLETED");
  });

  it("answers 404 for another company's job and for an unknown one, and leaves the job alone", async () => {
    const jobId = await pendingJob();
    const other = await createCompany(database.db);
    const outsider = await keyFor(other, ["admin"]);
    const refused = expectEnvelope(await cancelAs(outsider, jobId), 404, "NOT_FOUND");
    expect(refused.message).toBe(`Job ${jobId} not found`);
    expectEnvelope(await cancelAs(keys.editor, 999_999_999), 404, "NOT_FOUND");
    await run();
    expect((await findJobForWorker({ jobId }))?.status).toBe("COMPLETED");
  });

  it("answers 409 naming the status for a job that is not running", async () => {
    configureRunner({ concurrency: 2 });
    const jobId = await processedJob(keys.uploader, CSV.replace("ana@", "cy@"));
    const refused = expectEnvelope(await cancelAs(keys.editor, jobId), 409, "CONFLICT");
    expect(refused.message).toBe(`Job ${jobId} is COMPLETED; only PENDING or PROCESSING jobs can be cancelled`);
  });

  it("a PROCESSING job cannot be deleted: the answer says to cancel it first", async () => {
    const jobId = await pendingJob();
    await database.db.execute(`UPDATE jobs SET status = 'PROCESSING' WHERE id = ${jobId}`);
    const refused = expectEnvelope(
      await call(deleteJob, `/api/jobs/${jobId}`, {
        bearer: keys.editor,
        method: "DELETE",
        params: { job_id: String(jobId) },
      }),
      400,
      "BAD_REQUEST",
    );
    expect(refused.message).toContain(`cancel it first: POST /api/jobs/${jobId}/cancel`);
    await database.db.execute(`UPDATE jobs SET status = 'PENDING' WHERE id = ${jobId}`);
    await run();
  });
});
