"use client";

import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import Link from "next/link";
import { useState } from "react";
import {
  contactsExportUrl,
  contactsKey,
  CONTACTS_PAGE_SIZE,
  fetchContacts,
  type Contact,
} from "@/components/api/contacts";
import { RelativeTime } from "@/components/ui/relative-time";
import { QueryTable } from "@/components/ui/query-table";
import { SearchField } from "@/components/ui/search-field";
import { useDebouncedSearch } from "@/components/ui/use-debounced-search";
import { usePagedQuery } from "@/components/ui/use-paged-query";

const features = tableFeatures({});
const column = createColumnHelper<typeof features, Contact>();
const NO_CONTACTS: Contact[] = [];

function JobLink({ jobId }: { jobId: number | null }) {
  if (jobId === null) return <span className="text-slate-400">—</span>;
  return (
    <Link href={`/jobs/${jobId}`} prefetch={false} className="text-indigo-600 hover:text-indigo-500">
      Job #{jobId}
    </Link>
  );
}

const text = (value: string | null) => value ?? <span className="text-slate-400">—</span>;

const columns = column.columns([
  column.accessor("contact_email", {
    header: "Email",
    cell: ({ row }) => <span className="break-all">{row.original.contact_email}</span>,
  }),
  column.accessor("contact_first_name", {
    header: "First name",
    cell: ({ row }) => text(row.original.contact_first_name),
  }),
  column.accessor("contact_last_name", {
    header: "Last name",
    cell: ({ row }) => text(row.original.contact_last_name),
  }),
  column.accessor("contact_company", { header: "Company", cell: ({ row }) => text(row.original.contact_company) }),
  column.accessor("contact_source_job_id", {
    header: "Source",
    cell: ({ row }) => <JobLink jobId={row.original.contact_source_job_id} />,
  }),
  column.accessor("contact_updated_at", {
    header: "Last change",
    cell: ({ row }) => (
      <div className="space-y-0.5">
        <RelativeTime iso={row.original.contact_updated_at} />
        {row.original.contact_last_job_id !== null ? (
          <p className="text-xs">
            by <JobLink jobId={row.original.contact_last_job_id} />
          </p>
        ) : null}
      </div>
    ),
  }),
]);

/** The job filter, shown while on: the job (linked) and a button that takes the filter off. */
function JobFilter({ jobId, onRemove }: { jobId: number; onRemove: () => void }) {
  return (
    <div
      role="group"
      aria-label="Job filter"
      className="inline-flex items-center gap-1 rounded-full bg-indigo-50 py-1 pr-1 pl-3 text-sm ring-1 ring-indigo-200 ring-inset"
    >
      <span className="text-slate-600">Only</span>
      <JobLink jobId={jobId} />
      <button
        type="button"
        onClick={onRemove}
        aria-label={`Show all contacts, not only job #${jobId}'s`}
        title="Remove the job filter"
        className="rounded-full px-1.5 text-slate-500 hover:bg-indigo-100 hover:text-slate-900"
      >
        ×
      </button>
    </div>
  );
}

/**
 * The company's contacts, newest first, or only those a job inserted or last changed (from the page's
 * `?job_id=`, until the filter is taken off): searched (as you type, once you pause) and paged by the
 * server; exportable.
 */
export function ContactsTable({ companyId, initialJobId }: { companyId: string; initialJobId: number | null }) {
  const [jobId, setJobId] = useState(initialJobId);
  const [page, setPage] = useState(1);
  const { search, setSearch, q, typing } = useDebouncedSearch(() => setPage(1));

  const paged = usePagedQuery(
    {
      queryKey: [...contactsKey(companyId), { q, jobId, page }],
      queryFn: ({ signal }) => fetchContacts({ q, jobId, page }, signal),
    },
    { page, pageSize: CONTACTS_PAGE_SIZE, onPageChange: setPage },
  );
  const { query } = paged;

  const table = useTable({
    features,
    columns,
    data: query.data?.contacts ?? NO_CONTACTS,
    getRowId: (contact) => String(contact.contact_id),
  });
  const removeJobFilter = () => {
    setJobId(null);
    setPage(1);
    // The address follows, so a reload or a shared link shows what is on the screen.
    window.history.replaceState(null, "", "/contacts");
  };
  const empty = query.isPending
    ? "Loading contacts…"
    : jobId !== null
      ? `Job #${jobId} has no contacts${q ? ` matching “${q}”` : ""}.`
      : q
        ? `No contacts match “${q}”.`
        : "No contacts yet: they appear here once a job completes.";

  return (
    <QueryTable
      paged={paged}
      noun="contact"
      caption="Contacts"
      table={table}
      // Still typing: the latest search is not asked for yet.
      waiting={typing}
      filters={
        <>
          <SearchField
            label="Search contacts"
            value={search}
            onChange={setSearch}
            placeholder="Email, name or company"
          />
          {jobId !== null ? <JobFilter jobId={jobId} onRemove={removeJobFilter} /> : null}
        </>
      }
      actions={
        <a
          href={contactsExportUrl(q)}
          download
          className="ml-auto rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
        >
          {/* The export is never narrowed to a job: say so while the list is. */}
          {jobId !== null ? "Export CSV of all contacts" : "Export CSV"}
          {q ? (
            <span className="sr-only">
              {jobId !== null ? "" : " of the contacts"} matching “{q}”
            </span>
          ) : null}
        </a>
      }
      empty={empty}
    />
  );
}
