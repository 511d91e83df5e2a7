import { asc, eq } from "drizzle-orm";
import { beforeAll, expect } from "vitest";
import { GET as listContacts } from "@/app/api/contacts/route";
import { POST as keepRow } from "@/app/api/issues/[issue_id]/keep/route";
import { GET as getIssue, PUT as putIssue } from "@/app/api/issues/[issue_id]/route";
import { GET as jobIssues } from "@/app/api/issues/job/[job_id]/route";
import { POST as previewResolution } from "@/app/api/issues/preview/route";
import { POST as resolveIssues } from "@/app/api/issues/resolve/route";
import { GET as listIssues } from "@/app/api/issues/route";
import { GET as getJob } from "@/app/api/jobs/[job_id]/route";
import { GET as jobRows } from "@/app/api/jobs/[job_id]/rows/route";
import { PUT as putStaging } from "@/app/api/staging/[staging_id]/route";
import type { Database } from "@/db";
import { contacts, issueItems, issues, stagingRows, type Company, type Contact, type Group } from "@/db/schema";
import type { ImportMode } from "@/lib/ingest/promote";
import type { TestDatabase } from "@/test/database";
import { createCompany, unique } from "@/test/fixtures";
import { withJobRunner } from "@/test/ingest";
import { keyFor, processedJob as processedUpload } from "@/test/jobs";
import { call, type CallResult } from "@/test/http";

/** Helpers for the review tests: jobs with issues made through the upload route, and the review routes called as a client does. */

export const HEADER = "email,first_name,last_name,company\n";

export type Keys = Record<Group, string>;

/** An API key per group; each key's name is what the API records as `api-key:<name>`. */
export async function keysFor(company: Company): Promise<Keys> {
  return {
    admin: await keyFor(company, ["admin"]),
    editor: await keyFor(company, ["editor"]),
    uploader: await keyFor(company, ["uploader"]),
    viewer: await keyFor(company, ["viewer"]),
  };
}

/**
 * What a describe of review tests starts from, registered as its hooks: the job runner (see
 * withJobRunner) and one company, made once, with a key per group. Read `company` and `keys` in
 * hooks and tests, once the describe's beforeAll hooks have run.
 */
export function reviewCompany(
  database: TestDatabase,
  name: string,
): { readonly company: Company; readonly keys: Keys } {
  withJobRunner("intake-review");
  let made: { company: Company; keys: Keys } | undefined;
  beforeAll(async () => {
    const company = await createCompany(database.db, name);
    made = { company, keys: await keysFor(company) };
  });
  const ready = () => {
    if (!made) throw new Error("reviewCompany: read before its beforeAll ran");
    return made;
  };
  return {
    get company() {
      return ready().company;
    },
    get keys() {
      return ready().keys;
    },
  };
}

export async function addContact(
  db: Database,
  company: Company,
  values: { email: string; firstName: string | null; lastName: string | null; company: string | null },
): Promise<Contact> {
  const [contact] = await db
    .insert(contacts)
    .values({ companyId: company.id, ...values })
    .returning();
  if (!contact) throw new Error("contact insert returned no row");
  return contact;
}

/** Uploads a file through POST /api/jobs/upload in the import mode and runs the background work to its end. */
export function processedJob(bearer: string, content: string, importMode: ImportMode = "upsert"): Promise<number> {
  return processedUpload(bearer, content, `review-${unique()}.csv`, { import_mode: importMode });
}

/** Staging ids of a job by row number. */
export async function stagingIds(db: Database, jobId: number): Promise<Map<number, number>> {
  const rows = await db
    .select({ id: stagingRows.id, row: stagingRows.rowNumber })
    .from(stagingRows)
    .where(eq(stagingRows.jobId, jobId))
    .orderBy(asc(stagingRows.rowNumber));
  return new Map(rows.map((row) => [row.row, row.id]));
}

/** Every issue of a job as `TYPE subject open|resolved [row numbers]`, in key order: the whole picture in one value. */
export async function issueSummary(db: Database, jobId: number): Promise<string[]> {
  const found = await db
    .select({ id: issues.id, key: issues.issueKey, resolved: issues.resolved, row: stagingRows.rowNumber })
    .from(issues)
    .leftJoin(issueItems, eq(issueItems.issueId, issues.id))
    .leftJoin(stagingRows, eq(stagingRows.id, issueItems.stagingId))
    .where(eq(issues.jobId, jobId))
    .orderBy(asc(issues.issueKey), asc(stagingRows.rowNumber));
  const byKey = new Map<string, { resolved: boolean; rows: number[] }>();
  for (const each of found) {
    const entry = byKey.get(each.key) ?? { resolved: each.resolved, rows: [] };
    if (each.row !== null) entry.rows.push(each.row);
    byKey.set(each.key, entry);
  }
  return [...byKey].map(([key, entry]) => `${key} ${entry.resolved ? "resolved" : "open"} [${entry.rows.join(",")}]`);
}

/** Row statuses of a job by row number, e.g. { 2: "READY", 3: "ISSUE" }. */
export async function rowStatuses(db: Database, jobId: number): Promise<Record<number, string>> {
  const rows = await db
    .select({ row: stagingRows.rowNumber, status: stagingRows.status })
    .from(stagingRows)
    .where(eq(stagingRows.jobId, jobId))
    .orderBy(asc(stagingRows.rowNumber));
  return Object.fromEntries(rows.map((row) => [row.row, row.status]));
}

/** The review routes, called the way a client uses them. */
export const api = {
  listIssues: (bearer: string, query = "") => call(listIssues, `/api/issues${query}`, { bearer }),
  jobIssues: (bearer: string, jobId: number, query = "") =>
    call(jobIssues, `/api/issues/job/${jobId}${query}`, { bearer, params: { job_id: String(jobId) } }),
  getIssue: (bearer: string, issueId: number) =>
    call(getIssue, `/api/issues/${issueId}`, { bearer, params: { issue_id: String(issueId) } }),
  putIssue: (bearer: string, issueId: number, body: unknown) =>
    call(putIssue, `/api/issues/${issueId}`, { bearer, method: "PUT", body, params: { issue_id: String(issueId) } }),
  resolve: (bearer: string, body: unknown) =>
    call(resolveIssues, "/api/issues/resolve", { bearer, method: "POST", body }),
  preview: (bearer: string, body: unknown) =>
    call(previewResolution, "/api/issues/preview", { bearer, method: "POST", body }),
  keep: (bearer: string, issueId: number, body: unknown) =>
    call(keepRow, `/api/issues/${issueId}/keep`, {
      bearer,
      method: "POST",
      body,
      params: { issue_id: String(issueId) },
    }),
  putStaging: (bearer: string, stagingId: number, body: unknown) =>
    call(putStaging, `/api/staging/${stagingId}`, {
      bearer,
      method: "PUT",
      body,
      params: { staging_id: String(stagingId) },
    }),
  jobRows: (bearer: string, jobId: number, query = "") =>
    call(jobRows, `/api/jobs/${jobId}/rows${query}`, { bearer, params: { job_id: String(jobId) } }),
  getJob: (bearer: string, jobId: number) =>
    call(getJob, `/api/jobs/${jobId}`, { bearer, params: { job_id: String(jobId) } }),
  contacts: (bearer: string, query = "") => call(listContacts, `/api/contacts${query}`, { bearer }),
};

/** The JSON of a 2xx answer (the status is checked, with the body in the failure message). */
export function ok<T = Record<string, unknown>>(result: CallResult, status = 200): T {
  expect(result.status, JSON.stringify(result.json)).toBe(status);
  return result.json as T;
}

export type IssueJson = {
  issue_id: number;
  issues_job_id: number;
  job_filename: string;
  issue_type: string;
  issue_subject: string;
  issue_resolved: boolean;
  issue_description: string | null;
  issue_resolved_at: string | null;
  issue_resolved_by: string | null;
  issue_resolution_comment: string | null;
  issue_created_at: string;
  affected_row_count: number;
  affected_rows: StagingJson[];
  existing_contact: ContactJson | null;
};
export type StagingJson = {
  staging_id: number;
  staging_job_id: number;
  staging_row_number: number;
  staging_email: string | null;
  staging_first_name: string | null;
  staging_last_name: string | null;
  staging_company: string | null;
  staging_status: string;
  staging_row_check: string;
  staging_check_detail: string | null;
  staging_raw_text: string | null;
  staging_created_at: string;
  staging_updated_at: string;
};
export type ContactJson = {
  contact_id: number;
  staging_id: number | null;
  contacts_user_id: string | null;
  contact_email: string;
  contact_first_name: string | null;
  contact_last_name: string | null;
  contact_company: string | null;
  contact_source_job_id: number | null;
  contact_last_job_id: number | null;
  contact_created_at: string;
  contact_updated_at: string;
};
export type IssueListJson = {
  issues: IssueJson[];
  total: number;
  resolved_count: number;
  unresolved_count: number;
  by_type: Record<string, number>;
  page: number;
  page_size: number;
};
