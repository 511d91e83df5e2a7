"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback } from "react";
import {
  attachSessionFile,
  cancelSession,
  fetchSession,
  fetchSessionFiles,
  retrySession,
  sessionKey,
  startSession,
  type SessionFileJson,
  type UploadSessionJson,
} from "@/components/api/session-runs";
import { UploadDropzone } from "@/components/jobs/upload-dropzone";
import type { UploadRegistrar } from "@/components/jobs/upload-queue";
import { StatusBadge } from "@/components/sessions/browse-tables";
import { ActionButton } from "@/components/ui/action-button";
import { Card, Stat } from "@/components/ui/card";

const POLL_MS = 2_000;
const ENDED: readonly UploadSessionJson["status"][] = ["completed", "failed", "cancelled"];

const FILE_STATUS_LABELS: Record<SessionFileJson["status"], string> = {
  UPLOADING: "Uploading",
  ATTACHED: "Waiting to start",
  RUNNING: "Running",
  COMPLETED: "Completed",
  NEEDS_REVIEW: "Needs review",
  REFUSED: "Refused",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
};

/** The session's totals, its files with live statuses, and what can be done with it now. */
export function SessionRun({
  companyId,
  initial,
  canUpload,
}: {
  companyId: string;
  initial: UploadSessionJson;
  canUpload: boolean;
}) {
  const sessionId = initial.id;
  const queryClient = useQueryClient();
  const session = useQuery({
    queryKey: [...sessionKey(sessionId), "session"],
    queryFn: ({ signal }) => fetchSession(sessionId, signal),
    initialData: initial,
    refetchInterval: (query) => (query.state.data && ENDED.includes(query.state.data.status) ? false : POLL_MS),
  }).data;
  const ended = ENDED.includes(session.status);
  const files = useQuery({
    queryKey: [...sessionKey(sessionId), "files"],
    queryFn: ({ signal }) => fetchSessionFiles(sessionId, signal),
    refetchInterval: ended ? false : POLL_MS,
  });
  const refresh = useCallback(
    () => queryClient.invalidateQueries({ queryKey: sessionKey(sessionId) }),
    [queryClient, sessionId],
  );
  const start = useMutation({ mutationFn: () => startSession(sessionId), onSuccess: refresh });
  const cancel = useMutation({ mutationFn: () => cancelSession(sessionId), onSuccess: refresh });
  const retry = useMutation({ mutationFn: () => retrySession(sessionId), onSuccess: refresh });
  const failure = start.error ?? cancel.error ?? retry.error;

  const attach = useCallback<UploadRegistrar>(
    async ({ key, filename }) => {
      const file = await attachSessionFile(sessionId, { key, filename });
      void refresh();
      return file.status === "REFUSED"
        ? { change: { phase: "refused", message: file.reason, jobId: null }, job: null }
        : { change: { phase: "queued", message: "Attached: it runs when the session starts", jobId: null }, job: null };
    },
    [sessionId, refresh],
  );

  const pending = session.status === "pending";
  return (
    <div className="space-y-6">
      <p aria-live="polite" className="flex items-center gap-2 text-sm text-slate-600">
        Status <StatusBadge status={session.status} />
      </p>
      <section aria-label="Totals" className="grid grid-cols-2 gap-4 sm:grid-cols-4 lg:grid-cols-7">
        <Stat label="Files" value={session.files.total} />
        <Stat label="Completed" value={session.files.completed} />
        <Stat label="Need review" value={session.files.needs_review} />
        <Stat label="Refused" value={session.files.refused} />
        <Stat label="Failed" value={session.files.failed} />
        <Stat label="Rows landed" value={session.rows_landed} />
        <Stat label="Rows with issues" value={session.rows_with_issues} />
      </section>
      {session.failure_reason ? (
        <p role="alert" className="text-sm text-red-700">
          {session.failure_reason}
        </p>
      ) : null}

      {canUpload ? (
        <div className="flex flex-wrap gap-2">
          {pending ? (
            <ActionButton
              onClick={() => start.mutate()}
              disabled={start.isPending || session.files.total === 0}
              className="px-3 py-1.5 text-sm"
            >
              Start
            </ActionButton>
          ) : null}
          {!ended ? (
            <ActionButton tone="danger" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
              Cancel session
            </ActionButton>
          ) : null}
          {ended && session.files.failed > 0 ? (
            <ActionButton onClick={() => retry.mutate()} disabled={retry.isPending}>
              Retry failed files
            </ActionButton>
          ) : null}
        </div>
      ) : null}
      {failure ? (
        <p role="alert" className="text-sm text-red-700">
          {failure.message}
        </p>
      ) : null}

      {canUpload && pending ? (
        <Card title="Add files">
          <UploadDropzone companyId={companyId} register={attach} chooseImportMode={false} />
        </Card>
      ) : null}

      <Card title="Files">
        <table className="min-w-full text-sm" aria-label="Session files">
          <thead>
            <tr className="text-left text-slate-500">
              <th scope="col" className="py-2 pr-4 font-medium">
                File
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Status
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Rows landed
              </th>
              <th scope="col" className="py-2 pr-4 font-medium">
                Job
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {(files.data?.files ?? []).map((file) => (
              <tr key={file.id}>
                <th scope="row" className="py-2 pr-4 text-left font-medium text-slate-900">
                  {file.filename}
                </th>
                <td className="py-2 pr-4">
                  {FILE_STATUS_LABELS[file.status]}
                  {file.reason ? <span className="block text-xs text-slate-500">{file.reason}</span> : null}
                </td>
                <td className="py-2 pr-4 tabular-nums">{file.job?.landed_rows ?? "—"}</td>
                <td className="py-2 pr-4">
                  {file.job_id !== null ? (
                    <Link
                      href={file.status === "NEEDS_REVIEW" ? `/jobs/${file.job_id}/review` : `/jobs/${file.job_id}`}
                      prefetch={false}
                      className="font-medium text-indigo-700 hover:underline"
                    >
                      {file.status === "NEEDS_REVIEW" ? `Review job #${file.job_id}` : `Job #${file.job_id}`}
                    </Link>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
