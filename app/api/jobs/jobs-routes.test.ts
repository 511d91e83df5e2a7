import { createHash } from "node:crypto";
import { createServer, type AddressInfo } from "node:net";
import { count, countDistinct, eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DELETE as deleteJob, GET as getJob } from "@/app/api/jobs/[job_id]/route";
import { POST as cancelJob } from "@/app/api/jobs/[job_id]/cancel/route";
import { POST as reprocessJob } from "@/app/api/jobs/[job_id]/reprocess/route";
import { GET as listJobs } from "@/app/api/jobs/route";
import { POST as directUpload } from "@/app/api/jobs/upload/route";
import { findJob, findJobForWorker, listJobEvents, lockJob } from "@/db/queries/jobs";
import { rowsOf } from "@/db/rows";
import { issueItems, issues, jobs, stagingRows, type Company, type Group, type JobStatus } from "@/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { configureRunner, drain } from "@/lib/background/in-process/runner";
import { getStorage } from "@/lib/storage";
import { withTempDataDir } from "@/test/data-dir";
import { describeEachBackend, type TestDatabase } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";
import {
  anyNumber,
  anyString,
  call,
  expectEnvelope,
  matching,
  multipartRequest,
  send,
  type CallResult,
} from "@/test/http";
import {
  keyFor,
  presign,
  processedJob,
  putToStorage,
  register,
  storedKeys,
  uploadDirect,
  uploadToStorage,
  type Created,
  type Signed,
} from "@/test/jobs";

/** How a finished job of three clean rows is listed, by an API key (no creator). */
function completedThreeRows(sizeBytes: unknown) {
  return {
    status: "COMPLETED",
    import_mode: "upsert",
    size_bytes: sizeBytes,
    total_rows: 3,
    staged_rows: 3,
    malformed_rows: 0,
    blank_rows: 0,
    processed_rows: 3,
    issue_count: 0,
    inserted_count: 3,
    updated_count: 0,
    skipped_count: 0,
    progress: 100,
    error: null,
    cancel_requested_at: null,
    created_at: anyString,
    started_at: anyString,
    finished_at: anyString,
    created_by: null,
  };
}

const HEADER = "email,first_name,last_name,company\n";
const MB = 1024 * 1024;

/** A clean file no other test has: its emails carry a fresh tag, so its SHA-256 is new too. */
function cleanCsv(rows = 3): string {
  const tag = unique();
  return (
    HEADER +
    Array.from({ length: rows }, (_, index) => `${tag}-p${index}@example.com,First${index},Last${index},Acme\n`).join(
      "",
    )
  );
}

/** Four rows, two issues: one email under two identities (DUPLICATE_EMAIL) and a malformed email (INVALID_EMAIL). */
function issuesCsv(): string {
  const tag = unique();
  return (
    HEADER +
    `${tag}-dup@example.com,Ana,Silva,Acme\n` +
    `${tag}-dup@example.com,Bo,Souza,Globex\n` +
    `${tag}-not-an-email,Cy,Lima,Initech\n` +
    `${tag}-ok@example.com,Di,Costa,Hooli\n`
  );
}

type JobJson = {
  job_id: number;
  status: JobStatus;
  issue_count: number;
  total_rows: number | null;
  s3_key: string;
} & Record<string, unknown>;

const sha256 = (content: string | Buffer) => createHash("sha256").update(content).digest("hex");

// ---- the route handlers, called the way a client uses them ----

const jobPath = (jobId: number) => `/api/jobs/${jobId}`;
const getJobAs = (bearer: string, jobId: number) =>
  call(getJob, jobPath(jobId), { bearer, params: { job_id: String(jobId) } });
const deleteJobAs = (bearer: string, jobId: number) =>
  call(deleteJob, jobPath(jobId), { bearer, method: "DELETE", params: { job_id: String(jobId) } });
const reprocessAs = (bearer: string, jobId: number) =>
  call(reprocessJob, `${jobPath(jobId)}/reprocess`, { bearer, method: "POST", params: { job_id: String(jobId) } });
const listAs = (bearer: string, query = "") => call(listJobs, `/api/jobs${query}`, { bearer });
const cancelAs = (bearer: string, jobId: number) =>
  call(cancelJob, `${jobPath(jobId)}/cancel`, { bearer, method: "POST", params: { job_id: String(jobId) } });

async function jobJson(bearer: string, jobId: number): Promise<JobJson> {
  const result = await getJobAs(bearer, jobId);
  expect(result.status, JSON.stringify(result.json)).toBe(200);
  return result.json as JobJson;
}

/** A local port nothing listens on: one the system just handed out and that was closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

async function setStatus(database: TestDatabase, jobId: number, status: JobStatus): Promise<void> {
  await database.db.update(jobs).set({ status }).where(eq(jobs.id, jobId));
}

/** Statements of the test's database waiting for a lock (Postgres only). */
async function lockWaiters(database: TestDatabase): Promise<number> {
  const [row] = rowsOf<{ waiting: number }>(
    await database.db.execute(
      sql`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    ),
  );
  return row?.waiting ?? 0;
}

/** What processing left in the database for a job. */
async function produced(database: TestDatabase, jobId: number) {
  const [rows] = await database.db
    .select({ rows: count(), distinctRows: countDistinct(stagingRows.rowNumber) })
    .from(stagingRows)
    .where(eq(stagingRows.jobId, jobId));
  const [found] = await database.db.select({ issues: count() }).from(issues).where(eq(issues.jobId, jobId));
  const [items] = await database.db.select({ items: count() }).from(issueItems).where(eq(issueItems.jobId, jobId));
  return {
    rows: rows?.rows ?? 0,
    distinctRows: rows?.distinctRows ?? 0,
    issues: found?.issues ?? 0,
    items: items?.items ?? 0,
  };
}

describeEachBackend("jobs routes", (database) => {
  withTempDataDir("intake-jobs-routes");
  let companyA: Company;
  let companyB: Company;
  let a: Record<Group, string>;
  let b: Record<Group, string>;

  beforeAll(async () => {
    configureRunner({ backoffMs: [5, 5, 5, 5] });
    companyA = await createCompany(database.db, "Alpha Contacts");
    companyB = await createCompany(database.db, "Bravo Contacts");
    const keysOf = async (company: Company) => ({
      admin: await keyFor(company, ["admin"]),
      editor: await keyFor(company, ["editor"]),
      uploader: await keyFor(company, ["uploader"]),
      viewer: await keyFor(company, ["viewer"]),
    });
    a = await keysOf(companyA);
    b = await keysOf(companyB);
  });
  // Background runs started by a test finish before the next one (and before the database closes).
  afterEach(() => drain());

  describe("presigned upload flow", () => {
    it("POST /api/uploads → PUT to the storage URL → POST /api/jobs → processed to COMPLETED", async () => {
      const content = cleanCsv(3);
      const bytes = Buffer.from(content);

      const upload = await presign(a.uploader, "contacts.csv", bytes.length);
      expect(upload.status, JSON.stringify(upload.json)).toBe(201);
      const keyPattern = new RegExp(`^uploads/${companyA.id}/[0-9a-f-]{36}/contacts\\.csv$`);
      expect(upload.json).toEqual({
        upload_url: matching(/^http:\/\/localhost:3000\/api\/storage\/uploads\//),
        method: "PUT",
        headers: { "Content-Type": "text/csv" },
        key: matching(keyPattern),
        expires_at: anyString,
        max_bytes: 1024 * MB,
      });
      const signed = upload.json as Signed;
      const url = new URL(signed.upload_url);
      expect(url.pathname).toBe(`/api/storage/${signed.key}`);
      expect(url.searchParams.get("method")).toBe("PUT");
      expect(url.searchParams.get("size")).toBe(String(bytes.length));
      expect(new Date(signed.expires_at).getTime()).toBeGreaterThan(Date.now());

      const put = await putToStorage(signed, bytes);
      expect(put.status, JSON.stringify(put.json)).toBe(200);
      expect(put.json).toEqual({ key: signed.key, size: bytes.length });
      expect(await getStorage().head(signed.key)).toMatchObject({ key: signed.key, size: bytes.length });

      const created = await register(a.uploader, signed.key, "contacts.csv");
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      expect(created.json).toEqual({
        job_id: anyNumber,
        message: "File 'contacts.csv' uploaded successfully and queued for processing",
        filename: "contacts.csv",
        total_rows: null,
        status: "PENDING",
      });
      const jobId = (created.json as Created).job_id;

      await drain();
      const detail = await jobJson(a.uploader, jobId);
      expect(detail).toEqual({
        job_id: jobId,
        filename: "contacts.csv",
        ...completedThreeRows(bytes.length),
        sha256: sha256(bytes),
        s3_key: signed.key,
        encoding: "utf-8",
        delimiter: ",",
        header_mapping: { email: "email", first_name: "first_name", last_name: "last_name", company: "company" },
        headers: ["email", "first_name", "last_name", "company"],
        events: [
          { status: "PENDING", message: "Uploaded", created_at: anyString },
          { status: "PROCESSING", message: "Processing started", created_at: anyString },
          { status: "COMPLETED", message: "3 inserted, 0 updated, 0 skipped", created_at: anyString },
        ],
        issues_open: 0,
        issues_resolved: 0,
      });
      const times = (detail.events as { created_at: string }[]).map((event) => Date.parse(event.created_at));
      expect(times).toEqual([...times].sort((x, y) => x - y));
      // The file stays stored with its job.
      expect(await getStorage().head(signed.key)).not.toBeNull();
    });

    it("the storage URL accepts no more bytes than were signed for, and nothing from an altered URL", async () => {
      const upload = await presign(a.uploader, "small.csv", 10);
      const signed = upload.json as Signed;
      const tooMany = await putToStorage(signed, Buffer.from(cleanCsv()));
      expect(expectEnvelope(tooMany, 413, "PAYLOAD_TOO_LARGE").details).toEqual({ max_bytes: 10 });

      const altered = new URL(signed.upload_url);
      altered.searchParams.set("size", "100000");
      const forged = await putToStorage(signed, Buffer.from(cleanCsv()), altered);
      expect(expectEnvelope(forged, 403, "FORBIDDEN").details).toEqual({ reason: "bad-signature" });
      expect(await getStorage().head(signed.key)).toBeNull();
    });
  });

  describe("refusals when registering", () => {
    it.each([
      {
        what: "a file without the company column",
        filename: "no-company.csv",
        registeredAs: "no-company.csv",
        content: "email,first_name,last_name\nana@example.com,Ana,Silva\n",
        rule: "MISSING_HEADERS",
        message: "Missing required header: company. Found headers: email, first_name, last_name",
        details: { missing: ["company"], found: ["email", "first_name", "last_name"] },
      },
      {
        what: "a header without data rows",
        filename: "header-only.csv",
        registeredAs: "header-only.csv",
        content: HEADER,
        rule: "NO_DATA_ROWS",
        message: "The file has a header but no data rows.",
        details: { headers: ["email", "first_name", "last_name", "company"] },
      },
      {
        what: "a spreadsheet's name",
        filename: "contacts.csv",
        registeredAs: "contacts.xlsx",
        content: "email,first_name,last_name,company\nx@example.com,X,Y,Z\n",
        rule: "UNSUPPORTED_EXTENSION",
        message: 'File "contacts.xlsx" has an unsupported extension (.xlsx). Allowed extensions: .csv, .tsv, .txt.',
        details: { extension: ".xlsx" },
      },
    ])(
      "$what → 400 $rule, and the stored object is removed",
      async ({ filename, registeredAs, content, rule, message, details }) => {
        const key = await uploadToStorage(a.uploader, filename, content);
        const error = expectEnvelope(await register(a.uploader, key, registeredAs), 400, "VALIDATION_ERROR");
        expect(error.message).toBe(message);
        expect(error.details).toMatchObject({ rule, ...details });
        expect(await getStorage().head(key)).toBeNull();
        const [row] = await database.db.select({ jobs: count() }).from(jobs).where(eq(jobs.storageKey, key));
        expect(row?.jobs).toBe(0);
      },
    );

    it.each([
      {
        what: "a spreadsheet",
        filename: "contacts.xlsx",
        size: 100,
        status: 400,
        code: "VALIDATION_ERROR",
        rule: "UNSUPPORTED_EXTENSION",
      },
      {
        what: "a name without extension",
        filename: "contacts",
        size: 100,
        status: 400,
        code: "VALIDATION_ERROR",
        rule: "UNSUPPORTED_EXTENSION",
      },
      {
        what: "an empty file",
        filename: "empty.csv",
        size: 0,
        status: 400,
        code: "VALIDATION_ERROR",
        rule: "EMPTY_FILE",
      },
    ])("POST /api/uploads for $what → $status $rule", async ({ filename, size, status, code, rule }) => {
      const error = expectEnvelope(await presign(a.uploader, filename, size), status, code);
      expect(error.details).toMatchObject({ rule });
    });

    it("a file over MAX_UPLOAD_BYTES → 413, when asking for a URL and when registering (the object is removed)", async () => {
      const content = cleanCsv(5);
      const size = Buffer.byteLength(content);
      expect(size).toBeGreaterThan(100);
      const key = await uploadToStorage(a.uploader, "big.csv", content);

      vi.stubEnv("MAX_UPLOAD_BYTES", "100");
      resetEnvForTests();
      try {
        const presigned = expectEnvelope(await presign(a.uploader, "big.csv", 101), 413, "PAYLOAD_TOO_LARGE");
        expect(presigned.details).toEqual({ size: 101, limit: 100 });
        expect(presigned.message).toBe("big.csv is 101 bytes; the limit is 100 bytes");
        expect((await presign(a.uploader, "just-fits.csv", 100)).status).toBe(201);

        const registered = expectEnvelope(await register(a.uploader, key, "big.csv"), 413, "PAYLOAD_TOO_LARGE");
        expect(registered.details).toEqual({ rule: "FILE_TOO_LARGE", size, limit: 100 });
        expect(await getStorage().head(key)).toBeNull();
      } finally {
        vi.stubEnv("MAX_UPLOAD_BYTES", "");
        resetEnvForTests();
      }
    });

    it("the same file registered twice → 409 CONFLICT naming the first job; the second copy is removed", async () => {
      const content = cleanCsv();
      const firstKey = await uploadToStorage(a.uploader, "first.csv", content);
      const first = await register(a.uploader, firstKey, "first.csv");
      expect(first.status, JSON.stringify(first.json)).toBe(201);
      const firstId = (first.json as Created).job_id;
      await drain();

      const secondKey = await uploadToStorage(a.uploader, "again.csv", content);
      const error = expectEnvelope(await register(a.uploader, secondKey, "again.csv"), 409, "CONFLICT");
      expect(error.details).toEqual({ existing_job_id: firstId, existing_status: "COMPLETED" });
      expect(error.message).toBe(`This file was already imported as job ${firstId} (first.csv)`);
      expect(await getStorage().head(secondKey)).toBeNull();
      expect(await getStorage().head(firstKey)).not.toBeNull();

      // The direct upload refuses it too, and stores nothing.
      const before = await storedKeys(`uploads/${companyA.id}/`);
      const direct = expectEnvelope(await uploadDirect(a.uploader, "third.csv", content), 409, "CONFLICT");
      expect(direct.details).toMatchObject({ existing_job_id: firstId });
      expect(await storedKeys(`uploads/${companyA.id}/`)).toEqual(before);

      // Another company may import the very same file.
      expect((await uploadDirect(b.uploader, "first.csv", content)).status).toBe(201);
    });

    it("registering the same key again → 409, and the existing job keeps its file", async () => {
      const key = await uploadToStorage(a.uploader, "retried.csv", cleanCsv());
      const first = await register(a.uploader, key, "retried.csv");
      expect(first.status).toBe(201);
      await drain();
      const again = expectEnvelope(await register(a.uploader, key, "retried.csv"), 409, "CONFLICT");
      expect(again.details).toMatchObject({ existing_job_id: (first.json as Created).job_id });
      expect(await getStorage().head(key)).not.toBeNull();
    });

    // A signed PUT URL stays valid for a while: it must not replace bytes that were checked and hashed.
    it("a signed upload URL cannot replace the file of a registered job", async () => {
      const content = cleanCsv();
      const upload = await presign(a.uploader, "frozen.csv", 4096);
      const signed = upload.json as Signed;
      expect((await putToStorage(signed, Buffer.from(content))).status).toBe(200);
      const created = await register(a.uploader, signed.key, "frozen.csv");
      expect(created.status).toBe(201);
      await drain();

      const replaced = await putToStorage(signed, Buffer.from("email,first_name\nnot,checked\n"));
      expect(replaced.status).not.toBe(200);
      expect(await getStorage().head(signed.key)).toMatchObject({ size: Buffer.byteLength(content) });
    });

    it.each([
      {
        what: "another company's upload",
        key: async () => uploadToStorage(b.uploader, "theirs.csv", cleanCsv()),
        message: "No upload of your company at that key; get one from POST /api/uploads",
        kept: true,
      },
      {
        what: "a key nothing was uploaded to",
        key: async () => ((await presign(a.uploader, "never.csv", 100)).json as Signed).key,
        message: /^Nothing has been uploaded to uploads\/.+\/never\.csv yet$/,
        kept: false,
      },
      {
        what: "a key climbing out of the company's uploads",
        key: () => Promise.resolve(`uploads/${companyA.id}/../${companyB.id}/x.csv`),
        message: "No upload of your company at that key; get one from POST /api/uploads",
        kept: false,
      },
    ])("$what → 404", async ({ key: makeKey, message, kept }) => {
      const key = await makeKey();
      const error = expectEnvelope(await register(a.uploader, key, "x.csv"), 404, "NOT_FOUND");
      if (typeof message === "string") expect(error.message).toBe(message);
      else expect(error.message).toMatch(message);
      // Someone else's object is left alone.
      if (kept) expect(await getStorage().head(key)).not.toBeNull();
      const [registered] = await database.db.select({ jobs: count() }).from(jobs).where(eq(jobs.storageKey, key));
      expect(registered?.jobs).toBe(0);
    });
  });

  describe("direct multipart upload", () => {
    it("a clean file → 201 PENDING, then COMPLETED", async () => {
      const content = cleanCsv(4);
      const created = await uploadDirect(a.uploader, "direct.csv", content, { import_mode: "create" });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      expect(created.json).toEqual({
        job_id: anyNumber,
        message: "File 'direct.csv' uploaded successfully and queued for processing",
        filename: "direct.csv",
        total_rows: 4,
        status: "PENDING",
      });
      await drain();
      const detail = await jobJson(a.viewer, (created.json as Created).job_id);
      expect(detail).toMatchObject({
        status: "COMPLETED",
        import_mode: "create",
        total_rows: 4,
        inserted_count: 4,
        progress: 100,
        sha256: sha256(content),
      });
      expect(detail.s3_key).toMatch(new RegExp(`^uploads/${companyA.id}/[0-9a-f-]{36}/direct\\.csv$`));
      expect(await getStorage().head(detail.s3_key)).toMatchObject({ size: Buffer.byteLength(content) });
    });

    describe("refused files leave nothing stored", () => {
      let company: Company;
      let uploader: string;
      beforeAll(async () => {
        company = await createCompany(database.db);
        uploader = await keyFor(company, ["uploader"]);
      });

      const formWith = (entries: [string, string | File][]) => {
        const form = new FormData();
        for (const [name, value] of entries) form.set(name, value);
        return form;
      };
      const csvFile = (content: string | Uint8Array, name = "contacts.csv") =>
        new File([typeof content === "string" ? content : new Uint8Array(content)], name, { type: "text/csv" });
      const bigCsv = (bytes: number) => {
        const line = "filler@example.com,First,Last,Company\n";
        const body = HEADER + line.repeat(Math.ceil(bytes / line.length));
        return body.slice(0, bytes - 1) + "\n";
      };

      it.each<{
        what: string;
        request: (bearer: string) => Promise<NextRequest>;
        status: number;
        code: string;
        details?: unknown;
      }>([
        {
          what: "no file field",
          request: (bearer) =>
            multipartRequest("/api/jobs/upload", formWith([["document", csvFile(cleanCsv())]]), { bearer }),
          status: 400,
          code: "VALIDATION_ERROR",
          details: { field: "file" },
        },
        {
          what: "a text field named file",
          request: (bearer) => multipartRequest("/api/jobs/upload", formWith([["file", cleanCsv()]]), { bearer }),
          status: 400,
          code: "VALIDATION_ERROR",
          details: { field: "file" },
        },
        {
          what: "a JSON body (not multipart)",
          request: (bearer) =>
            Promise.resolve(
              new NextRequest("http://localhost/api/jobs/upload", {
                method: "POST",
                headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
                body: JSON.stringify({ file: cleanCsv() }),
              }),
            ),
          status: 415,
          code: "UNSUPPORTED_MEDIA_TYPE",
        },
        {
          what: "a request over 5 MB (Content-Length)",
          request: (bearer) =>
            multipartRequest("/api/jobs/upload", formWith([["file", csvFile(bigCsv(5 * MB + 200 * 1024))]]), {
              bearer,
            }),
          status: 413,
          code: "PAYLOAD_TOO_LARGE",
          details: { limit: 5 * MB },
        },
        {
          what: "a file 1 byte over 5 MB in a request under the limit",
          request: (bearer) =>
            multipartRequest("/api/jobs/upload", formWith([["file", csvFile(bigCsv(5 * MB + 1))]]), { bearer }),
          status: 413,
          code: "PAYLOAD_TOO_LARGE",
          details: { rule: "FILE_TOO_LARGE", size: 5 * MB + 1, limit: 5 * MB },
        },
        {
          what: "a file without the company column",
          request: (bearer) =>
            multipartRequest(
              "/api/jobs/upload",
              formWith([["file", csvFile("email,first_name,last_name\na@example.com,A,B\n")]]),
              { bearer },
            ),
          status: 400,
          code: "VALIDATION_ERROR",
          details: { rule: "MISSING_HEADERS", missing: ["company"] },
        },
        {
          what: "a header-only file",
          request: (bearer) => multipartRequest("/api/jobs/upload", formWith([["file", csvFile(HEADER)]]), { bearer }),
          status: 400,
          code: "VALIDATION_ERROR",
          details: { rule: "NO_DATA_ROWS" },
        },
        {
          what: "a spreadsheet",
          request: (bearer) =>
            multipartRequest("/api/jobs/upload", formWith([["file", csvFile(cleanCsv(), "contacts.xlsx")]]), {
              bearer,
            }),
          status: 400,
          code: "VALIDATION_ERROR",
          details: { rule: "UNSUPPORTED_EXTENSION" },
        },
        {
          what: "an unknown import mode",
          request: (bearer) =>
            multipartRequest(
              "/api/jobs/upload",
              formWith([
                ["file", csvFile(cleanCsv())],
                ["import_mode", "replace"],
              ]),
              { bearer },
            ),
          status: 400,
          code: "VALIDATION_ERROR",
        },
      ])("$what → $status $code", async ({ request, status, code, details }) => {
        const error = expectEnvelope(await send(directUpload, await request(uploader), {}), status, code);
        if (details !== undefined) expect(error.details).toMatchObject(details as Record<string, unknown>);
        expect(await storedKeys(`uploads/${company.id}/`)).toEqual([]);
        const [row] = await database.db.select({ jobs: count() }).from(jobs).where(eq(jobs.companyId, company.id));
        expect(row?.jobs).toBe(0);
      });
    });
  });

  describe("groups", () => {
    let jobId: number;
    let key: string;
    beforeAll(async () => {
      jobId = await processedJob(a.uploader, issuesCsv());
      key = (await jobJson(a.viewer, jobId)).s3_key;
    });

    const actions: Record<string, (bearer: string) => Promise<CallResult>> = {
      "POST /api/uploads": (bearer) => presign(bearer, "x.csv", 100),
      "POST /api/jobs": (bearer) => register(bearer, key, "x.csv"),
      "POST /api/jobs/upload": (bearer) => uploadDirect(bearer, "x.csv", cleanCsv()),
      "POST /api/jobs/{id}/reprocess": (bearer) => reprocessAs(bearer, jobId),
      "DELETE /api/jobs/{id}": (bearer) => deleteJobAs(bearer, jobId),
    };

    it.each([
      { who: "viewer", action: "POST /api/uploads", needs: "uploader" },
      { who: "viewer", action: "POST /api/jobs", needs: "uploader" },
      { who: "viewer", action: "POST /api/jobs/upload", needs: "uploader" },
      { who: "viewer", action: "POST /api/jobs/{id}/reprocess", needs: "uploader" },
      { who: "viewer", action: "DELETE /api/jobs/{id}", needs: "editor" },
      { who: "uploader", action: "DELETE /api/jobs/{id}", needs: "editor" },
      { who: "editor", action: "POST /api/jobs/upload", needs: "uploader" },
    ] as const)("$who: $action → 403 (needs $needs)", async ({ who, action, needs }) => {
      const run = actions[action];
      if (!run) throw new Error(`no action ${action}`);
      const error = expectEnvelope(await run(a[who]), 403, "FORBIDDEN");
      expect(error.details).toEqual({ required_group: needs, your_groups: [who] });
      // Nothing changed: the job waits for review with its file.
      expect((await findJobForWorker({ jobId }))?.status).toBe("NEEDS_REVIEW");
      expect(await getStorage().head(key)).not.toBeNull();
    });

    it("a viewer reads the list and the job", async () => {
      expect((await listAs(a.viewer)).status).toBe(200);
      expect(await jobJson(a.viewer, jobId)).toMatchObject({
        status: "NEEDS_REVIEW",
        issue_count: 2,
        issues_open: 2,
        issues_resolved: 0,
      });
    });

    it("an uploader may reprocess, an admin may do anything, an editor may delete", async () => {
      expect((await reprocessAs(a.uploader, jobId)).status).toBe(200);
      await drain();
      expect((await reprocessAs(a.admin, jobId)).status).toBe(200);
      await drain();
      const deleted = await deleteJobAs(a.editor, jobId);
      expect(deleted.status, JSON.stringify(deleted.json)).toBe(200);
      expect(await findJobForWorker({ jobId })).toBeNull();
    });

    it("without credentials → 401", async () => {
      const result = await call(listJobs, "/api/jobs");
      expectEnvelope(result, 401, "AUTHENTICATION_FAILED");
    });
  });

  describe("tenant scoping", () => {
    let jobId: number;
    let other: Company;
    let otherAdmin: string;
    beforeAll(async () => {
      jobId = await processedJob(a.uploader, issuesCsv());
      other = await createCompany(database.db, "Other Company");
      otherAdmin = await keyFor(other, ["admin"]);
    });

    it.each([
      ["GET /api/jobs/{id}", (bearer: string, id: number) => getJobAs(bearer, id)],
      ["DELETE /api/jobs/{id}", (bearer: string, id: number) => deleteJobAs(bearer, id)],
      ["POST /api/jobs/{id}/reprocess", (bearer: string, id: number) => reprocessAs(bearer, id)],
      ["POST /api/jobs/{id}/cancel", (bearer: string, id: number) => cancelAs(bearer, id)],
    ] as const)("another company's admin: %s of company A's job → 404", async (_name, run) => {
      const error = expectEnvelope(await run(otherAdmin, jobId), 404, "NOT_FOUND");
      expect(error.message).toBe(`Job ${jobId} not found`);
      const job = await findJobForWorker({ jobId });
      expect(job).toMatchObject({ status: "NEEDS_REVIEW", issueCount: 2 });
      expect(await getStorage().head(job?.storageKey ?? "")).not.toBeNull();
    });

    it("another company's list does not show it", async () => {
      for (const query of ["", "?status=NEEDS_REVIEW", "?page_size=100"]) {
        const result = await listAs(otherAdmin, query);
        expect(result.status).toBe(200);
        expect(result.json).toMatchObject({ jobs: [], total: 0 });
      }
      const own = await listAs(a.viewer, "?status=NEEDS_REVIEW&page_size=100");
      expect((own.json.jobs as { job_id: number }[]).map((job) => job.job_id)).toContain(jobId);
    });

    it("an unknown job → 404, a job id that is not a number → 400", async () => {
      expectEnvelope(await getJobAs(a.viewer, 987_654_321), 404, "NOT_FOUND");
      const error = expectEnvelope(
        await call(getJob, "/api/jobs/abc", { bearer: a.viewer, params: { job_id: "abc" } }),
        400,
        "VALIDATION_ERROR",
      );
      expect(error.message).toMatch(/job_id/);
    });
  });

  describe("list", () => {
    let uploader: string;
    let ids: number[];
    beforeAll(async () => {
      const company = await createCompany(database.db);
      uploader = await keyFor(company, ["uploader"]);
      ids = [];
      ids.push(await processedJob(uploader, cleanCsv(), "one.csv"));
      ids.push(await processedJob(uploader, issuesCsv(), "two.csv"));
      ids.push(await processedJob(uploader, cleanCsv(), "three.csv"));
    });

    const jobIdsOf = (result: CallResult) => (result.json.jobs as { job_id: number }[]).map((job) => job.job_id);

    it("newest first, with each job's fields", async () => {
      const result = await listAs(uploader);
      expect(result.status).toBe(200);
      expect(result.json).toMatchObject({ total: 3, page: 1, page_size: 25 });
      expect(jobIdsOf(result)).toEqual([...ids].reverse());
      const [newest] = result.json.jobs as Record<string, unknown>[];
      expect(newest).toEqual({ job_id: ids[2], filename: "three.csv", ...completedThreeRows(anyNumber) });
    });

    it.each([
      { query: "?status=COMPLETED", expected: [2, 0], total: 2 },
      { query: "?status=NEEDS_REVIEW", expected: [1], total: 1 },
      { query: "?status=FAILED", expected: [], total: 0 },
      { query: "?page_size=2", expected: [2, 1], total: 3 },
      { query: "?page_size=2&page=2", expected: [0], total: 3 },
      { query: "?page_size=2&page=3", expected: [], total: 3 },
      { query: "?status=COMPLETED&page_size=1&page=2", expected: [0], total: 2 },
    ])("$query", async ({ query, expected, total }) => {
      const result = await listAs(uploader, query);
      expect(result.status, JSON.stringify(result.json)).toBe(200);
      expect(result.json.total).toBe(total);
      expect(jobIdsOf(result)).toEqual(expected.map((index) => ids[index]));
    });

    it.each([
      { query: "?status=DONE", field: "query.status" },
      { query: "?page_size=101", field: "query.page_size" },
      { query: "?page_size=0", field: "query.page_size" },
      { query: "?page=0", field: "query.page" },
      { query: "?page=two", field: "query.page" },
    ])("$query → 400", async ({ query, field }) => {
      const error = expectEnvelope(await listAs(uploader, query), 400, "VALIDATION_ERROR");
      expect(JSON.stringify(error.details)).toContain(field);
    });
  });

  describe("delete", () => {
    it.each(["PROCESSING", "COMPLETED", "REVERTED"] as const)("a %s job → 400 naming its status", async (status) => {
      const jobId = await processedJob(a.uploader, cleanCsv());
      if (status !== "COMPLETED") await setStatus(database, jobId, status);
      const error = expectEnvelope(await deleteJobAs(a.editor, jobId), 400, "BAD_REQUEST");
      const hint = status === "PROCESSING" ? ` (cancel it first: POST /api/jobs/${jobId}/cancel)` : "";
      expect(error.message).toBe(
        `Job ${jobId} is ${status}; only PENDING, NEEDS_REVIEW, FAILED, CANCELLED jobs can be deleted${hint}`,
      );
      expect(error.details).toEqual({ status });
      const job = await findJobForWorker({ jobId });
      expect(job?.status).toBe(status);
      expect(await getStorage().head(job?.storageKey ?? "")).not.toBeNull();
    });

    it("a NEEDS_REVIEW job → 200; its rows, issues, issue items, timeline and file are gone", async () => {
      const jobId = await processedJob(a.uploader, issuesCsv());
      const job = await jobJson(a.editor, jobId);
      expect(job.status).toBe("NEEDS_REVIEW");
      expect(await produced(database, jobId)).toEqual({ rows: 4, distinctRows: 4, issues: 2, items: 3 });

      const deleted = await deleteJobAs(a.editor, jobId);
      expect(deleted.status, JSON.stringify(deleted.json)).toBe(200);
      expect(deleted.json).toEqual({ message: `Job ${jobId} cancelled successfully`, job_id: jobId });

      expect(await produced(database, jobId)).toEqual({ rows: 0, distinctRows: 0, issues: 0, items: 0 });
      expect(await listJobEvents({ jobId })).toEqual([]);
      expectEnvelope(await getJobAs(a.editor, jobId), 404, "NOT_FOUND");
      expect(await getStorage().head(job.s3_key)).toBeNull();
      expectEnvelope(await deleteJobAs(a.editor, jobId), 404, "NOT_FOUND");
    });

    it("a job that starts PROCESSING while its delete waits for the job's lock → 400 naming PROCESSING; nothing is deleted", async () => {
      const jobId = await processedJob(a.uploader, issuesCsv());
      await setStatus(database, jobId, "PENDING");
      const producedBefore = await produced(database, jobId);
      expect(producedBefore).toEqual({ rows: 4, distinctRows: 4, issues: 2, items: 3 });
      let deleting: Promise<CallResult> | undefined;
      // The job's run starts as the delete arrives: it holds the job's row until its move to PROCESSING commits.
      await database.db.transaction(async (tx) => {
        await lockJob({ db: tx, jobId, companyId: companyA.id });
        deleting = deleteJobAs(a.editor, jobId);
        // On Postgres the delete gets as far as the job's lock and waits there (a delete that checked the
        // status before taking the lock has passed its check by then). PGlite runs one transaction at a
        // time: there the delete starts once this one has ended.
        if (database.kind === "postgres")
          await vi.waitFor(async () => expect(await lockWaiters(database)).toBe(1), { timeout: 10_000, interval: 20 });
        await tx.update(jobs).set({ status: "PROCESSING" }).where(eq(jobs.id, jobId));
      });
      if (!deleting) throw new Error("the delete was not sent");

      const error = expectEnvelope(await deleting, 400, "BAD_REQUEST");
      expect(error.message).toBe(
        `Job ${jobId} is PROCESSING; only PENDING, NEEDS_REVIEW, FAILED, CANCELLED jobs can be deleted (cancel it first: POST /api/jobs/${jobId}/cancel)`,
      );
      expect(error.details).toEqual({ status: "PROCESSING" });
      const job = await findJobForWorker({ jobId });
      expect(job?.status).toBe("PROCESSING");
      expect(await produced(database, jobId)).toEqual(producedBefore);
      expect(await getStorage().head(job?.storageKey ?? "")).not.toBeNull();
    });

    it.each(["PENDING", "FAILED"] as const)("a %s job → 200", async (status) => {
      const jobId = await processedJob(a.uploader, cleanCsv());
      await setStatus(database, jobId, status);
      expect((await deleteJobAs(a.admin, jobId)).status).toBe(200);
      expect(await findJobForWorker({ jobId })).toBeNull();
    });
  });

  describe("reprocess", () => {
    it("a NEEDS_REVIEW job → 200, then NEEDS_REVIEW again with the same issues and no duplicated rows", async () => {
      const jobId = await processedJob(a.uploader, issuesCsv());
      const before = await jobJson(a.uploader, jobId);
      expect(before).toMatchObject({ status: "NEEDS_REVIEW", issue_count: 2, total_rows: 4 });
      const producedBefore = await produced(database, jobId);

      const result = await reprocessAs(a.uploader, jobId);
      expect(result.status, JSON.stringify(result.json)).toBe(200);
      expect(result.json).toEqual({
        job_id: jobId,
        message: `Job ${jobId} queued for reprocessing`,
        s3_key: before.s3_key,
      });
      await drain();

      const after = await jobJson(a.uploader, jobId);
      expect(after).toMatchObject({
        status: "NEEDS_REVIEW",
        issue_count: 2,
        total_rows: 4,
        staged_rows: 4,
        skipped_count: before.skipped_count,
      });
      expect(await produced(database, jobId)).toEqual(producedBefore);
      expect(producedBefore).toEqual({ rows: 4, distinctRows: 4, issues: 2, items: 3 });
      expect(
        (after.events as { status: string; message: string | null }[]).map((event) => [event.status, event.message]),
      ).toEqual([
        ["PENDING", "Uploaded"],
        ["PROCESSING", "Processing started"],
        ["NEEDS_REVIEW", "2 issues to review"],
        ["PENDING", "Reprocessing requested"],
        ["PROCESSING", "Processing started"],
        ["NEEDS_REVIEW", "2 issues to review"],
      ]);
    });

    it.each(["PROCESSING", "REVERTED"] as const)("a %s job → 409", async (status) => {
      const jobId = await processedJob(a.uploader, issuesCsv());
      await setStatus(database, jobId, status);
      const producedBefore = await produced(database, jobId);
      const error = expectEnvelope(await reprocessAs(a.uploader, jobId), 409, "CONFLICT");
      expect(error.message).toBe(
        `Job ${jobId} is ${status}; only PENDING, FAILED, NEEDS_REVIEW, COMPLETED, CANCELLED jobs can be reprocessed`,
      );
      expect(error.details).toEqual({ status });
      expect((await findJobForWorker({ jobId }))?.status).toBe(status);
      expect(await produced(database, jobId)).toEqual(producedBefore);
    });
  });

  describe("dispatch failure", () => {
    it("Inngest cannot be reached → 503 with the job id; the job stays PENDING with its file, and reprocess recovers it", async () => {
      // inngest/client.ts reads its settings when first loaded: load a fresh copy of the route's modules
      // with a dev server address where nothing listens, so that inngest.send really fails (connection
      // refused). Not port 9: fetch refuses that "bad port" before trying to connect.
      vi.stubEnv("INNGEST_DEV", "1");
      vi.stubEnv("INNGEST_BASE_URL", `http://127.0.0.1:${await closedPort()}`);
      let result: CallResult;
      const content = cleanCsv();
      try {
        vi.resetModules();
        const fresh = await import("@/app/api/jobs/upload/route");
        const form = new FormData();
        form.set("file", new File([content], "unqueued.csv", { type: "text/csv" }));
        result = await send(fresh.POST, await multipartRequest("/api/jobs/upload", form, { bearer: a.uploader }), {});
      } finally {
        vi.stubEnv("INNGEST_DEV", "");
        vi.stubEnv("INNGEST_BASE_URL", "");
      }
      const error = expectEnvelope(result, 503, "SERVICE_UNAVAILABLE");
      const { job_id: jobId } = error.details as { job_id: number };
      expect(error.details).toEqual({ job_id: anyNumber });
      expect(error.message).toBe(`Job ${jobId} was saved but could not be queued for processing; reprocess it later`);

      const job = await findJob({ jobId, companyId: companyA.id });
      expect(job).toMatchObject({
        status: "PENDING",
        fileName: "unqueued.csv",
        sha256: sha256(content),
        error: "Could not be queued for processing",
      });
      expect(await getStorage().head(job?.storageKey ?? "")).toMatchObject({ size: Buffer.byteLength(content) });
      expect((await listJobEvents({ jobId })).map((event) => [event.status, event.message])).toEqual([
        ["PENDING", "Uploaded"],
        ["PENDING", "Could not be queued; reprocess it to try again"],
      ]);
      expect(await jobJson(a.viewer, jobId)).toMatchObject({
        status: "PENDING",
        progress: 0,
        error: "Could not be queued for processing",
      });

      // With the in-process runner back, reprocessing queues it and it completes.
      expect((await reprocessAs(a.uploader, jobId)).status).toBe(200);
      await drain();
      expect(await jobJson(a.viewer, jobId)).toMatchObject({ status: "COMPLETED", error: null, inserted_count: 3 });
    });
  });
});
