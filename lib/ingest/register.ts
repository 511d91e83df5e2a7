import "server-only";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { transitionJob } from "@/db/queries/jobs";
import { findJobByHash, findJobByKey, insertUploadedJob, type UploadedJob } from "@/db/queries/registration";
import type { Job } from "@/db/schema";
import { JOB_UPLOADED } from "@/lib/background/events";
import type { TenantContext } from "@/lib/auth/context";
import { CsvRuleError, checkFileName, countDataRecords, sniffLayout, type CsvLayout } from "@/lib/csv";
import { REQUIRED_FIELDS } from "@/lib/csv/types";
import { env } from "@/lib/env";
import type { ImportMode } from "@/lib/ingest/promote";
import { dispatch } from "@/lib/background/dispatch";
import { DomainError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { getStorage, isCompanyKey, uploadKey } from "@/lib/storage";

/** Only the head of a file is read to check it: enough for the header and the first records. */
export const HEAD_BYTES = 64 * 1024;
export const DIRECT_UPLOAD_MAX_BYTES = 5 * 1024 * 1024;

/** A file rule broken: 400 (413 for size) with the rule's code and what was found. */
export function refusal(error: CsvRuleError): DomainError {
  return new DomainError(error.code === "FILE_TOO_LARGE" ? "PAYLOAD_TOO_LARGE" : "VALIDATION_ERROR", error.message, {
    rule: error.code,
    ...error.details,
  });
}

/** Checks a file from its head: name, size, encoding, delimiter, headers, data rows. Throws DomainError. */
export function checkFile({
  fileName,
  size,
  head,
  maxBytes,
}: {
  fileName: string;
  size: number;
  head: Buffer;
  maxBytes: number;
}): CsvLayout {
  try {
    checkFileName(fileName);
    if (size > maxBytes) {
      throw new CsvRuleError("FILE_TOO_LARGE", `${fileName} is ${size} bytes; the limit is ${maxBytes} bytes`, {
        size,
        limit: maxBytes,
      });
    }
    return sniffLayout(head, { complete: size <= head.length });
  } catch (error) {
    if (error instanceof CsvRuleError) throw refusal(error);
    throw error;
  }
}

const duplicateError = (existing: Job) =>
  new DomainError("CONFLICT", `This file was already imported as job ${existing.id} (${existing.fileName})`, {
    existing_job_id: existing.id,
    existing_status: existing.status,
  });

/**
 * Records a checked, stored file as a PENDING job and queues its processing. A duplicate (the same
 * SHA-256 already imported by the company) is refused with 409.
 */
async function createJob({
  ctx,
  fileName,
  key,
  size,
  sha256,
  layout,
  importMode,
  totalRows = null,
}: {
  ctx: TenantContext;
  fileName: string;
  key: string;
  size: number;
  sha256: string;
  layout: CsvLayout;
  importMode: ImportMode;
  /** Known at once for a file sent in the request; processing counts any other. */
  totalRows?: number | null;
}): Promise<Job> {
  const job = await insertUploadedJob({
    job: uploadedJobRow({
      companyId: ctx.companyId,
      createdById: ctx.user?.id ?? null,
      createdByApiKeyId: ctx.apiKey?.id ?? null,
      fileName,
      key,
      size,
      sha256,
      layout,
      importMode,
      totalRows,
    }),
    actorUserId: ctx.user?.id ?? null,
  });
  if (!job) {
    const existing = await findJobByHash({ companyId: ctx.companyId, sha256 });
    if (existing) throw duplicateError(existing);
    throw new Error("job insert returned no row");
  }
  await queueJob({ job });
  return job;
}

/** The row of a new job for a checked, stored file. */
export function uploadedJobRow({
  companyId,
  createdById,
  createdByApiKeyId,
  fileName,
  key,
  size,
  sha256,
  layout,
  importMode,
  totalRows,
}: {
  companyId: string;
  createdById: string | null;
  createdByApiKeyId: string | null;
  fileName: string;
  key: string;
  size: number;
  sha256: string;
  layout: CsvLayout;
  importMode: ImportMode;
  totalRows: number | null;
}): UploadedJob {
  const headerMapping = Object.fromEntries(
    REQUIRED_FIELDS.map((field) => [field, layout.headers[layout.columns[field]] ?? ""]),
  );
  return {
    companyId,
    createdById,
    createdByApiKeyId,
    fileName,
    storageKey: key,
    sha256,
    sizeBytes: size,
    encoding: layout.encoding,
    delimiter: layout.delimiter,
    headerMapping,
    layout,
    importMode,
    totalRows,
  };
}

/**
 * Checks a stored object as every upload is checked (name, size, head) and hashes it. Throws the rule's
 * DomainError, or a CONFLICT naming the company's job that already imported the same file.
 */
export async function checkStoredObject({
  companyId,
  key,
  fileName,
  size,
}: {
  companyId: string;
  key: string;
  fileName: string;
  size: number;
}): Promise<{ layout: CsvLayout; sha256: string }> {
  const head = await readHead(key, Math.min(size, HEAD_BYTES));
  const layout = checkFile({ fileName, size, head, maxBytes: env().MAX_UPLOAD_BYTES });
  const sha256 = await hashObject(key);
  const existing = await findJobByHash({ companyId, sha256 });
  if (existing) throw duplicateError(existing);
  return { layout, sha256 };
}

/** Hands the job to background processing; 503 (the job stays PENDING, ready to reprocess) when that fails. */
export async function queueJob({ job }: { job: Job }): Promise<void> {
  try {
    await dispatch({ name: JOB_UPLOADED, data: { jobId: job.id, companyId: job.companyId } });
  } catch (error) {
    logger().error({ err: error, job_id: job.id }, "could not queue the job");
    await transitionJob({
      jobId: job.id,
      from: ["PENDING"],
      to: "PENDING",
      message: "Could not be queued; reprocess it to try again",
      patch: { error: "Could not be queued for processing" },
    });
    throw new DomainError(
      "SERVICE_UNAVAILABLE",
      `Job ${job.id} was saved but could not be queued for processing; reprocess it later`,
      {
        job_id: job.id,
      },
    );
  }
}

/**
 * A file uploaded to its presigned URL becomes a job: its name and head are checked, its SHA-256
 * computed by streaming it, and it is queued. A refused file's stored object is removed.
 */
export async function registerStoredUpload({
  ctx,
  key,
  fileName,
  importMode,
}: {
  ctx: TenantContext;
  key: string;
  fileName: string;
  importMode: ImportMode;
}): Promise<Job> {
  if (!isCompanyKey({ companyId: ctx.companyId, key })) {
    throw new DomainError("NOT_FOUND", "No upload of your company at that key; get one from POST /api/uploads");
  }
  // A retried registration: answer with the job, and never touch the file it owns.
  const registered = await findJobByKey({ companyId: ctx.companyId, key });
  if (registered) throw duplicateError(registered);
  const info = await getStorage().head(key);
  if (!info) throw new DomainError("NOT_FOUND", `Nothing has been uploaded to ${key} yet`);
  return keptOnlyWhenRegistered({ companyId: ctx.companyId, key }, async () => {
    const { layout, sha256 } = await checkStoredObject({ companyId: ctx.companyId, key, fileName, size: info.size });
    return createJob({ ctx, fileName, key, size: info.size, sha256, layout, importMode });
  });
}

/**
 * Runs the rest of a registration whose file is already stored at `key`. However it fails (a broken
 * file rule, a duplicate, an unexpected error), the object is removed unless a job owns the key: the
 * job saved before queueing failed (503), or a concurrent registration of the same key that won.
 */
async function keptOnlyWhenRegistered(
  { companyId, key }: { companyId: string; key: string },
  register: () => Promise<Job>,
): Promise<Job> {
  try {
    return await register();
  } catch (error) {
    await removeUnlessRegistered({ companyId, key });
    throw error;
  }
}

/** Removes a refused file's stored object, unless a job owns its key; a failure to remove is only logged. */
export async function removeUnlessRegistered({ companyId, key }: { companyId: string; key: string }): Promise<void> {
  try {
    if (await findJobByKey({ companyId, key })) return;
    await getStorage().remove(key);
  } catch (error) {
    // The refusal is the answer that matters; an object left behind is only logged.
    logger().error({ err: error, key }, "could not remove the stored file of a refused registration");
  }
}

/** The direct multipart path (small files): everything is checked before anything is stored. */
export async function registerDirectUpload({
  ctx,
  fileName,
  bytes,
  contentType,
  importMode,
}: {
  ctx: TenantContext;
  fileName: string;
  bytes: Buffer;
  contentType: string;
  importMode: ImportMode;
}): Promise<Job> {
  const layout = checkFile({
    fileName,
    size: bytes.length,
    head: bytes.subarray(0, HEAD_BYTES),
    maxBytes: DIRECT_UPLOAD_MAX_BYTES,
  });
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const existing = await findJobByHash({ companyId: ctx.companyId, sha256 });
  if (existing) throw duplicateError(existing);
  // The file (at most 5 MB) is in memory already: counting its records here answers total_rows at once.
  const totalRows = await countDataRecords(Readable.from([bytes.subarray(layout.dataOffset)]), layout);
  const key = uploadKey({ companyId: ctx.companyId, fileName });
  await getStorage().write(key, bytes, { contentType, size: bytes.length });
  return keptOnlyWhenRegistered({ companyId: ctx.companyId, key }, () =>
    createJob({ ctx, fileName, key, size: bytes.length, sha256, layout, importMode, totalRows }),
  );
}

async function readHead(key: string, length: number): Promise<Buffer> {
  if (length === 0) return Buffer.alloc(0);
  const stream = await getStorage().read(key, { start: 0, end: length - 1 });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function hashObject(key: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of await getStorage().read(key)) hash.update(chunk as Uint8Array);
  return hash.digest("hex");
}
