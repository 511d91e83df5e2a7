import "server-only";
import path from "node:path";
import {
  insertSessionFile,
  listSessionFiles,
  type AttachResult,
  type SessionFile,
  type SessionFileWithJob,
} from "@/db/queries/session-files";
import { findUploadSession } from "@/db/queries/upload-sessions";
import type { UploadSession } from "@/db/schema";
import { checkStoredObject, removeUnlessRegistered } from "@/lib/ingest/register";
import { DomainError } from "@/lib/errors";
import { companyUploadsPrefix, getLocalStorage, getStorage, isCompanyKey } from "@/lib/storage";

/** The extensions a prefix's objects must have to be attached; every other object is ignored. */
export const PREFIX_FILE_EXTENSIONS = [".csv", ".tsv", ".txt"] as const;

export const noSuchSession = (sessionId: number) =>
  new DomainError("NOT_FOUND", `Your company has no upload session ${sessionId}`);

export const notPending = (sessionId: number, status: string) =>
  new DomainError("CONFLICT", `Session ${sessionId} is ${status}; files can be attached only while it is PENDING`, {
    status,
  });

/**
 * The stored object of a session file found unfit is removed, unless it is the company's own (found under
 * a prefix) or a job owns its key: an upload refused leaves nothing behind.
 */
export async function discardRefusedObject(file: Pick<SessionFile, "companyId" | "storageKey" | "fromPrefix">) {
  if (!file.fromPrefix) await removeUnlessRegistered({ companyId: file.companyId, key: file.storageKey });
}

/** The company's session that still takes files (PENDING): 404 when it is not theirs, 409 once it has started. */
export async function requirePendingSession({
  companyId,
  sessionId,
}: {
  companyId: string;
  sessionId: number;
}): Promise<UploadSession> {
  const session = await requireCompanySession({ companyId, sessionId });
  if (session.status !== "PENDING") throw notPending(session.id, session.status);
  return session;
}

export async function requireCompanySession({
  companyId,
  sessionId,
}: {
  companyId: string;
  sessionId: number;
}): Promise<UploadSession> {
  const session = await findUploadSession({ id: sessionId, companyId });
  if (!session) throw noSuchSession(sessionId);
  return session;
}

/** The company's session's files with their jobs' counts; 404 for a session not theirs. */
export async function sessionFiles({
  companyId,
  sessionId,
}: {
  companyId: string;
  sessionId: number;
}): Promise<SessionFileWithJob[]> {
  await requireCompanySession({ companyId, sessionId });
  return listSessionFiles({ companyId, sessionId });
}

/** Why a stored object cannot be imported (the upload rule it breaks, or the job that already imported it), or null. */
async function refusalOf({
  companyId,
  key,
  fileName,
  size,
}: {
  companyId: string;
  key: string;
  fileName: string;
  size: number;
}): Promise<string | null> {
  try {
    await checkStoredObject({ companyId, key, fileName, size });
    return null;
  } catch (error) {
    if (error instanceof DomainError) return error.message;
    throw error;
  }
}

/**
 * Attaches an uploaded object of the company to its pending session, checked as any upload is checked:
 * a file that breaks a rule (or was imported before) is recorded REFUSED with the reason rather than
 * refused to the caller, and its object removed. A key recorded UPLOADING (its URL issued with the
 * session's id) takes the verdict in place. 404 for a key that is not the company's or holds nothing, 409 for a file
 * attached already or a session that has started.
 */
export async function attachStoredFile({
  companyId,
  sessionId,
  key,
  fileName,
}: {
  companyId: string;
  sessionId: number;
  key: string;
  fileName: string;
}): Promise<SessionFile> {
  await requirePendingSession({ companyId, sessionId });
  if (!isCompanyKey({ companyId, key })) {
    throw new DomainError("NOT_FOUND", "No upload of your company at that key; get one from POST /api/uploads");
  }
  const info = await getStorage().head(key);
  if (!info) throw new DomainError("NOT_FOUND", `Nothing has been uploaded to ${key} yet`);
  const refusal = await refusalOf({ companyId, key, fileName, size: info.size });
  const result = await insertSessionFile({
    companyId,
    sessionId,
    storageKey: key,
    fileName,
    sizeBytes: info.size,
    state: { kind: "checked", refusal },
  });
  const file = recordedFile(
    result,
    sessionId,
    () => new DomainError("CONFLICT", `${key} is attached to session ${sessionId} already`, { key }),
  );
  if (refusal !== null) await discardRefusedObject(file);
  return file;
}

/** The file a session recorded, or why it could not: 404 for a session not the company's, 409 once it started. */
export function recordedFile(result: AttachResult, sessionId: number, alreadyAttached: () => Error): SessionFile {
  switch (result.kind) {
    case "attached":
      return result.file;
    case "missing":
      throw noSuchSession(sessionId);
    case "not-pending":
      throw notPending(sessionId, result.status);
    case "already-attached":
      throw alreadyAttached();
  }
}

export type PrefixAttachment = { attached: SessionFile[]; ignored: string[] };

/**
 * Attaches every `.csv`, `.tsv` and `.txt` object under a prefix of the company's uploads (S3 only: the
 * listing is paged by the driver) and ignores the rest. Objects attached already are left as they are;
 * a refused one is recorded with its reason and, being the company's own, kept in storage.
 */
export async function attachPrefix({
  companyId,
  sessionId,
  prefix,
}: {
  companyId: string;
  sessionId: number;
  prefix: string;
}): Promise<PrefixAttachment> {
  await requirePendingSession({ companyId, sessionId });
  if (getLocalStorage()) {
    throw new DomainError(
      "CONFLICT",
      "Attaching a prefix needs the S3 storage driver (set S3_BUCKET); this server stores files locally",
    );
  }
  const uploads = companyUploadsPrefix(companyId);
  if (!prefix.startsWith(uploads)) {
    throw new DomainError("VALIDATION_ERROR", `The prefix must start with your company's uploads, ${uploads}`, {
      fields: [{ field: "prefix", reason: `must start with ${uploads}` }],
    });
  }
  const attached: SessionFile[] = [];
  const ignored: string[] = [];
  for await (const object of getStorage().list(prefix)) {
    const extension = path.extname(object.key).toLowerCase();
    if (!isCompanyKey({ companyId, key: object.key }) || !PREFIX_FILE_EXTENSIONS.some((ok) => ok === extension)) {
      ignored.push(object.key);
      continue;
    }
    const fileName = path.basename(object.key);
    const refusal = await refusalOf({ companyId, key: object.key, fileName, size: object.size });
    const result = await insertSessionFile({
      companyId,
      sessionId,
      storageKey: object.key,
      fileName,
      sizeBytes: object.size,
      state: { kind: "checked", refusal },
      fromPrefix: true,
    });
    if (result.kind === "attached") attached.push(result.file);
    else if (result.kind === "not-pending") throw notPending(sessionId, result.status);
    else ignored.push(object.key);
  }
  return { attached, ignored };
}
