import { afterEach, beforeAll } from "vitest";
import type { Company, Job } from "@/db/schema";
import type { TenantContext } from "@/lib/auth/context";
import type { ImportMode } from "@/lib/ingest/promote";
import { registerDirectUpload } from "@/lib/ingest/register";
import { configureRunner, drain } from "@/lib/jobs/runner";
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
