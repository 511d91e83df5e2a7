import { expect } from "vitest";
import { POST as directUpload } from "@/app/api/jobs/upload/route";
import { createApiKey } from "@/db/queries/api-keys";
import type { Company, Group } from "@/db/schema";
import { drain } from "@/lib/jobs/runner";
import { unique } from "@/test/fixtures";
import { multipartRequest, send, type CallResult } from "@/test/http";

/** Jobs for integration tests, made the way a client makes them: through the upload route, then processed. */

/** A new API key of the company with exactly these groups. */
export async function keyFor(company: Company, groups: Group[]): Promise<string> {
  return (await createApiKey({ companyId: company.id, name: `${groups.join("+")} key ${unique()}`, groups })).key;
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
