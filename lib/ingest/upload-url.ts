import "server-only";
import { checkFileName, CsvRuleError } from "@/lib/csv";
import { env } from "@/lib/env";
import { refusal } from "@/lib/ingest/register";
import { DomainError } from "@/lib/errors";
import { getStorage, uploadKey, type SignedUrl } from "@/lib/storage";

export type UploadTicket = { key: string; signed: SignedUrl; maxBytes: number };

/**
 * A short-lived URL the client PUTs a file to, straight to storage, under a new key of the company.
 * What can be judged before the bytes exist is judged here: the file's name (400 naming the rule), its
 * size against MAX_UPLOAD_BYTES (413) and an empty file (400). The rest is checked when the upload is
 * registered (lib/ingest/register.ts).
 */
export async function signUploadUrl({
  companyId,
  fileName,
  size,
  contentType,
  origin,
}: {
  companyId: string;
  fileName: string;
  size: number;
  contentType: string;
  /** The origin the client reached the server by (a local driver's URL points back at it). */
  origin: string;
}): Promise<UploadTicket> {
  try {
    checkFileName(fileName);
  } catch (error) {
    if (error instanceof CsvRuleError) throw refusal(error);
    throw error;
  }
  const maxBytes = env().MAX_UPLOAD_BYTES;
  if (size > maxBytes) {
    throw new DomainError("PAYLOAD_TOO_LARGE", `${fileName} is ${size} bytes; the limit is ${maxBytes} bytes`, {
      size,
      limit: maxBytes,
    });
  }
  if (size === 0) throw new DomainError("VALIDATION_ERROR", `${fileName} is empty`, { rule: "EMPTY_FILE" });
  const key = uploadKey({ companyId, fileName });
  const signed = await getStorage().signUpload({
    key,
    contentType,
    size,
    expiresInSeconds: env().UPLOAD_URL_TTL_SECONDS,
    origin,
  });
  return { key, signed, maxBytes };
}
