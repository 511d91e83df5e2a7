import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as listFiles, POST as attachFile } from "@/app/api/sessions/[id]/files/route";
import { POST as attachPrefix } from "@/app/api/sessions/[id]/files/from-prefix/route";
import { POST as cancelSession } from "@/app/api/sessions/[id]/cancel/route";
import { POST as retrySession } from "@/app/api/sessions/[id]/retry/route";
import { POST as createUpload } from "@/app/api/uploads/route";
import { POST as startUpload } from "@/app/api/uploads/start/route";
import { GET as uploadStatus } from "@/app/api/uploads/status/[job_id]/route";
import type { Database } from "@/db";
import { cycles, jobs, projects, uploadSessions, type Company } from "@/db/schema";
import { drain } from "@/lib/background/in-process/runner";
import { getStorage } from "@/lib/storage";
import { withTempDataDir } from "@/test/data-dir";
import { describeEachBackend } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";
import { call, expectEnvelope } from "@/test/http";
import { keyFor, putToStorage, uploadToStorage, type Signed } from "@/test/jobs";
import { startS3rver, useStorageDriver, type TestS3 } from "@/test/s3";

const HEADER = "email,first_name,last_name,company\n";
const goodCsv = (rows = 2) =>
  HEADER + Array.from({ length: rows }, (_, row) => `r${row}-${unique()}@example.com,Ana,Silva,Acme\n`).join("");

type SessionFileJson = { id: number; filename: string; status: string; reason: string | null; job_id: number | null };

async function newSession(db: Database, company: Company): Promise<number> {
  const [project] = await db
    .insert(projects)
    .values({ companyId: company.id, name: `P ${unique()}` })
    .returning();
  const [cycle] = await db
    .insert(cycles)
    .values({ companyId: company.id, projectId: project!.id, name: "C" })
    .returning();
  const [session] = await db
    .insert(uploadSessions)
    .values({ companyId: company.id, cycleId: cycle!.id, name: `S ${unique()}` })
    .returning();
  return session!.id;
}

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3rver();
}, 30_000);
afterAll(async () => {
  await s3?.close();
});

describeEachBackend("session files, start, status, cancel and retry routes", (database) => {
  withTempDataDir("intake-session-routes");
  afterEach(() => drain());
  let company: Company;
  let uploader: string;
  let viewer: string;

  beforeAll(async () => {
    company = await createCompany(database.db);
    uploader = await keyFor(company, ["uploader"]);
    viewer = await keyFor(company, ["viewer"]);
  });

  const sessionPath = (id: number, tail = "") => `/api/sessions/${id}${tail}`;
  const attach = (id: number, key: string, filename: string) =>
    call(attachFile, sessionPath(id, "/files"), {
      bearer: uploader,
      params: { id: String(id) },
      body: { key, filename },
    });

  describe("local storage", () => {
    useStorageDriver("local", () => s3);

    it("attaches uploads (a refused one with its reason), starts, reports progress and ends completed", async () => {
      const id = await newSession(database.db, company);
      const good = await attach(id, await uploadToStorage(uploader, "good.csv", goodCsv(2)), "good.csv");
      expect(good.status, JSON.stringify(good.json)).toBe(201);
      expect(good.json).toMatchObject({ session_id: id, filename: "good.csv", status: "ATTACHED", job_id: null });
      const namesKey = await uploadToStorage(uploader, "names.csv", "name\nAna\n");
      const refused = await attach(id, namesKey, "names.csv");
      expect(refused.status).toBe(201);
      expect(refused.json).toMatchObject({ status: "REFUSED", reason: expect.stringMatching(/email/i) as unknown });
      // A refused upload leaves no object behind.
      expect(await getStorage().head(namesKey)).toBeNull();

      const started = await call(startUpload, "/api/uploads/start", { bearer: uploader, body: { session_id: id } });
      expect(started.status, JSON.stringify(started.json)).toBe(202);
      expect(started.json).toEqual({ job_id: `session-${id}`, session_id: id, status: "pending" });
      await drain();

      const status = await call(uploadStatus, `/api/uploads/status/session-${id}`, {
        bearer: viewer,
        params: { job_id: `session-${id}` },
      });
      expect(status.status).toBe(200);
      expect(status.json).toMatchObject({
        job_id: `session-${id}`,
        session_id: id,
        status: "completed",
        progress: 100,
        session: { files: { total: 2, completed: 1, refused: 1 }, rows_landed: 2, rows_staged: 2 },
      });

      const listed = await call(listFiles, sessionPath(id, "/files"), { bearer: viewer, params: { id: String(id) } });
      expect(listed.status).toBe(200);
      const files = listed.json.files as (SessionFileJson & { job: unknown })[];
      expect(files.map((file) => [file.filename, file.status])).toEqual([
        ["good.csv", "COMPLETED"],
        ["names.csv", "REFUSED"],
      ]);
      expect(files[0]?.job).toEqual({
        status: "COMPLETED",
        staged_rows: 2,
        rows_with_issues: 0,
        issue_count: 0,
        landed_rows: 2,
      });
      const [job] = await database.db.select().from(jobs).where(eq(jobs.id, files[0]!.job_id!));
      expect(job?.uploadSessionId).toBe(id);

      // Ended: no more starting, attaching, cancelling, and nothing failed to retry.
      const again = await call(startUpload, "/api/uploads/start", { bearer: uploader, body: { session_id: id } });
      expect(expectEnvelope(again, 409, "CONFLICT").message).toBe(
        `Session ${id} is COMPLETED; only a PENDING session can start`,
      );
      const late = await attach(id, await uploadToStorage(uploader, "late.csv", goodCsv()), "late.csv");
      expectEnvelope(late, 409, "CONFLICT");
      const cancel = await call(cancelSession, sessionPath(id, "/cancel"), {
        bearer: uploader,
        method: "POST",
        params: { id: String(id) },
      });
      expect(expectEnvelope(cancel, 409, "CONFLICT").message).toMatch(/is COMPLETED already/);
      const retry = await call(retrySession, sessionPath(id, "/retry"), {
        bearer: uploader,
        method: "POST",
        params: { id: String(id) },
      });
      expect(expectEnvelope(retry, 409, "CONFLICT").message).toBe(`Session ${id} has no failed files to retry`);
    });

    it("takes files whose upload URL was asked for with the session's id, and refuses those never uploaded", async () => {
      const id = await newSession(database.db, company);
      const ask = (filename: string, size: number, sessionId: number = id) =>
        call(createUpload, "/api/uploads", {
          bearer: uploader,
          body: { filename, size, content_type: "text/csv", session_id: sessionId },
        });
      const contents = { "first.csv": goodCsv(3), "second.csv": goodCsv(2), "never.csv": goodCsv(1) };
      const tickets = new Map<string, Signed & { session_id: number; session_file_id: number }>();
      for (const [filename, content] of Object.entries(contents)) {
        const asked = await ask(filename, Buffer.byteLength(content));
        expect(asked.status, JSON.stringify(asked.json)).toBe(201);
        expect(asked.json).toMatchObject({ session_id: id, session_file_id: expect.any(Number) as unknown });
        tickets.set(filename, asked.json as Signed & { session_id: number; session_file_id: number });
      }
      const listFilesOf = async () => {
        const listed = await call(listFiles, sessionPath(id, "/files"), { bearer: viewer, params: { id: String(id) } });
        return (listed.json.files as SessionFileJson[]).map((file) => [file.filename, file.status, file.reason]);
      };
      expect(await listFilesOf()).toEqual([
        ["first.csv", "UPLOADING", null],
        ["second.csv", "UPLOADING", null],
        ["never.csv", "UPLOADING", null],
      ]);
      for (const filename of ["first.csv", "second.csv"] as const) {
        const put = await putToStorage(tickets.get(filename)!, Buffer.from(contents[filename]));
        expect(put.status).toBe(200);
      }
      // Attached explicitly, an UPLOADING file is checked at once and keeps its place (and its count).
      const attached = await attach(id, tickets.get("second.csv")!.key, "second.csv");
      expect(attached.status, JSON.stringify(attached.json)).toBe(201);
      expect(attached.json).toMatchObject({ id: tickets.get("second.csv")!.session_file_id, status: "ATTACHED" });
      const again = await attach(id, tickets.get("second.csv")!.key, "second.csv");
      expectEnvelope(again, 409, "CONFLICT");

      const started = await call(startUpload, "/api/uploads/start", { bearer: uploader, body: { session_id: id } });
      expect(started.status, JSON.stringify(started.json)).toBe(202);
      await drain();

      const never = tickets.get("never.csv")!.key;
      expect(await listFilesOf()).toEqual([
        ["first.csv", "COMPLETED", null],
        ["second.csv", "COMPLETED", null],
        ["never.csv", "REFUSED", `Nothing was uploaded to ${never} before the session started`],
      ]);
      const status = await call(uploadStatus, `/api/uploads/status/session-${id}`, {
        bearer: viewer,
        params: { job_id: `session-${id}` },
      });
      expect(status.json).toMatchObject({
        status: "completed",
        session: { files: { total: 3, completed: 2, refused: 1 }, rows_landed: 5, rows_staged: 5 },
      });

      // Once the session has started, no more URLs for it; another company's session is not found.
      expectEnvelope(await ask("late.csv", 10), 409, "CONFLICT");
      const other = await newSession(database.db, await createCompany(database.db));
      expectEnvelope(await ask("elsewhere.csv", 10, other), 404, "NOT_FOUND");
      const [otherSession] = await database.db.select().from(uploadSessions).where(eq(uploadSessions.id, other));
      expect(otherSession?.totalFiles).toBe(0);
    });

    it("cancels a pending session's files, those still uploading too", async () => {
      const id = await newSession(database.db, company);
      const asked = await call(createUpload, "/api/uploads", {
        bearer: uploader,
        body: { filename: "later.csv", size: 40, session_id: id },
      });
      expect(asked.status).toBe(201);
      const cancelled = await call(cancelSession, sessionPath(id, "/cancel"), {
        bearer: uploader,
        method: "POST",
        params: { id: String(id) },
      });
      expect(cancelled.json).toMatchObject({ status: "cancelled", cancelled_files: 1 });
    });

    it("cancels a pending session", async () => {
      const id = await newSession(database.db, company);
      await attach(id, await uploadToStorage(uploader, "a.csv", goodCsv()), "a.csv");
      const cancelled = await call(cancelSession, sessionPath(id, "/cancel"), {
        bearer: uploader,
        method: "POST",
        params: { id: String(id) },
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.json).toEqual({
        session_id: id,
        status: "cancelled",
        cancelled_files: 1,
        message: `Session ${id} is cancelled`,
      });
    });

    it.each([
      {
        what: "a file without a key",
        act: (id: number) =>
          call(attachFile, sessionPath(id, "/files"), {
            bearer: uploader,
            params: { id: String(id) },
            body: { filename: "x.csv" },
          }),
        status: 400,
        code: "VALIDATION_ERROR",
      },
      {
        what: "a session id that is not a number",
        act: () => call(startUpload, "/api/uploads/start", { bearer: uploader, body: { session_id: "abc" } }),
        status: 400,
        code: "VALIDATION_ERROR",
      },
      {
        what: "a run id that names no session",
        act: () => call(uploadStatus, "/api/uploads/status/job-1", { bearer: uploader, params: { job_id: "job-1" } }),
        status: 404,
        code: "NOT_FOUND",
      },
      {
        what: "starting a session without files",
        act: (id: number) => call(startUpload, "/api/uploads/start", { bearer: uploader, body: { session_id: id } }),
        status: 409,
        code: "CONFLICT",
      },
      {
        what: "a key of the company with nothing uploaded",
        act: (id: number) => attach(id, `uploads/${company.id}/${unique()}/x.csv`, "x.csv"),
        status: 404,
        code: "NOT_FOUND",
      },
      {
        what: "a viewer attaching",
        act: (id: number) =>
          call(attachFile, sessionPath(id, "/files"), {
            bearer: viewer,
            params: { id: String(id) },
            body: { key: `uploads/${company.id}/x/y.csv`, filename: "y.csv" },
          }),
        status: 403,
        code: "FORBIDDEN",
      },
      {
        what: "a prefix with the local storage driver",
        act: (id: number) =>
          call(attachPrefix, sessionPath(id, "/files/from-prefix"), {
            bearer: uploader,
            params: { id: String(id) },
            body: { prefix: `uploads/${company.id}/` },
          }),
        status: 409,
        code: "CONFLICT",
      },
    ])("refuses $what", async ({ act, status, code }) => {
      const id = await newSession(database.db, company);
      expectEnvelope(await act(id), status, code);
    });
  });

  describe("S3 storage", () => {
    useStorageDriver("s3", () => s3);

    it("attaches every .csv, .tsv and .txt object under a prefix, ignores the others, and imports them", async () => {
      const id = await newSession(database.db, company);
      const prefix = `uploads/${company.id}/batch-${unique()}/`;
      const objects: Record<string, string> = {
        "a.csv": goodCsv(1),
        "b.tsv": goodCsv(2).replaceAll(",", "\t"),
        "c.txt": goodCsv(3),
        "nested/d.csv": goodCsv(4),
        "names.csv": "name\nAna\n",
        "readme.md": "# not contacts\n",
        "logo.png": "\u0089PNG",
      };
      for (const [name, body] of Object.entries(objects)) {
        const bytes = Buffer.from(body);
        await getStorage().write(`${prefix}${name}`, bytes, { contentType: "text/plain", size: bytes.length });
      }
      const outside = `uploads/${company.id}/elsewhere-${unique()}/e.csv`;
      await getStorage().write(outside, Buffer.from(goodCsv()), { contentType: "text/csv" });

      const attached = await call(attachPrefix, sessionPath(id, "/files/from-prefix"), {
        bearer: uploader,
        params: { id: String(id) },
        body: { prefix },
      });
      expect(attached.status, JSON.stringify(attached.json)).toBe(201);
      expect(attached.json.attached_count).toBe(5);
      expect(attached.json.ignored_count).toBe(2);
      expect((attached.json.ignored as string[]).sort()).toEqual([`${prefix}logo.png`, `${prefix}readme.md`]);
      expect((attached.json.attached as SessionFileJson[]).map((file) => [file.filename, file.status]).sort()).toEqual([
        ["a.csv", "ATTACHED"],
        ["b.tsv", "ATTACHED"],
        ["c.txt", "ATTACHED"],
        ["d.csv", "ATTACHED"],
        ["names.csv", "REFUSED"],
      ]);
      // Refused, the company's own object stays where it was.
      expect(await getStorage().head(`${prefix}names.csv`)).not.toBeNull();

      const started = await call(startUpload, "/api/uploads/start", { bearer: uploader, body: { session_id: id } });
      expect(started.status).toBe(202);
      await drain();
      const [session] = await database.db.select().from(uploadSessions).where(eq(uploadSessions.id, id));
      expect(session).toMatchObject({
        status: "COMPLETED",
        totalFiles: 5,
        completedFiles: 4,
        refusedFiles: 1,
        rowsLanded: 10,
      });
      const sessionJobs = await database.db.select().from(jobs).where(eq(jobs.uploadSessionId, id));
      expect(sessionJobs.map((job) => job.storageKey).sort()).toEqual(
        ["a.csv", "b.tsv", "c.txt", "nested/d.csv"].map((name) => `${prefix}${name}`),
      );
    });

    it("refuses a prefix outside the company's uploads", async () => {
      const id = await newSession(database.db, company);
      const answer = await call(attachPrefix, sessionPath(id, "/files/from-prefix"), {
        bearer: uploader,
        params: { id: String(id) },
        body: { prefix: "uploads/" },
      });
      expect(expectEnvelope(answer, 400, "VALIDATION_ERROR").message).toBe(
        `The prefix must start with your company's uploads, uploads/${company.id}/`,
      );
    });
  });
});
