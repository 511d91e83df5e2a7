import { count, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { jobs, type Company } from "@/db/schema";
import { drain } from "@/lib/background/in-process/runner";
import { getStorage } from "@/lib/storage";
import { withTempDataDir } from "@/test/data-dir";
import { describeEachBackend, type TestDatabase } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";
import { expectEnvelope, type CallResult } from "@/test/http";
import {
  keyFor,
  presign,
  register,
  storedKeys,
  uploadDirect,
  uploadToStorage,
  type Created,
  type Signed,
} from "@/test/jobs";
import { startS3rver, useStorageDriver, type TestS3 } from "@/test/s3";

/**
 * Issue 10 part 4: registration never answers 5xx for a bad file and never leaves a stored object
 * behind it refused, on both upload paths (presigned: POST /api/uploads → PUT → POST /api/jobs; and
 * multipart: POST /api/jobs/upload), with the local store and with S3 (s3rver). Every case lists the
 * company's stored objects afterwards.
 */

const HEADER = "email,first_name,last_name,company\n";
const cleanCsv = () =>
  `${HEADER}${unique()}-ana@example.com,Ana,Silva,Acme\n${unique()}-bo@example.com,Bo,Lima,Initech\n`;
const LONG_NAME = `${"n".repeat(296)}.csv`;
const LONGEST_NAME = `${"n".repeat(251)}.csv`;

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3rver();
}, 30_000);
afterAll(async () => {
  await s3?.close();
});

type Tenant = { company: Company; uploader: string; prefix: string };

describeEachBackend("upload refusals", (database: TestDatabase) => {
  withTempDataDir("intake-upload-refusals");
  afterEach(() => drain());

  describe.each(["local", "s3"] as const)("%s storage", (kind) => {
    useStorageDriver(kind, () => s3);

    /** A company of its own per test, so that "nothing stored" means nothing of this test. */
    async function tenant(): Promise<Tenant> {
      const company = await createCompany(database.db);
      return { company, uploader: await keyFor(company, ["uploader"]), prefix: `uploads/${company.id}/` };
    }

    async function jobCount(company: Company): Promise<number> {
      const [row] = await database.db.select({ jobs: count() }).from(jobs).where(eq(jobs.companyId, company.id));
      return row?.jobs ?? 0;
    }

    async function expectNothingLeft({ company, prefix }: Tenant): Promise<void> {
      expect(await storedKeys(prefix)).toEqual([]);
      expect(await jobCount(company)).toBe(0);
    }

    /** The parts of a refusal that must not depend on the path it came through. */
    const answer = (result: CallResult, status: number, code: string) => {
      const { message, details } = expectEnvelope(result, status, code);
      return { message, details };
    };

    describe("file names", () => {
      it.each([
        {
          what: "a NUL",
          name: "x\u0000.csv",
          message:
            'The file name "x\\u0000.csv" contains a control character (U+0000) at character 2. Rename the file without it.',
          details: { rule: "INVALID_FILE_NAME", fileName: "x\\u0000.csv", character: "U+0000", position: 2 },
        },
        {
          what: "a C1 control",
          name: "x\u0085y.csv",
          message:
            'The file name "x\\u0085y.csv" contains a control character (U+0085) at character 2. Rename the file without it.',
          details: { rule: "INVALID_FILE_NAME", fileName: "x\\u0085y.csv", character: "U+0085", position: 2 },
        },
        {
          what: "a right-to-left override",
          name: "invoice\u202Evsc.txt",
          message:
            'The file name "invoice\\u202Evsc.txt" contains a bidirectional text control (U+202E) at character 8. Rename the file without it.',
          details: { rule: "INVALID_FILE_NAME", fileName: "invoice\\u202Evsc.txt", character: "U+202E", position: 8 },
        },
        {
          what: "300 characters",
          name: LONG_NAME,
          message: "The file name is 300 characters long; the limit is 255. Rename the file.",
          details: { rule: "FILE_NAME_TOO_LONG", length: 300, limit: 255 },
        },
        {
          what: "no characters",
          name: "",
          message: "The file name is empty.",
          details: { rule: "INVALID_FILE_NAME", fileName: "" },
        },
      ])(
        "$what: the same 400 from POST /api/uploads, POST /api/jobs and POST /api/jobs/upload; nothing stored",
        async ({ name, message, details }) => {
          const who = await tenant();
          const expected = { message, details };

          expect(answer(await presign(who.uploader, name, 100), 400, "VALIDATION_ERROR")).toEqual(expected);

          // A client may sign for one name and register the file under another: the object is removed.
          const key = await uploadToStorage(who.uploader, "signed-as-fine.csv", cleanCsv());
          expect(await storedKeys(who.prefix)).toEqual([key]);
          expect(answer(await register(who.uploader, key, name), 400, "VALIDATION_ERROR")).toEqual(expected);
          await expectNothingLeft(who);

          // A browser cannot send most of these names, but any HTTP client can.
          const direct = await uploadDirect(who.uploader, name, cleanCsv());
          if (name === "") {
            // An empty file name in multipart/form-data is no file at all.
            expect(expectEnvelope(direct, 400, "VALIDATION_ERROR").details).toEqual({ field: "file" });
          } else {
            expect(answer(direct, 400, "VALIDATION_ERROR")).toEqual(expected);
          }
          await expectNothingLeft(who);
        },
      );

      it(`a name of ${LONGEST_NAME.length} characters passes on both paths, and the jobs keep their files`, async () => {
        const who = await tenant();
        const key = await uploadToStorage(who.uploader, LONGEST_NAME, cleanCsv());
        const presigned = await register(who.uploader, key, LONGEST_NAME);
        expect(presigned.status, JSON.stringify(presigned.json)).toBe(201);
        expect(presigned.json).toMatchObject({ filename: LONGEST_NAME, status: "PENDING" });

        const direct = await uploadDirect(who.uploader, LONGEST_NAME, cleanCsv());
        expect(direct.status, JSON.stringify(direct.json)).toBe(201);
        await drain();

        const stored = await storedKeys(who.prefix);
        expect(stored).toHaveLength(2);
        expect(stored).toContain(key);
        const rows = await database.db
          .select({ key: jobs.storageKey, name: jobs.fileName, status: jobs.status })
          .from(jobs)
          .where(eq(jobs.companyId, who.company.id));
        expect(rows.map((row) => row.key).sort()).toEqual([...stored].sort());
        expect(rows.map((row) => [row.name, row.status])).toEqual([
          [LONGEST_NAME, "COMPLETED"],
          [LONGEST_NAME, "COMPLETED"],
        ]);
      });
    });

    describe("a refusal after the file was stored removes it (presigned path)", () => {
      it.each([
        {
          what: "missing headers",
          content: () => "email,first_name,last_name\nana@example.com,Ana,Silva\n",
          status: 400,
          code: "VALIDATION_ERROR",
          details: { rule: "MISSING_HEADERS", missing: ["company"] },
        },
        {
          what: "a header and no rows",
          content: () => HEADER,
          status: 400,
          code: "VALIDATION_ERROR",
          details: { rule: "NO_DATA_ROWS" },
        },
        {
          what: "a header naming a field twice",
          content: () => "email,e-mail,first_name,last_name,company\na@example.com,b@example.com,A,B,C\n",
          status: 400,
          code: "VALIDATION_ERROR",
          details: { rule: "DUPLICATE_HEADERS" },
        },
        {
          what: "binary content (NUL bytes)",
          content: () => Buffer.concat([Buffer.from(HEADER), Buffer.from([0, 1, 2, 0, 0, 10])]),
          status: 400,
          code: "VALIDATION_ERROR",
          details: { rule: "BINARY_FILE" },
        },
        {
          what: "a spreadsheet's name",
          content: cleanCsv,
          name: "contacts.xlsx",
          status: 400,
          code: "VALIDATION_ERROR",
          details: { rule: "UNSUPPORTED_EXTENSION" },
        },
      ])("$what → $status $code", async ({ content, name, status, code, details }) => {
        const who = await tenant();
        const key = await uploadToStorage(who.uploader, "contacts.csv", content());
        expect(await storedKeys(who.prefix)).toEqual([key]);
        const error = expectEnvelope(await register(who.uploader, key, name ?? "contacts.csv"), status, code);
        expect(error.details).toMatchObject(details);
        await expectNothingLeft(who);
      });

      it("an empty file (the URL was signed for more) → 400 EMPTY_FILE", async () => {
        const who = await tenant();
        const signed = (await presign(who.uploader, "empty.csv", 100)).json as Signed;
        // A signed S3 URL binds the length, so the empty object is written as a misbehaving client's store would hold it.
        await getStorage().write(signed.key, Buffer.alloc(0), { contentType: "text/csv", size: 0 });
        expect(await storedKeys(who.prefix)).toEqual([signed.key]);
        expect(
          expectEnvelope(await register(who.uploader, signed.key, "empty.csv"), 400, "VALIDATION_ERROR").details,
        ).toMatchObject({
          rule: "EMPTY_FILE",
        });
        await expectNothingLeft(who);
      });

      it("the same file again → 409; only the first job's file stays", async () => {
        const who = await tenant();
        const content = cleanCsv();
        const firstKey = await uploadToStorage(who.uploader, "first.csv", content);
        const first = await register(who.uploader, firstKey, "first.csv");
        expect(first.status, JSON.stringify(first.json)).toBe(201);
        await drain();

        const secondKey = await uploadToStorage(who.uploader, "again.csv", content);
        expect((await storedKeys(who.prefix)).sort()).toEqual([firstKey, secondKey].sort());
        const error = expectEnvelope(await register(who.uploader, secondKey, "again.csv"), 409, "CONFLICT");
        expect(error.details).toEqual({
          existing_job_id: (first.json as Created).job_id,
          existing_status: "COMPLETED",
        });
        expect(await storedKeys(who.prefix)).toEqual([firstKey]);
        expect(await jobCount(who.company)).toBe(1);
      });

      it("an unexpected failure (storage breaks while hashing) → 500, and the file is removed all the same", async () => {
        const who = await tenant();
        const key = await uploadToStorage(who.uploader, "unlucky.csv", cleanCsv());
        const storage = getStorage();
        const read = storage.read.bind(storage);
        // The head is read with a range, the hash without: only the second read fails.
        const broken = vi
          .spyOn(storage, "read")
          .mockImplementation((readKey, range) =>
            range ? read(readKey, range) : Promise.reject(new Error("storage connection reset")),
          );
        try {
          expectEnvelope(await register(who.uploader, key, "unlucky.csv"), 500, "INTERNAL_ERROR");
          expect(broken.mock.calls.map(([, range]) => range)).toEqual([
            { start: 0, end: expect.any(Number) as unknown },
            undefined,
          ]);
        } finally {
          broken.mockRestore();
        }
        await expectNothingLeft(who);
      });

      it("a successful registration keeps its file, and a retry of it → 409 without touching it", async () => {
        const who = await tenant();
        const key = await uploadToStorage(who.uploader, "kept.csv", cleanCsv());
        const created = await register(who.uploader, key, "kept.csv");
        expect(created.status, JSON.stringify(created.json)).toBe(201);
        expectEnvelope(await register(who.uploader, key, "kept.csv"), 409, "CONFLICT");
        await drain();
        expect(await storedKeys(who.prefix)).toEqual([key]);
        expect(await jobCount(who.company)).toBe(1);
      });
    });

    it.each([
      { what: "a NUL", tail: "x\u0000.csv" },
      { what: "an empty segment", tail: "a//b.csv" },
      { what: "nothing after the prefix", tail: "" },
      { what: "a percent sign", tail: "%zz.csv" },
      { what: "a leading space", tail: " x.csv" },
      { what: "a dot-named segment", tail: ".hidden.csv" },
      { what: "a lone surrogate", tail: "x\uD800.csv" },
      { what: "a segment of 600 bytes", tail: "é".repeat(300) },
      { what: "a question mark", tail: "a?b.csv" },
    ])(
      "POST /api/jobs with a key holding $what → 404, as for any key that is no upload of the company",
      async ({ tail }) => {
        const who = await tenant();
        const error = expectEnvelope(
          await register(who.uploader, `${who.prefix}${tail}`, "contacts.csv"),
          404,
          "NOT_FOUND",
        );
        expect(error.message).toBe("No upload of your company at that key; get one from POST /api/uploads");
        await expectNothingLeft(who);
      },
    );

    describe("the multipart path stores nothing it refuses", () => {
      it.each([
        { what: "a NUL in the name", name: "x\u0000.csv", content: cleanCsv, rule: "INVALID_FILE_NAME" },
        {
          what: "missing headers",
          name: "contacts.csv",
          content: () => "email,first_name,last_name\na@example.com,A,B\n",
          rule: "MISSING_HEADERS",
        },
        {
          what: "binary content",
          name: "contacts.csv",
          content: () => `${HEADER}a\u0000b,c,d,e\n`,
          rule: "BINARY_FILE",
        },
        {
          what: "a duplicate header",
          name: "contacts.csv",
          content: () => `email,email,${HEADER.slice(6)}a@x.co,b@x.co,A,B,C\n`,
          rule: "DUPLICATE_HEADERS",
        },
      ])("$what → 400 $rule", async ({ name, content, rule }) => {
        const who = await tenant();
        const error = expectEnvelope(await uploadDirect(who.uploader, name, content()), 400, "VALIDATION_ERROR");
        expect(error.details).toMatchObject({ rule });
        await expectNothingLeft(who);
      });

      it("the same file again → 409; only the first job's file stays", async () => {
        const who = await tenant();
        const content = cleanCsv();
        const first = await uploadDirect(who.uploader, "first.csv", content);
        expect(first.status, JSON.stringify(first.json)).toBe(201);
        await drain();
        const kept = await storedKeys(who.prefix);
        expect(kept).toHaveLength(1);
        expectEnvelope(await uploadDirect(who.uploader, "again.csv", content), 409, "CONFLICT");
        expect(await storedKeys(who.prefix)).toEqual(kept);
        expect(await jobCount(who.company)).toBe(1);
      });
    });
  });
});
