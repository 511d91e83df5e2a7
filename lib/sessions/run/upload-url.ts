import "server-only";
import { insertSessionFile, type SessionFile } from "@/db/queries/session-files";
import { signUploadUrl, type UploadTicket } from "@/lib/ingest/upload-url";
import { recordedFile, requirePendingSession } from "@/lib/sessions/run/attach";

/**
 * An upload URL for a file of the company's pending session: the file is recorded on the session at once
 * (UPLOADING, counted in its files) and checked when the session starts, or sooner when it is attached
 * with POST /api/sessions/{id}/files. 404 for a session not theirs, 409 once it has started; the URL's
 * own rules (name, size) as for any upload. Nothing is stored until the client PUTs the bytes.
 */
export async function signSessionUploadUrl({
  companyId,
  sessionId,
  fileName,
  size,
  contentType,
  origin,
}: {
  companyId: string;
  sessionId: number;
  fileName: string;
  size: number;
  contentType: string;
  origin: string;
}): Promise<UploadTicket & { file: SessionFile }> {
  await requirePendingSession({ companyId, sessionId });
  const ticket = await signUploadUrl({ companyId, fileName, size, contentType, origin });
  const recorded = await insertSessionFile({
    companyId,
    sessionId,
    storageKey: ticket.key,
    fileName,
    sizeBytes: size,
    state: { kind: "uploading" },
  });
  // Every ticket has a key of its own: one recorded already is a bug, not a client's mistake.
  const file = recordedFile(recorded, sessionId, () => new Error(`upload key ${ticket.key} was issued twice`));
  return { ...ticket, file };
}
