import Papa from "papaparse";
import { asc, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { GET as exportCsv } from "@/app/api/contacts/export.csv/route";
import { contacts, type Company } from "@/db/schema";
import { contactExportBatches } from "@/lib/contacts/export";
import { configureRunner } from "@/lib/background/in-process/runner";
import { withTempDataDir } from "@/test/data-dir";
import { describeEachBackend } from "@/test/database";
import { createCompany } from "@/test/fixtures";
import { call, download, expectEnvelope } from "@/test/http";
import { keyFor, processedJob } from "@/test/jobs";

const HEADER = [
  "email",
  "first_name",
  "last_name",
  "company",
  "source_job_id",
  "last_job_id",
  "created_at",
  "updated_at",
];

const exportAs = (bearer: string, query = "") => download(exportCsv, `/api/contacts/export.csv${query}`, { bearer });

function recordsOf(bytes: Buffer): string[][] {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const parsed = Papa.parse<string[]>(bytes.subarray(3).toString("utf8"), { newline: "\r\n", skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describeEachBackend("GET /api/contacts/export.csv", (database) => {
  withTempDataDir("intake-contacts-export");
  let company: Company;
  let viewer: string;
  let otherViewer: string;
  let jobId: number;
  /** The company's contacts as exported (formula-like text with its leading '), in email order. */
  let expected: string[][];

  const emailsOf = (records: string[][]) => records.slice(1).map((record) => record[0]);

  beforeAll(async () => {
    configureRunner({ backoffMs: [5, 5, 5, 5] });
    company = await createCompany(database.db, "Export Co");
    viewer = await keyFor(company, ["viewer"]);
    const uploader = await keyFor(company, ["uploader"]);
    jobId = await processedJob(
      uploader,
      [
        "email,first_name,last_name,company",
        "zoe@example.com,Zoë,Lima,100% Açaí",
        'bo@example.com,Bo,Souza,"Globex, Inc."',
        "ana@example.com,Ana,Silva,Acme",
        "cmd@example.com,=cmd,Evil,@corp",
      ].join("\n") + "\n",
    );
    // Another company with a contact of the same email: never in this company's export, and the other way round.
    const other = await createCompany(database.db, "Other Co");
    otherViewer = await keyFor(other, ["viewer"]);
    await database.db.insert(contacts).values({
      companyId: other.id,
      email: "ana@example.com",
      firstName: "Not",
      lastName: "Ours",
      company: "Elsewhere",
    });

    const stored = await database.db
      .select()
      .from(contacts)
      .where(eq(contacts.companyId, company.id))
      .orderBy(asc(contacts.email));
    expected = stored.map((contact) => [
      contact.email,
      contact.firstName?.startsWith("=") ? `'${contact.firstName}` : (contact.firstName ?? ""),
      contact.lastName ?? "",
      contact.company?.startsWith("@") ? `'${contact.company}` : (contact.company ?? ""),
      String(jobId),
      String(jobId),
      contact.createdAt.toISOString(),
      contact.updatedAt.toISOString(),
    ]);
  });

  it("a viewer downloads every contact of the company in email order, formula-like cells neutralised", async () => {
    const result = await exportAs(viewer);
    expect(result.status, result.bytes.toString()).toBe(200);
    expect(result.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(result.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="contacts-${company.slug}-\\d{4}-\\d{2}-\\d{2}\\.csv"`),
    );
    const records = recordsOf(result.bytes);
    expect(records[0]).toEqual(HEADER);
    expect(emailsOf(records)).toEqual(["ana@example.com", "bo@example.com", "cmd@example.com", "zoe@example.com"]);
    expect(records.slice(1)).toEqual(expected);
    expect(records.find((record) => record[0] === "cmd@example.com")?.slice(1, 4)).toEqual(["'=cmd", "Evil", "'@corp"]);
    expect(records.find((record) => record[0] === "zoe@example.com")?.slice(1, 4)).toEqual([
      "Zoë",
      "Lima",
      "100% Açaí",
    ]);
  });

  it.each([
    { q: "SOUZA", emails: ["bo@example.com"] },
    { q: "globex, inc", emails: ["bo@example.com"] },
    { q: "  ana  ", emails: ["ana@example.com"] },
    { q: "zoe@", emails: ["zoe@example.com"] },
    { q: "@example.com", emails: ["ana@example.com", "bo@example.com", "cmd@example.com", "zoe@example.com"] },
    // LIKE wildcards in q are taken literally.
    { q: "%", emails: ["zoe@example.com"] },
    { q: "_", emails: [] },
    { q: "nobody", emails: [] },
    { q: "", emails: ["ana@example.com", "bo@example.com", "cmd@example.com", "zoe@example.com"] },
  ])("q=$q → $emails", async ({ q, emails }) => {
    const result = await exportAs(viewer, `?q=${encodeURIComponent(q)}`);
    expect(result.status).toBe(200);
    const records = recordsOf(result.bytes);
    expect(records[0]).toEqual(HEADER);
    expect(emailsOf(records)).toEqual(emails);
  });

  it("another company's export has only its own contacts", async () => {
    const records = recordsOf((await exportAs(otherViewer)).bytes);
    expect(records.slice(1).map((record) => record.slice(0, 4))).toEqual([
      ["ana@example.com", "Not", "Ours", "Elsewhere"],
    ]);
  });

  it("read a batch at a time, the contacts come in the same order", async () => {
    for (const batchRows of [1, 3, 4]) {
      const rows: string[][] = [];
      for await (const batch of contactExportBatches({ companyId: company.id, batchRows })) {
        expect(batch.length).toBeLessThanOrEqual(batchRows);
        rows.push(...batch.map((row) => row.map((cell) => String(cell ?? ""))));
      }
      expect(rows.map((row) => row[0])).toEqual([
        "ana@example.com",
        "bo@example.com",
        "cmd@example.com",
        "zoe@example.com",
      ]);
    }
  });

  it("q longer than 200 characters → 400; no credentials → 401", async () => {
    const error = expectEnvelope(
      await call(exportCsv, `/api/contacts/export.csv?q=${"x".repeat(201)}`, { bearer: viewer }),
      400,
      "VALIDATION_ERROR",
    );
    expect(error.message).toMatch(/query\.q/);
    expectEnvelope(await call(exportCsv, "/api/contacts/export.csv"), 401, "AUTHENTICATION_FAILED");
  });
});
