import type { z } from "zod";
import { apiFetch, queryString } from "@/components/api/request";
import type { contactListSchema, contactSchema } from "@/lib/api/contracts/contacts";

// Types only: the contracts never reach the browser bundle.
export type Contact = z.output<typeof contactSchema>;
export type ContactList = z.output<typeof contactListSchema>;

export const CONTACTS_PAGE_SIZE = 50;

/** A page of the contacts matching a search, only a job's when `jobId` is given. */
export function fetchContacts(
  { q, jobId, page }: { q: string; jobId: number | null; page: number },
  signal?: AbortSignal,
): Promise<ContactList> {
  return apiFetch<ContactList>(
    `/api/contacts${queryString({ job_id: jobId, q, page, page_size: CONTACTS_PAGE_SIZE })}`,
    { signal },
  );
}

/** The contacts page showing a job's contacts. */
export const jobContactsHref = (jobId: number) => `/contacts?job_id=${jobId}`;

/** The CSV export of the contacts matching a search (all of them when it is empty), streamed by the server. */
export function contactsExportUrl(q: string): string {
  return `/api/contacts/export.csv${queryString({ q })}`;
}

export const contactsKey = (companyId: string) => ["contacts", companyId] as const;
