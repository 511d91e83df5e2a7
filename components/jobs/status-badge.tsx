import type { JobStatus } from "@/components/api/jobs";

export const STATUS_LABELS: Record<JobStatus, string> = {
  PENDING: "Pending",
  PROCESSING: "Processing",
  NEEDS_REVIEW: "Needs review",
  COMPLETED: "Completed",
  FAILED: "Failed",
  REVERTED: "Reverted",
  CANCELLED: "Cancelled",
};

/** In the order a job moves through them. */
export const JOB_STATUS_LIST = Object.keys(STATUS_LABELS) as JobStatus[];

const TONES: Record<JobStatus, { badge: string; dot: string }> = {
  PENDING: { badge: "bg-slate-100 text-slate-700 ring-slate-300", dot: "bg-slate-400" },
  PROCESSING: { badge: "bg-sky-50 text-sky-800 ring-sky-300", dot: "bg-sky-500 animate-pulse" },
  NEEDS_REVIEW: { badge: "bg-amber-50 text-amber-800 ring-amber-300", dot: "bg-amber-500" },
  COMPLETED: { badge: "bg-emerald-50 text-emerald-800 ring-emerald-300", dot: "bg-emerald-500" },
  FAILED: { badge: "bg-red-50 text-red-800 ring-red-300", dot: "bg-red-500" },
  REVERTED: { badge: "bg-violet-50 text-violet-800 ring-violet-300", dot: "bg-violet-500" },
  CANCELLED: { badge: "bg-zinc-100 text-zinc-700 ring-zinc-300", dot: "bg-zinc-500" },
};

/** A job's status: colour for the eye, the words for everyone (the colour is never the only signal). */
export function StatusBadge({ status }: { status: JobStatus }) {
  const tone = TONES[status];
  return (
    <span
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${tone.badge}`}
    >
      <span aria-hidden="true" className={`size-1.5 rounded-full ${tone.dot}`} />
      {STATUS_LABELS[status]}
    </span>
  );
}
