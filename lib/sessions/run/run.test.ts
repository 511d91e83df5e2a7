import { and, asc, count, countDistinct, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, expect, it, vi } from "vitest";
import { insertWebhook } from "@/db/queries/webhooks";
import type { Database } from "@/db";
import { startSessionFile } from "@/db/queries/session-runs";
import {
  contacts,
  cycles,
  issueItems,
  jobs,
  projects,
  stagingRows,
  uploadSessionFiles,
  uploadSessions,
  type Company,
  type UploadSession,
  webhooks,
} from "@/db/schema";
import { drain } from "@/lib/background/in-process/runner";
import { resetEnvForTests } from "@/lib/env";
import { DomainError } from "@/lib/errors";
import { checkStoredObject, uploadedJobRow } from "@/lib/ingest/register";
import { attachStoredFile } from "@/lib/sessions/run/attach";
import {
  abandonSessionRun,
  announceSessionFinished,
  beginSessionRun,
  cancelSession,
  fillSessionSlots,
  recordJobOutcome,
  retrySession,
  sessionIdOfRun,
  sessionRunId,
  startSession,
} from "@/lib/sessions/run/run";
import { getStorage } from "@/lib/storage";
import { describeEachBackend } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";
import { uploaderContext, withJobRunner } from "@/test/ingest";
import { editStagingRow } from "@/lib/review/edit-row";
import { nameBasedUuid } from "@/lib/webhooks/event-id";
import { signedWith, startReceiver } from "@/test/webhook-receiver";
import { encryptSigningSecret, newSigningSecret } from "@/lib/webhooks/secret";

const HEADER = "email,first_name,last_name,company\n";

/** A good file of `rows` contacts, none seen before. */
function goodFile(rows = 3): string {
  const id = unique();
  let body = HEADER;
  for (let row = 0; row < rows; row += 1) body += `p${row}-${id}@example.com,First${row},Last,Acme\n`;
  return body;
}

async function newSession(db: Database, company: Company, name = `Session ${unique()}`): Promise<UploadSession> {
  const [project] = await db
    .insert(projects)
    .values({ companyId: company.id, name: `Project ${unique()}` })
    .returning();
  const [cycle] = await db
    .insert(cycles)
    .values({ companyId: company.id, projectId: project!.id, name: "Q1" })
    .returning();
  const [session] = await db
    .insert(uploadSessions)
    .values({ companyId: company.id, cycleId: cycle!.id, name })
    .returning();
  if (!session) throw new Error("no session");
  return session;
}

async function store(company: Company, fileName: string, body: string): Promise<string> {
  const key = `uploads/${company.id}/${unique()}/${fileName}`;
  const bytes = Buffer.from(body);
  await getStorage().write(key, bytes, { contentType: "text/csv", size: bytes.length });
  return key;
}

async function attach(company: Company, session: UploadSession, fileName: string, body: string) {
  return attachStoredFile({
    companyId: company.id,
    sessionId: session.id,
    key: await store(company, fileName, body),
    fileName,
  });
}

async function reload(db: Database, session: UploadSession): Promise<UploadSession> {
  const [found] = await db.select().from(uploadSessions).where(eq(uploadSessions.id, session.id));
  if (!found) throw new Error("session vanished");
  return found;
}

async function filesOf(db: Database, session: UploadSession) {
  return db
    .select()
    .from(uploadSessionFiles)
    .where(eq(uploadSessionFiles.sessionId, session.id))
    .orderBy(asc(uploadSessionFiles.id));
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describeEachBackend("running upload sessions", (database) => {
  withJobRunner("intake-session-run");
  let company: Company;
  let other: Company;

  beforeAll(async () => {
    company = await createCompany(database.db);
    other = await createCompany(database.db);
  });

  it("runs 20 files: 18 good complete, one with issues needs review, one without an email column is refused", async () => {
    const { db } = database;
    const session = await newSession(db, company);
    for (let index = 0; index < 18; index += 1) {
      const file = await attach(company, session, `good-${index}.csv`, goodFile(index + 1));
      expect(file.status).toBe("ATTACHED");
    }
    const noHeader = await attach(company, session, "no-email.csv", "name,company\nAda,Acme\n");
    expect(noHeader).toMatchObject({ status: "REFUSED" });
    expect(noHeader.reason).toMatch(/email/i);
    const withIssues = await attach(
      company,
      session,
      "with-issues.csv",
      `${HEADER}ok-${unique()}@example.com,Ok,Row,Acme\nnot-an-email,Bad,Row,Acme\n`,
    );
    expect(withIssues.status).toBe("ATTACHED");

    await startSession({ companyId: company.id, sessionId: session.id });
    await drain({ timeoutMs: 60_000 });

    const done = await reload(db, session);
    expect(done).toMatchObject({
      status: "COMPLETED",
      totalFiles: 20,
      completedFiles: 18,
      needsReviewFiles: 1,
      refusedFiles: 1,
      failedFiles: 0,
      cancelledFiles: 0,
      failureReason: null,
    });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();

    const files = await filesOf(db, session);
    const byName = new Map(files.map((file) => [file.fileName, file]));
    expect(byName.get("no-email.csv")).toMatchObject({ status: "REFUSED", jobId: null });
    expect(byName.get("with-issues.csv")?.status).toBe("NEEDS_REVIEW");
    expect(files.filter((file) => file.fileName.startsWith("good-")).map((file) => file.status)).toEqual(
      Array.from({ length: 18 }, () => "COMPLETED"),
    );

    const sessionJobs = await db.select().from(jobs).where(eq(jobs.uploadSessionId, session.id));
    expect(sessionJobs).toHaveLength(19);
    expect(sessionJobs.filter((job) => job.status === "COMPLETED")).toHaveLength(18);
    expect(sessionJobs.filter((job) => job.status === "NEEDS_REVIEW")).toHaveLength(1);
    const jobIds = sessionJobs.map((job) => job.id);
    const [issueRows] = await db
      .select({ rows: countDistinct(issueItems.stagingId) })
      .from(issueItems)
      .where(inArray(issueItems.jobId, jobIds));
    expect({
      rowsStaged: done.rowsStaged,
      rowsLanded: done.rowsLanded,
      rowsWithIssues: done.rowsWithIssues,
      bytes: done.bytes,
    }).toEqual({
      rowsStaged: sessionJobs.reduce((sum, job) => sum + job.stagedRows, 0),
      rowsLanded: sessionJobs.reduce((sum, job) => sum + job.insertedCount + job.updatedCount, 0),
      rowsWithIssues: issueRows?.rows,
      bytes: sessionJobs.reduce((sum, job) => sum + job.sizeBytes, 0),
    });
    // 1 + 2 + … + 18 good rows landed; the file with issues waits for review.
    expect(done.rowsLanded).toBe((18 * 19) / 2);
    expect(done.rowsWithIssues).toBe(1);
  });

  it("counts a file that needed review as completed, with the rows its review landed, once the review ends", async () => {
    const { db } = database;
    const session = await newSession(db, company);
    await attach(company, session, "good.csv", goodFile(2));
    await attach(
      company,
      session,
      "review.csv",
      `${HEADER}ok-${unique()}@example.com,Ok,Row,Acme\nnot-an-email,Bad,Row,Acme\n`,
    );
    await startSession({ companyId: company.id, sessionId: session.id });
    await drain({ timeoutMs: 60_000 });
    expect(await reload(db, session)).toMatchObject({
      status: "COMPLETED",
      completedFiles: 1,
      needsReviewFiles: 1,
      // The file in review lands its rows when the review ends.
      rowsLanded: 2,
      rowsWithIssues: 1,
    });

    const reviewFile = (await filesOf(db, session)).find((file) => file.fileName === "review.csv");
    // An outcome its job does not have (a late, older one) moves nothing.
    expect(await recordJobOutcome({ jobId: reviewFile!.jobId!, status: "FAILED" })).toBeNull();
    expect(await reload(db, session)).toMatchObject({ needsReviewFiles: 1, failedFiles: 0 });
    const [badRow] = await db
      .select({ id: stagingRows.id })
      .from(stagingRows)
      .where(and(eq(stagingRows.jobId, reviewFile!.jobId!), eq(stagingRows.email, "not-an-email")));
    await editStagingRow({
      ctx: uploaderContext(company),
      stagingId: badRow!.id,
      changes: { email: `fixed-${unique()}@example.com` },
    });
    await drain({ timeoutMs: 60_000 });

    const reviewed = await reload(db, session);
    const sessionJobs = await db.select().from(jobs).where(eq(jobs.uploadSessionId, session.id));
    expect(sessionJobs.map((job) => job.status)).toEqual(["COMPLETED", "COMPLETED"]);
    expect(reviewed).toMatchObject({
      status: "COMPLETED",
      completedFiles: 2,
      needsReviewFiles: 0,
      rowsLanded: sessionJobs.reduce((sum, job) => sum + job.insertedCount + job.updatedCount, 0),
      // The fixed row left its issue: as the files list says, no row of the session has one now.
      rowsWithIssues: 0,
    });
    expect(reviewed.rowsLanded).toBe(4);
    expect((await filesOf(db, session)).map((file) => file.status)).toEqual(["COMPLETED", "COMPLETED"]);

    // An outcome the job has left since (told late) changes nothing; told again, the same one changes nothing.
    const reviewJob = reviewFile!.jobId!;
    expect(await recordJobOutcome({ jobId: reviewJob, status: "FAILED" })).toBeNull();
    expect(await recordJobOutcome({ jobId: reviewJob, status: "COMPLETED" })).toBeNull();
    expect(await reload(db, session)).toMatchObject({ completedFiles: 2, failedFiles: 0, rowsLanded: 4 });
  });

  it("tells the company's session.completed webhooks, signed, once the session ends", async () => {
    vi.stubEnv("WEBHOOK_ALLOW_PRIVATE_URLS", "true");
    resetEnvForTests();
    const receiver = await startReceiver([200]);
    try {
      const { secret, prefix } = newSigningSecret();
      await insertWebhook({
        companyId: company.id,
        url: receiver.url,
        events: ["session.completed"],
        description: null,
        isActive: true,
        secretCiphertext: encryptSigningSecret(secret),
        secretPrefix: prefix,
        createdById: null,
      });
      const session = await newSession(database.db, company);
      await attach(company, session, "told.csv", goodFile(2));
      await startSession({ companyId: company.id, sessionId: session.id });
      await drain();
      expect(receiver.received).toHaveLength(1);
      const [request] = receiver.received;
      expect(signedWith(secret, request)).toBe(true);
      const payload = JSON.parse(request!.rawBody) as { type: string; data: Record<string, unknown> };
      expect(payload.type).toBe("session.completed");
      expect(payload.data).toMatchObject({
        session_id: session.id,
        status: "completed",
        files: { total: 1, completed: 1 },
        rows_landed: 2,
      });
      // A replayed announcement sends nothing more.
      expect(await announceSessionFinished({ sessionId: session.id })).toBe(0);
    } finally {
      await database.db.delete(webhooks).where(eq(webhooks.companyId, company.id));
      await receiver.close();
      vi.unstubAllEnvs();
      resetEnvForTests();
    }
  });

  it("ends FAILED with a reason when no file could run", async () => {
    const session = await newSession(database.db, company);
    await attach(company, session, "nothing.csv", "name\nAda\n");
    await startSession({ companyId: company.id, sessionId: session.id });
    await drain();
    const done = await reload(database.db, session);
    expect(done).toMatchObject({ status: "FAILED", refusedFiles: 1, totalFiles: 1 });
    expect(done.failureReason).toMatch(/No file could be imported: 1 refused/);
  });

  it("refuses, at its turn, a file that is the same as one imported meanwhile", async () => {
    const body = goodFile();
    const session = await newSession(database.db, company);
    await attach(company, session, "first.csv", body);
    await attach(company, session, "again.csv", body);
    await startSession({ companyId: company.id, sessionId: session.id });
    await drain();
    const files = await filesOf(database.db, session);
    expect(files.map((file) => file.status)).toEqual(["COMPLETED", "REFUSED"]);
    expect(files[1]?.reason).toMatch(/^This file was already imported as job \d+ \(first\.csv\)$/);
    expect(await reload(database.db, session)).toMatchObject({
      status: "COMPLETED",
      completedFiles: 1,
      refusedFiles: 1,
    });
  });

  it("finishes a run stopped between creating a file's job and queueing it, importing no file twice", async () => {
    const { db } = database;
    const session = await newSession(db, company);
    const bodies = [goodFile(2), goodFile(3), goodFile(4)];
    for (const [index, body] of bodies.entries()) await attach(company, session, `crash-${index}.csv`, body);
    expect(await beginSessionRun({ sessionId: session.id })).toBe("RUNNING");
    // The step that started the first file stopped right after its transaction: a job, RUNNING, never queued.
    const [first] = await filesOf(db, session);
    const checked = await checkStoredObject({
      companyId: company.id,
      key: first!.storageKey,
      fileName: first!.fileName,
      size: first!.sizeBytes!,
    });
    const started = await startSessionFile({
      sessionId: session.id,
      fileId: first!.id,
      concurrency: 4,
      actorUserId: null,
      job: uploadedJobRow({
        companyId: company.id,
        createdById: null,
        createdByApiKeyId: null,
        fileName: first!.fileName,
        key: first!.storageKey,
        size: first!.sizeBytes!,
        sha256: checked.sha256,
        layout: checked.layout,
        importMode: "upsert",
        totalRows: null,
      }),
    });
    expect(started.kind).toBe("started");
    await db
      .update(uploadSessionFiles)
      .set({ updatedAt: sql`now() - interval '5 minutes'` })
      .where(eq(uploadSessionFiles.id, first!.id));

    // The step runs again (the replay after the crash): the stranded file's job is queued first, and the
    // run goes on (the other files may be started here or by the first job's own outcome, whichever is first).
    const queued = await fillSessionSlots({ sessionId: session.id });
    expect(queued[0]).toBe(started.kind === "started" ? started.jobId : null);
    await drain();
    expect(await fillSessionSlots({ sessionId: session.id })).toEqual([]);

    const done = await reload(db, session);
    expect(done).toMatchObject({ status: "COMPLETED", completedFiles: 3, rowsLanded: 9 });
    const sessionJobs = await db.select().from(jobs).where(eq(jobs.uploadSessionId, session.id));
    expect(sessionJobs).toHaveLength(3);
    const emails = bodies.flatMap((body) =>
      body
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => line.split(",")[0]!),
    );
    const [landed] = await db.select({ n: count() }).from(contacts).where(inArray(contacts.email, emails));
    expect(landed?.n).toBe(9);
    const [changes] = await db
      .select({ staged: sql<number>`sum(${jobs.stagedRows})`.mapWith(Number) })
      .from(jobs)
      .where(eq(jobs.uploadSessionId, session.id));
    expect(changes?.staged).toBe(9);
  });

  it("cancels a pending session: its files are cancelled and it cannot start", async () => {
    const session = await newSession(database.db, company);
    await attach(company, session, "a.csv", goodFile());
    await attach(company, session, "b.csv", goodFile());
    const { session: cancelled, cancelledFiles } = await cancelSession({
      companyId: company.id,
      sessionId: session.id,
    });
    expect(cancelledFiles).toBe(2);
    expect(cancelled).toMatchObject({ status: "CANCELLED", cancelledFiles: 2 });
    expect((await filesOf(database.db, session)).map((file) => file.status)).toEqual(["CANCELLED", "CANCELLED"]);
    expect((await rejection(startSession({ companyId: company.id, sessionId: session.id }))).code).toBe("CONFLICT");
    expect((await rejection(cancelSession({ companyId: company.id, sessionId: session.id }))).code).toBe("CONFLICT");
  });

  it("cancels a running session: files not started are cancelled, running ones finish", async () => {
    const { db } = database;
    const session = await newSession(db, company);
    for (let index = 0; index < 3; index += 1) await attach(company, session, `run-${index}.csv`, goodFile());
    await beginSessionRun({ sessionId: session.id });
    const [first] = await filesOf(db, session);
    // One file running (its job created), two still attached.
    await db.update(uploadSessionFiles).set({ status: "RUNNING" }).where(eq(uploadSessionFiles.id, first!.id));
    const { session: stopping, cancelledFiles } = await cancelSession({ companyId: company.id, sessionId: session.id });
    expect(cancelledFiles).toBe(2);
    expect(stopping.status).toBe("RUNNING");
    expect(stopping.cancelRequestedAt).not.toBeNull();
    expect(await fillSessionSlots({ sessionId: session.id })).toEqual([]);
  });

  it("retries the failed files of a finished session", async () => {
    const { db } = database;
    const session = await newSession(db, company);
    await attach(company, session, "ok.csv", goodFile(2));
    await attach(company, session, "flaky.csv", goodFile(3));
    await startSession({ companyId: company.id, sessionId: session.id });
    await drain();
    // The second file's job failed (as a storage outage would make it).
    const files = await filesOf(db, session);
    const flaky = files[1]!;
    await db.update(jobs).set({ status: "FAILED", error: "storage unreachable" }).where(eq(jobs.id, flaky.jobId!));
    await db.update(uploadSessionFiles).set({ status: "FAILED" }).where(eq(uploadSessionFiles.id, flaky.id));
    await db
      .update(uploadSessions)
      .set({ completedFiles: 1, failedFiles: 1, rowsLanded: 2, rowsStaged: 2, bytes: files[0]!.sizeBytes! })
      .where(eq(uploadSessions.id, session.id));

    const { retriedFiles, session: retrying } = await retrySession({
      companyId: company.id,
      sessionId: session.id,
      actorUserId: null,
    });
    expect(retriedFiles).toBe(1);
    expect(retrying).toMatchObject({ status: "PENDING", failedFiles: 0 });
    await drain();
    const done = await reload(db, session);
    expect(done).toMatchObject({ status: "COMPLETED", completedFiles: 2, failedFiles: 0, rowsStaged: 5 });
    expect((await filesOf(db, session)).map((file) => [file.status, file.jobId])).toEqual([
      ["COMPLETED", files[0]!.jobId],
      ["COMPLETED", flaky.jobId],
    ]);
    expect(
      (await rejection(retrySession({ companyId: company.id, sessionId: session.id, actorUserId: null }))).message,
    ).toMatch(/no failed files/);
  });

  it("a run that gives up fails the files it could not start; a retry runs them", async () => {
    const { db } = database;
    const session = await newSession(db, company);
    await attach(company, session, "later-a.csv", goodFile(2));
    await attach(company, session, "later-b.csv", goodFile(2));
    await beginSessionRun({ sessionId: session.id });
    await abandonSessionRun({ sessionId: session.id, reason: "The session's run failed: storage unreachable" });
    const failed = await reload(db, session);
    expect(failed).toMatchObject({ status: "FAILED", failedFiles: 2 });
    expect(failed.failureReason).toMatch(/No file could be imported: 0 refused, 2 failed/);
    expect((await filesOf(db, session)).map((file) => [file.status, file.reason])).toEqual([
      ["FAILED", "The session's run failed: storage unreachable"],
      ["FAILED", "The session's run failed: storage unreachable"],
    ]);
    const { retriedFiles } = await retrySession({ companyId: company.id, sessionId: session.id, actorUserId: null });
    expect(retriedFiles).toBe(2);
    await drain();
    expect(await reload(db, session)).toMatchObject({
      status: "COMPLETED",
      completedFiles: 2,
      failedFiles: 0,
      failureReason: null,
      rowsLanded: 4,
    });
  });

  it.each([
    {
      name: "another company's session is not found",
      act: async (session: UploadSession) =>
        attachStoredFile({
          companyId: other.id,
          sessionId: session.id,
          key: await store(other, "x.csv", goodFile()),
          fileName: "x.csv",
        }),
      code: "NOT_FOUND",
    },
    {
      name: "a key outside the company's uploads is not found",
      act: async (session: UploadSession) =>
        attachStoredFile({
          companyId: company.id,
          sessionId: session.id,
          key: await store(other, "x.csv", goodFile()),
          fileName: "x.csv",
        }),
      code: "NOT_FOUND",
    },
    {
      name: "a key with nothing uploaded is not found",
      act: (session: UploadSession) =>
        attachStoredFile({
          companyId: company.id,
          sessionId: session.id,
          key: `uploads/${company.id}/${unique()}/x.csv`,
          fileName: "x.csv",
        }),
      code: "NOT_FOUND",
    },
    {
      name: "an empty session cannot start",
      act: (session: UploadSession) => startSession({ companyId: company.id, sessionId: session.id }),
      code: "CONFLICT",
    },
    {
      name: "another company cannot start it",
      act: (session: UploadSession) => startSession({ companyId: other.id, sessionId: session.id }),
      code: "NOT_FOUND",
    },
    {
      name: "another company cannot cancel it",
      act: (session: UploadSession) => cancelSession({ companyId: other.id, sessionId: session.id }),
      code: "NOT_FOUND",
    },
    {
      name: "a pending session cannot be retried",
      act: (session: UploadSession) =>
        retrySession({ companyId: company.id, sessionId: session.id, actorUserId: null }),
      code: "CONFLICT",
    },
  ])("$name", async ({ act, code }) => {
    const session = await newSession(database.db, company);
    expect((await rejection(act(session))).code).toBe(code);
  });

  it("refuses a file attached twice, and files for a session that has started", async () => {
    const session = await newSession(database.db, company);
    const key = await store(company, "twice.csv", goodFile());
    await attachStoredFile({ companyId: company.id, sessionId: session.id, key, fileName: "twice.csv" });
    const again = await rejection(
      attachStoredFile({ companyId: company.id, sessionId: session.id, key, fileName: "twice.csv" }),
    );
    expect(again).toMatchObject({ code: "CONFLICT" });
    expect(again.message).toMatch(/attached to session \d+ already/);
    await startSession({ companyId: company.id, sessionId: session.id });
    await drain();
    const late = await rejection(attach(company, session, "late.csv", goodFile()));
    expect(late.code).toBe("CONFLICT");
    expect(late.message).toMatch(/is COMPLETED; files can be attached only while it is PENDING/);
    expect((await reload(database.db, session)).totalFiles).toBe(1);
  });
});

it.each([
  [7, "session-7"],
  [123456, "session-123456"],
])("session %i runs as %s and is read back", (id, runId) => {
  expect(sessionRunId(id)).toBe(runId);
  expect(sessionIdOfRun(runId)).toBe(id);
});

it("names an event with the same UUID every time, and another event with another", () => {
  const id = nameBasedUuid("session.completed:7:2026-12-01T00:00:00.000Z");
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(nameBasedUuid("session.completed:7:2026-12-01T00:00:00.000Z")).toBe(id);
  expect(nameBasedUuid("session.completed:7:2026-12-02T00:00:00.000Z")).not.toBe(id);
});

it.each(["7", "session-", "session-0", "session-07", "job-7", "session-7x"])("%s names no session run", (runId) => {
  expect(sessionIdOfRun(runId)).toBeNull();
});
