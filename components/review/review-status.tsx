"use client";

import Link from "next/link";
import { jobContactsHref } from "@/components/api/contacts";
import type { JobDetail } from "@/components/api/jobs";
import { ProgressBar } from "@/components/ui/progress-bar";
import { formatCount } from "@/lib/format/numbers";

/** While the job may still change by itself (finishing after review), it is asked for again this often. */
export const FINISHING_POLL_MS = 1_000;

/** Whether the job is on its way somewhere without anyone's help: worth polling. */
export function isSettling(job: JobDetail | undefined): boolean {
  if (!job) return false;
  if (job.status === "PENDING" || job.status === "PROCESSING") return true;
  return job.status === "NEEDS_REVIEW" && job.issues_open === 0;
}

/**
 * Where the job stands in its review: issues still open; every issue resolved and the job
 * finishing (its rows being imported); completed, with where its contacts are; or another state
 * in which nothing can be reviewed.
 */
export function ReviewStatus({ job }: { job: JobDetail }) {
  const body = (() => {
    switch (job.status) {
      case "NEEDS_REVIEW":
        return job.issues_open > 0 ? (
          <p>
            <span className="font-semibold">{formatCount(job.issues_open)}</span> open issue
            {job.issues_open === 1 ? "" : "s"} to review · {formatCount(job.issues_resolved)} resolved. When the last
            one is resolved the job finishes by itself.
          </p>
        ) : (
          <p className="font-semibold">All issues are resolved: finishing the job…</p>
        );
      case "PENDING":
        return <p>The job is waiting to be processed; its issues appear here once it has been checked.</p>;
      case "PROCESSING":
        return (
          <div className="space-y-2">
            <p className="font-semibold">Finishing the job: importing its rows… {job.progress}%</p>
            <ProgressBar value={job.progress} label={`Finishing ${job.filename}`} tone="sky" />
          </div>
        );
      case "COMPLETED":
        return (
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p>
              <span className="font-semibold">Job completed:</span> {formatCount(job.inserted_count)} new contact
              {job.inserted_count === 1 ? "" : "s"}, {formatCount(job.updated_count)} updated,{" "}
              {formatCount(job.skipped_count)} row
              {job.skipped_count === 1 ? "" : "s"} skipped.
            </p>
            <div className="flex gap-4 text-sm font-semibold">
              <Link href={jobContactsHref(job.job_id)} className="text-indigo-600 hover:text-indigo-500">
                See its contacts
              </Link>
              <Link href={`/jobs/${job.job_id}`} className="text-indigo-600 hover:text-indigo-500">
                Job page
              </Link>
            </div>
          </div>
        );
      case "FAILED":
        return <p>The job failed{job.error ? `: ${job.error}` : "."}</p>;
      case "REVERTED":
        return <p>The job was reverted: its contact changes were undone.</p>;
    }
  })();
  const tone =
    job.status === "COMPLETED"
      ? "bg-emerald-50 text-emerald-900 ring-emerald-200"
      : job.status === "FAILED"
        ? "bg-red-50 text-red-800 ring-red-200"
        : isSettling(job)
          ? "bg-sky-50 text-sky-900 ring-sky-200"
          : "bg-white text-slate-700 ring-slate-200";
  return (
    <div role="status" aria-label="Review status" className={`rounded-lg px-4 py-3 text-sm ring-1 ${tone}`}>
      {body}
    </div>
  );
}
