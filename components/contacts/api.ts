import { apiFetch, queryString } from "@/components/api/request";

export type Contact = {
  contact_id: number;
  contact_email: string;
  contact_first_name: string | null;
  contact_last_name: string | null;
  contact_company: string | null;
  contact_source_job_id: number | null;
  contact_last_job_id: number | null;
  contact_created_at: string;
  contact_updated_at: string;
};

export type ContactList = { contacts: Contact[]; total: number; page: number; page_size: number };

export const CONTACTS_PAGE_SIZE = 50;

export function fetchContacts({ q, page }: { q: string; page: number }, signal?: AbortSignal): Promise<ContactList> {
  return apiFetch<ContactList>(`/api/contacts${queryString({ q, page, page_size: CONTACTS_PAGE_SIZE })}`, { signal });
}

/** The CSV export of the contacts matching a search (all of them when it is empty), streamed by the server. */
export function contactsExportUrl(q: string): string {
  return `/api/contacts/export.csv${queryString({ q })}`;
}

export const contactsKey = (companyId: string) => ["contacts", companyId] as const;
