import type { z } from "zod";
import { apiFetch } from "@/components/api/request";
import type {
  attachSessionFileContract,
  cancelSessionContract,
  listSessionFilesContract,
  retrySessionContract,
  startUploadContract,
} from "@/lib/api/contracts/session-files";
import type { getSessionContract } from "@/lib/api/contracts/sessions";

// Types only: the contracts never reach the browser bundle.
export type UploadSessionJson = z.output<(typeof getSessionContract)["response"]>;
export type SessionFileList = z.output<(typeof listSessionFilesContract)["response"]>;
export type SessionFileJson = SessionFileList["files"][number];
type Attached = z.output<(typeof attachSessionFileContract)["response"]>;
type Started = z.output<(typeof startUploadContract)["response"]>;
type Cancelled = z.output<(typeof cancelSessionContract)["response"]>;
type Retried = z.output<(typeof retrySessionContract)["response"]>;

export const sessionKey = (sessionId: number) => ["upload-session", sessionId] as const;

export function fetchSession(sessionId: number, signal?: AbortSignal): Promise<UploadSessionJson> {
  return apiFetch<UploadSessionJson>(`/api/sessions/${sessionId}`, { signal });
}

export function fetchSessionFiles(sessionId: number, signal?: AbortSignal): Promise<SessionFileList> {
  return apiFetch<SessionFileList>(`/api/sessions/${sessionId}/files`, { signal });
}

export function attachSessionFile(sessionId: number, input: { key: string; filename: string }): Promise<Attached> {
  return apiFetch<Attached>(`/api/sessions/${sessionId}/files`, { method: "POST", json: input });
}

export function startSession(sessionId: number): Promise<Started> {
  return apiFetch<Started>("/api/uploads/start", { method: "POST", json: { session_id: sessionId } });
}

export function cancelSession(sessionId: number): Promise<Cancelled> {
  return apiFetch<Cancelled>(`/api/sessions/${sessionId}/cancel`, { method: "POST" });
}

export function retrySession(sessionId: number): Promise<Retried> {
  return apiFetch<Retried>(`/api/sessions/${sessionId}/retry`, { method: "POST" });
}
