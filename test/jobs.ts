import { NextRequest } from "next/server";
import { expect } from "vitest";
import { POST as registerJob } from "@/app/api/jobs/route";
import { POST as directUpload } from "@/app/api/jobs/upload/route";
import { PUT as storagePut } from "@/app/api/storage/[...key]/route";
import { POST as createUpload } from "@/app/api/uploads/route";
import type { Company, Group, JobStatus } from "@/db/schema";
import { createApiKey } from "@/lib/auth/api-keys";
import { drain } from "@/lib/background/in-process/runner";
import { env } from "@/lib/env";
import { getStorage } from "@/lib/storage";
import { unique } from "@/test/fixtures";
import { call, multipartRequest, send, type CallResult } from "@/test/http";

/** Jobs for integration tests, made the way a client makes them: through the upload route, then processed. */

/** A new API key of the company with exactly these groups. */
export async function keyFor(company: Company, groups: Group[]): Promise<string> {
  return (await createApiKey({ companyId: company.id, name: `${groups.join("+")}-${unique()}`, groups })).key;
}

/** POST /api/jobs/upload with the file (and any other form fields). */
export async function uploadDirect(
  bearer: string,
  filename: string,
  content: string | Buffer,
  fields: Record<string, string> = {},
): Promise<CallResult> {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(Buffer.from(content))], filename, { type: "text/csv" }));
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return send(directUpload, await multipartRequest("/api/jobs/upload", form, { bearer }), {});
}

/** A job through the direct upload, processed to its end by the in-process runner; its id. */
export async function processedJob(
  bearer: string,
  content: string | Buffer,
  filename = `file-${unique()}.csv`,
  fields: Record<string, string> = {},
): Promise<number> {
  const created = await uploadDirect(bearer, filename, content, fields);
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  await drain();
  return (created.json as { job_id: number }).job_id;
}

export type Signed = {
  upload_url: string;
  method: "PUT";
  headers: Record<string, string>;
  key: string;
  expires_at: string;
  max_bytes: number;
};
export type Created = {
  job_id: number;
  message: string;
  filename: string;
  total_rows: number | null;
  status: JobStatus;
};

/** POST /api/uploads: a signed URL for a file of that name and size. */
export const presign = (bearer: string, filename: string, size: number): Promise<CallResult> =>
  call(createUpload, "/api/uploads", { bearer, body: { filename, size, content_type: "text/csv" } });

/** POST /api/jobs: registers what was uploaded at `key`. */
export const register = (bearer: string, key: string, filename: string): Promise<CallResult> =>
  call(registerJob, "/api/jobs", { bearer, body: { key, filename } });

/**
 * PUTs bytes to a signed upload URL as a browser does: a local-storage URL through the storage route
 * handler (the URL's path segments as params), any other (S3) with fetch.
 */
export async function putToStorage(
  signed: Pick<Signed, "upload_url" | "headers">,
  bytes: Buffer,
  url = new URL(signed.upload_url),
): Promise<CallResult> {
  const prefix = "/api/storage/";
  // The local driver's URLs are on the app's configured address; anything else is S3.
  if (url.origin !== new URL(env().APP_URL).origin) {
    const response = await fetch(url, { method: "PUT", headers: signed.headers, body: new Uint8Array(bytes) });
    return { status: response.status, headers: response.headers, json: {} };
  }
  expect(url.pathname.startsWith(prefix), url.pathname).toBe(true);
  const segments = url.pathname.slice(prefix.length).split("/").map(decodeURIComponent);
  const request = new NextRequest(url, {
    method: "PUT",
    headers: { ...signed.headers, "content-length": String(bytes.length) },
    body: new Uint8Array(bytes),
  });
  return send(storagePut, request, { key: segments });
}

/** Presign and PUT: the key the file now sits at. */
export async function uploadToStorage(bearer: string, filename: string, content: string | Buffer): Promise<string> {
  const bytes = Buffer.from(content);
  const upload = await presign(bearer, filename, bytes.length);
  expect(upload.status, JSON.stringify(upload.json)).toBe(201);
  const signed = upload.json as Signed;
  const put = await putToStorage(signed, bytes);
  expect(put.status, JSON.stringify(put.json)).toBe(200);
  return signed.key;
}

/** The keys stored under a prefix, in key order. */
export async function storedKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of getStorage().list(prefix)) keys.push(object.key);
  return keys;
}
