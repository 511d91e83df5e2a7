"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { contactsKey } from "@/components/api/contacts";
import { revertJob, jobsKey, type RevertResult } from "@/components/api/jobs";
import { ActionButton } from "@/components/ui/action-button";
import { formatCount } from "@/lib/format/numbers";

const plural = (count: number, one: string, many: string) => `${formatCount(count)} ${count === 1 ? one : many}`;

/** What a revert did, in words: removed, restored, and the contacts left alone because a later job changed them. */
export function RevertSummary({ result }: { result: RevertResult }) {
  return (
    <div
      role="status"
      aria-label="Revert result"
      className="space-y-2 rounded-md bg-violet-50 px-4 py-3 text-sm text-violet-900 ring-1 ring-violet-200"
    >
      <p>
        <span className="font-semibold">Reverted.</span> {plural(result.removed, "contact", "contacts")} the job added{" "}
        {result.removed === 1 ? "was" : "were"} removed; {plural(result.restored, "contact", "contacts")} it updated{" "}
        {result.restored === 1 ? "was" : "were"} restored to {result.restored === 1 ? "its" : "their"} previous values.
      </p>
      {result.kept_count > 0 ? (
        <div>
          <p>
            {plural(result.kept_count, "contact was", "contacts were")} kept as they are, because a later job changed
            them since:
          </p>
          <ul className="mt-1 list-disc pl-5">
            {result.kept.map((kept) => (
              <li key={kept.contact_id}>
                <span className="font-medium break-all">{kept.contact_email}</span> — {kept.reason}
              </li>
            ))}
          </ul>
          {result.kept_count > result.kept.length ? (
            <p className="mt-1">…and {formatCount(result.kept_count - result.kept.length)} more.</p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/**
 * Revert a completed job, with a confirmation step: the contacts it added are removed and those it
 * updated get their previous values back (unless a later job changed them since).
 */
export function RevertAction({
  companyId,
  jobId,
  onReverted,
}: {
  companyId: string;
  jobId: number;
  onReverted: (result: RevertResult) => void;
}) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revert = useMutation({
    mutationFn: () => revertJob(jobId),
    onSuccess: async (result) => {
      setConfirming(false);
      onReverted(result);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: jobsKey(companyId) }),
        queryClient.invalidateQueries({ queryKey: contactsKey(companyId) }),
      ]);
    },
  });
  return (
    <div className="space-y-2">
      {confirming ? (
        <div
          role="group"
          aria-label="Confirm revert"
          className="space-y-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-900 ring-1 ring-red-200"
        >
          <p>
            Revert this job? The contacts it added are removed and the contacts it updated get their previous values
            back, unless a later job has changed them since. The job is marked reverted.
          </p>
          <div className="flex gap-2">
            <ActionButton tone="danger-solid" disabled={revert.isPending} onClick={() => revert.mutate()}>
              {revert.isPending ? "Reverting…" : "Confirm revert"}
            </ActionButton>
            <ActionButton disabled={revert.isPending} onClick={() => setConfirming(false)}>
              Cancel
            </ActionButton>
          </div>
        </div>
      ) : (
        <ActionButton
          tone="danger"
          onClick={() => {
            revert.reset();
            setConfirming(true);
          }}
        >
          Revert
        </ActionButton>
      )}
      {revert.error ? (
        <p role="alert" className="text-sm text-red-700">
          {revert.error.message}
        </p>
      ) : null}
    </div>
  );
}
