"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { jobContactsHref } from "@/components/api/contacts";
import {
  errorFileUrl,
  fetchJob,
  jobKey,
  jobRowsKey,
  jobsKey,
  type JobDetail,
  type RevertResult,
} from "@/components/api/jobs";
import { JobActions, jobActionsFor, type JobPermissions } from "@/components/jobs/job-actions";
import { JobRowsTable } from "@/components/jobs/job-rows-table";
import { RevertAction, RevertSummary } from "@/components/jobs/revert-action";
import { StatusBadge } from "@/components/jobs/status-badge";
import { Card } from "@/components/ui/card";
import { LoadError } from "@/components/ui/data-table";
import { REQUIRED_FIELDS } from "@/lib/csv/types";
import { formatBytes, formatCount } from "@/lib/format/numbers";
import { jobAllows } from "@/lib/ingest/job-status";
import { FormAlert } from "@/components/ui/form-alert";

const DELIMITER_NAMES: Record<string, string> = { ",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe" };
const IMPORT_MODE_NAMES = {
  create: "create new contacts only",
  update: "update existing contacts only",
  upsert: "create and update",
};
/** While the job runs, its page follows it this often. */
const POLL_MS = 1_500;

export type JobPagePermissions = JobPermissions & { canRevert: boolean };

const utc = (iso: string) => `${iso.replace("T", " ").slice(0, 19)} UTC`;

/**
 * One job: status and counts, how its file was read, its timeline, its rows, and what can be done
 * with it (by group). Follows the job live while it is processing.
 */
export function JobDetailView({
  companyId,
  initialJob,
  permissions,
}: {
  companyId: string;
  initialJob: JobDetail;
  permissions: JobPagePermissions;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [reverted, setReverted] = useState<RevertResult | null>(null);
  const jobId = initialJob.job_id;
  const query = useQuery({
    queryKey: jobKey(companyId, jobId),
    queryFn: ({ signal }) => fetchJob(jobId, signal),
    initialData: initialJob,
    refetchInterval: (current) => {
      const status = current.state.data?.status;
      return status === "PENDING" || status === "PROCESSING" ? POLL_MS : false;
    },
  });
  const job = query.data;
  // Processing, finishing and reprocessing change the rows: once the status moves on, show them as they are now.
  const seenStatus = useRef(job.status);
  useEffect(() => {
    if (seenStatus.current === job.status) return;
    seenStatus.current = job.status;
    void queryClient.invalidateQueries({ queryKey: jobRowsKey(companyId, jobId) });
  }, [job.status, queryClient, companyId, jobId]);

  // Where the file's records went besides being staged: each kind named only when there is one.
  const rowsNote = [
    job.malformed_rows > 0 ? `${formatCount(job.malformed_rows)} malformed` : null,
    job.blank_rows > 0 ? `${formatCount(job.blank_rows)} blank` : null,
  ]
    .filter((part) => part !== null)
    .join(" · ");
  const figures: [string, number | null, string?][] = [
    ["Rows", job.total_rows ?? job.processed_rows, rowsNote],
    ["Inserted", job.inserted_count],
    ["Updated", job.updated_count],
    ["Skipped", job.skipped_count],
    ["Open issues", job.issues_open],
    ["Resolved issues", job.issues_resolved],
  ];
  const details: [string, string][] = [
    ["Size", formatBytes(job.size_bytes)],
    ["Encoding", job.encoding ?? "—"],
    ["Delimiter", job.delimiter ? (DELIMITER_NAMES[job.delimiter] ?? job.delimiter) : "—"],
    ["Import mode", IMPORT_MODE_NAMES[job.import_mode]],
    ["Uploaded by", job.created_by?.name ?? job.created_by?.email ?? "API key"],
    ["SHA-256", job.sha256],
  ];
  const issueCount = job.issues_open + job.issues_resolved;

  return (
    <div className="space-y-6">
      <div>
        <Link href="/jobs" className="text-sm text-indigo-600 hover:underline">
          ← Jobs
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight break-all">{job.filename}</h1>
          <StatusBadge status={job.status} />
          {job.status === "PROCESSING" ? (
            <span className="text-sm text-slate-600">{job.progress}% processed</span>
          ) : null}
        </div>
        <p className="mt-1 text-sm text-slate-500">Job #{job.job_id}</p>
      </div>

      {job.error ? <FormAlert>{job.error}</FormAlert> : null}
      {query.isError ? (
        <LoadError what="job" message={query.error.message} stale onRetry={() => void query.refetch()} />
      ) : null}

      <Card title="Actions">
        <div className="flex flex-wrap items-start gap-x-8 gap-y-4">
          {issueCount > 0 ? (
            <div role="group" aria-label="Issues" className="flex flex-wrap items-center gap-3">
              <Link
                href={`/jobs/${job.job_id}/review`}
                className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500"
              >
                {job.issues_open > 0 ? `Review issues (${formatCount(job.issues_open)} open)` : "Review issues"}
              </Link>
              <a
                href={errorFileUrl(job.job_id)}
                download
                className="rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
              >
                Download error file
              </a>
            </div>
          ) : (
            <p className="text-sm text-slate-500">No issues were found in this file.</p>
          )}
          {job.status === "COMPLETED" || job.status === "REVERTED" ? (
            <div role="group" aria-label="Contacts" className="flex items-center">
              <Link
                href={jobContactsHref(job.job_id)}
                className="rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
              >
                See its contacts
              </Link>
            </div>
          ) : null}
          {Object.values(jobActionsFor(job, permissions)).some(Boolean) ? (
            <div role="group" aria-label="Processing" className="flex items-center">
              <JobActions
                job={job}
                canReprocess={permissions.canReprocess}
                canDelete={permissions.canDelete}
                canCancel={permissions.canCancel}
                onDeleted={() => {
                  void queryClient.invalidateQueries({ queryKey: jobsKey(companyId), refetchType: "none" });
                  router.push("/jobs");
                }}
              />
            </div>
          ) : null}
          {permissions.canRevert && jobAllows(job.status, "revert") ? (
            <div role="group" aria-label="Undo" className="max-w-xl">
              <RevertAction companyId={companyId} jobId={job.job_id} onReverted={setReverted} />
            </div>
          ) : null}
        </div>
        {reverted ? (
          <div className="mt-4">
            <RevertSummary result={reverted} />
          </div>
        ) : null}
      </Card>

      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
        {figures.map(([label, value, note]) => (
          <div key={label} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <dt className="text-sm text-slate-500">{label}</dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums">{value === null ? "—" : formatCount(value)}</dd>
            {note ? <dd className="mt-1 text-sm text-slate-600">{note}</dd> : null}
          </div>
        ))}
      </dl>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="File">
          <dl className="divide-y divide-slate-100 text-sm">
            {details.map(([label, value]) => (
              <div key={label} className="flex justify-between gap-4 py-2">
                <dt className="text-slate-500">{label}</dt>
                <dd className="text-right break-all text-slate-900">{value}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card title="Header mapping">
          {job.header_mapping ? (
            <table className="w-full text-sm">
              <caption className="sr-only">Which column of the file gives each field</caption>
              <thead>
                <tr className="text-left text-slate-500">
                  <th className="py-1 font-normal">Field</th>
                  <th className="py-1 font-normal">Column in the file</th>
                </tr>
              </thead>
              <tbody>
                {mappingInFieldOrder(job.header_mapping).map(([field, header]) => (
                  <tr key={field} className="border-t border-slate-100">
                    <td className="py-2 font-mono text-xs">{field}</td>
                    <td className="py-2">{header}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="text-sm text-slate-500">Not detected.</p>
          )}
        </Card>
      </div>

      <Card title="Timeline">
        <ol className="space-y-3">
          {job.events.map((event, index) => (
            <li key={`${event.created_at}-${index}`} className="flex flex-wrap items-center gap-3 text-sm">
              <time dateTime={event.created_at} className="w-48 whitespace-nowrap text-slate-500 tabular-nums">
                {utc(event.created_at)}
              </time>
              <StatusBadge status={event.status} />
              <span className="text-slate-700">{event.message}</span>
            </li>
          ))}
        </ol>
      </Card>

      <Card title="Rows">
        <JobRowsTable companyId={companyId} jobId={job.job_id} />
      </Card>
    </div>
  );
}

/** The mapping in the order of Intake's fields (email, first name, last name, company), then any other. */
function mappingInFieldOrder(mapping: Record<string, string>): [string, string][] {
  const rank = (field: string) => {
    const index = (REQUIRED_FIELDS as readonly string[]).indexOf(field);
    return index === -1 ? REQUIRED_FIELDS.length : index;
  };
  return Object.entries(mapping).sort(([a], [b]) => rank(a) - rank(b));
}
