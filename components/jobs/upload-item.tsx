"use client";

import Link from "next/link";
import { isRetryable, type UploadItem as Item } from "@/components/jobs/upload-queue";
import { ActionButton } from "@/components/ui/action-button";
import { ProgressBar } from "@/components/ui/progress-bar";
import { formatBytes } from "@/lib/format/numbers";
import { FormAlert } from "@/components/ui/form-alert";

const PHASE_TEXT: Record<Item["phase"], string> = {
  waiting: "Waiting…",
  uploading: "Uploading…",
  checking: "Checking…",
  queued: "Queued",
  refused: "Refused",
  failed: "Failed",
  cancelled: "Cancelled",
};

const PHASE_TONE: Record<Item["phase"], string> = {
  waiting: "text-slate-500",
  uploading: "text-indigo-700",
  checking: "text-indigo-700",
  queued: "text-emerald-700",
  refused: "text-red-700",
  failed: "text-red-700",
  cancelled: "text-slate-500",
};

function JobLink({ jobId }: { jobId: number }) {
  return (
    <Link href={`/jobs/${jobId}`} prefetch={false} className="font-medium text-indigo-600 hover:text-indigo-500">
      job #{jobId}
    </Link>
  );
}

/** One dropped file: name, size, bytes sent, and where it stands. */
export function UploadItemRow({ item, onCancel, onRetry }: { item: Item; onCancel: () => void; onRetry: () => void }) {
  const percent =
    item.size > 0 ? (item.sent / item.size) * 100 : item.phase === "waiting" || item.phase === "uploading" ? 0 : 100;
  const bad = item.phase === "refused" || item.phase === "failed";
  return (
    <li className="py-3" data-phase={item.phase}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <p className="min-w-0 truncate text-sm font-medium text-slate-900" title={item.name}>
          {item.name}
        </p>
        <div className="flex items-center gap-3 text-xs">
          <span className="text-slate-500 tabular-nums">
            {item.phase === "uploading"
              ? `${formatBytes(item.sent)} of ${formatBytes(item.size)}`
              : formatBytes(item.size)}
          </span>
          <span className={`font-medium ${PHASE_TONE[item.phase]}`}>
            {item.phase === "queued" && item.jobId !== null ? (
              <>
                Queued as <JobLink jobId={item.jobId} />
              </>
            ) : (
              PHASE_TEXT[item.phase]
            )}
          </span>
          {item.phase === "waiting" || item.phase === "uploading" ? (
            <ActionButton onClick={onCancel} aria-label={`Cancel upload of ${item.name}`}>
              Cancel
            </ActionButton>
          ) : null}
          {isRetryable(item) ? (
            <ActionButton onClick={onRetry} aria-label={`Retry upload of ${item.name}`}>
              Retry
            </ActionButton>
          ) : null}
        </div>
      </div>
      <ProgressBar
        className="mt-2"
        value={percent}
        label={`Upload of ${item.name}`}
        valueText={`${formatBytes(item.sent)} of ${formatBytes(item.size)} sent`}
        tone={bad ? "red" : item.phase === "queued" ? "emerald" : "indigo"}
      />
      {bad && item.message ? (
        <FormAlert className="mt-2">
          {item.message}
          {item.jobId !== null ? (
            <>
              {" "}
              (see <JobLink jobId={item.jobId} />)
            </>
          ) : null}
        </FormAlert>
      ) : null}
    </li>
  );
}
