import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatBytes, formatCount } from "@/components/jobs/format";
import { StatusBadge } from "@/components/jobs/status-badge";
import { Card } from "@/components/ui/card";
import { findJobWithCreator, listJobEvents } from "@/db/queries/jobs";
import { requirePageContext } from "@/lib/auth/page-context";
import { jobProgress } from "@/lib/ingest/job-json";

export const metadata: Metadata = { title: "Job" };

const DELIMITER_NAMES: Record<string, string> = { ",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe" };
const IMPORT_MODE_NAMES = { create: "create new contacts only", update: "update existing contacts only", upsert: "create and update" };

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requirePageContext();
  const { id } = await params;
  const jobId = Number(id);
  if (!Number.isSafeInteger(jobId) || jobId <= 0) notFound();
  const job = await findJobWithCreator({ jobId, companyId: ctx.companyId });
  if (!job) notFound();
  const events = await listJobEvents({ jobId: job.id });

  const figures: [string, number | null][] = [
    ["Rows", job.totalRows ?? job.stagedRows],
    ["Inserted", job.insertedCount],
    ["Updated", job.updatedCount],
    ["Skipped", job.skippedCount],
    ["Issues", job.issueCount],
  ];
  const details: [string, string][] = [
    ["Size", formatBytes(job.sizeBytes)],
    ["Encoding", job.encoding ?? "—"],
    ["Delimiter", job.delimiter ? (DELIMITER_NAMES[job.delimiter] ?? job.delimiter) : "—"],
    ["Import mode", IMPORT_MODE_NAMES[job.importMode]],
    ["Uploaded by", job.creator?.name ?? job.creator?.email ?? "API key"],
    ["SHA-256", job.sha256],
  ];

  return (
    <div className="space-y-6">
      <div>
        <Link href="/jobs" className="text-sm text-indigo-600 hover:underline">
          ← Jobs
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight break-all">{job.fileName}</h1>
          <StatusBadge status={job.status} />
          {job.status === "PROCESSING" ? <span className="text-sm text-slate-600">{jobProgress(job)}% processed</span> : null}
        </div>
        <p className="mt-1 text-sm text-slate-500">Job #{job.id}</p>
      </div>

      {job.error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {job.error}
        </p>
      ) : null}

      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
        {figures.map(([label, value]) => (
          <div key={label} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <dt className="text-sm text-slate-500">{label}</dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums">{value === null ? "—" : formatCount(value)}</dd>
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
          {job.headerMapping ? (
            <table className="w-full text-sm">
              <caption className="sr-only">Which column of the file gives each field</caption>
              <thead>
                <tr className="text-left text-slate-500">
                  <th className="py-1 font-normal">Field</th>
                  <th className="py-1 font-normal">Column in the file</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(job.headerMapping).map(([field, header]) => (
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
          {events.map((event) => (
            <li key={event.id} className="flex flex-wrap items-center gap-3 text-sm">
              <time dateTime={event.createdAt.toISOString()} className="w-44 text-slate-500 tabular-nums">
                {event.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC
              </time>
              <StatusBadge status={event.status} />
              <span className="text-slate-700">{event.message}</span>
            </li>
          ))}
        </ol>
      </Card>
    </div>
  );
}
