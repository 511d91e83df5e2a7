import { afterEach, beforeAll } from "vitest";
import type { Database } from "@/db";
import { jobs, type Company, type Job } from "@/db/schema";
import { sniffLayout } from "@/lib/csv";
import { getStorage } from "@/lib/storage";
import type { TenantContext } from "@/lib/auth/context";
import type { ImportMode } from "@/lib/ingest/promote";
import { registerDirectUpload } from "@/lib/ingest/register";
import { configureRunner, drain } from "@/lib/background/in-process/runner";
import { withTempDataDir } from "@/test/data-dir";
import { unique } from "@/test/fixtures";

/**
 * Background ingestion in tests, without HTTP: the in-process runner set up for a describe, and files
 * registered straight through the ingestion code (test/jobs.ts goes through the upload route instead).
 */

/**
 * Registers what a describe running jobs in-process needs: a temporary data directory (before any
 * other hook stores a file), the runner with quick retries (and any other `runner` settings), and a
 * drain after each test, so no background run outlives the test that queued it.
 */
export function withJobRunner(dataDirPrefix: string, runner: Parameters<typeof configureRunner>[0] = {}): void {
  withTempDataDir(dataDirPrefix);
  beforeAll(() => {
    configureRunner({ backoffMs: [5, 5, 5, 5], ...runner });
  });
  afterEach(() => drain());
}

/** The context an uploader's API key gives a handler, for calling the ingestion code directly. */
export function uploaderContext(company: Company): TenantContext {
  return {
    method: "api_key",
    companyId: company.id,
    companyName: company.name,
    companySlug: company.slug,
    groups: ["uploader"],
    user: null,
    apiKey: null,
  };
}

/** A file registered as the company's direct upload: the job, its processing queued but not yet run. */
export function registerFile(
  company: Company,
  content: string | Buffer,
  { fileName = `file-${unique()}.csv`, importMode = "upsert" }: { fileName?: string; importMode?: ImportMode } = {},
): Promise<Job> {
  return registerDirectUpload({
    ctx: uploaderContext(company),
    fileName,
    bytes: Buffer.isBuffer(content) ? content : Buffer.from(content),
    contentType: "text/csv",
    importMode,
  });
}

/**
 * A stored file and its PENDING job, with no background run queued: for tests that run the pipeline
 * themselves, step by step (needs a data directory, see withTempDataDir).
 */
export async function storedJob(
  db: Database,
  company: Company,
  content: string | Buffer,
  { importMode = "upsert" }: { importMode?: ImportMode } = {},
): Promise<Job> {
  const file = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const key = `uploads/${company.id}/${unique()}/contacts.csv`;
  await getStorage().write(key, file, { contentType: "text/csv", size: file.length });
  const [job] = await db
    .insert(jobs)
    .values({
      companyId: company.id,
      fileName: "contacts.csv",
      storageKey: key,
      sha256: unique(),
      sizeBytes: file.length,
      importMode,
      layout: sniffLayout(file.subarray(0, 64 * 1024), { complete: false }),
    })
    .returning();
  if (!job) throw new Error("the job insert returned no row");
  return job;
}
