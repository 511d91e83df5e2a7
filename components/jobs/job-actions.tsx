"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { cancelJob, deleteJob, reprocessJob, type Job } from "@/components/api/jobs";
import { ActionButton } from "@/components/ui/action-button";
// The API's own table of which status allows what: a button shows only where the request would be accepted.
import { jobAllows } from "@/lib/ingest/job-status";

export type JobPermissions = { canReprocess: boolean; canDelete: boolean; canCancel: boolean };

/** Whether the person may reprocess, delete or cancel the job in its present state. */
export function jobActionsFor(job: Pick<Job, "status">, { canReprocess, canDelete, canCancel }: JobPermissions) {
  return {
    mayReprocess: canReprocess && jobAllows(job.status, "reprocess"),
    mayDelete: canDelete && jobAllows(job.status, "delete"),
    mayCancel: canCancel && jobAllows(job.status, "cancel"),
  };
}

/**
 * Reprocess, cancel and delete (each stopping or destroying action with a confirm step) for one job,
 * as the person's groups allow; errors in place. `onDeleted` replaces the usual refresh when the
 * job's own page goes away with it.
 */
export function JobActions({
  job,
  canReprocess,
  canDelete,
  canCancel,
  onDeleted,
}: { job: Job; onDeleted?: () => void } & JobPermissions) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  // Settled only once the list has been fetched again, so the row never shows a stale state.
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["jobs"] });
  const reprocess = useMutation({ mutationFn: () => reprocessJob(job.job_id), onSuccess: refresh });
  const remove = useMutation({
    mutationFn: () => deleteJob(job.job_id),
    onSuccess: () => (onDeleted ? onDeleted() : refresh()),
  });
  const cancel = useMutation({
    mutationFn: () => cancelJob(job.job_id),
    onSuccess: () => {
      setConfirmingCancel(false);
      return refresh();
    },
  });

  const { mayReprocess, mayDelete, mayCancel } = jobActionsFor(job, { canReprocess, canDelete, canCancel });
  const busy = reprocess.isPending || remove.isPending || cancel.isPending;
  const error = reprocess.error ?? remove.error ?? cancel.error;
  const stopping = job.status === "PROCESSING" && job.cancel_requested_at !== null;

  if (!mayReprocess && !mayDelete && !mayCancel && !error) return <span className="text-slate-400">—</span>;
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex items-center justify-end gap-2">
        {mayCancel && stopping ? <span className="text-xs text-slate-600">Stopping…</span> : null}
        {mayCancel && !stopping && !confirmingCancel ? (
          <ActionButton
            tone="danger"
            disabled={busy}
            onClick={() => {
              reprocess.reset();
              remove.reset();
              setConfirmingCancel(true);
            }}
          >
            Cancel job
          </ActionButton>
        ) : null}
        {mayCancel && !stopping && confirmingCancel ? (
          <>
            <span className="text-xs text-slate-600">
              Stop it? Contacts it landed are taken back; reprocessing starts it over from the file (review decisions
              included).
            </span>
            <ActionButton tone="danger-solid" disabled={busy} onClick={() => cancel.mutate()}>
              {cancel.isPending ? "Stopping…" : "Stop job"}
            </ActionButton>
            <ActionButton disabled={busy} onClick={() => setConfirmingCancel(false)}>
              Keep running
            </ActionButton>
          </>
        ) : null}
        {mayReprocess && !(confirming && mayDelete) ? (
          <ActionButton
            disabled={busy}
            onClick={() => {
              remove.reset();
              reprocess.mutate();
            }}
          >
            {reprocess.isPending ? "Reprocessing…" : "Reprocess"}
          </ActionButton>
        ) : null}
        {mayDelete && !confirming ? (
          <ActionButton
            tone="danger"
            disabled={busy}
            onClick={() => {
              reprocess.reset();
              setConfirming(true);
            }}
          >
            Delete
          </ActionButton>
        ) : null}
        {mayDelete && confirming ? (
          <>
            <ActionButton tone="danger-solid" disabled={busy} onClick={() => remove.mutate()}>
              {remove.isPending ? "Deleting…" : "Confirm delete"}
            </ActionButton>
            <ActionButton disabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </ActionButton>
          </>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="max-w-xs text-right text-xs text-red-700">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
