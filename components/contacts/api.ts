import type { z } from "zod";
import { apiFetch, queryString } from "@/components/api/request";
import type { contactListSchema, contactSchema } from "@/lib/api/contracts/contacts";

// Types only: the contracts never reach the browser bundle.
export type Contact = z.output<typeof contactSchema>;
export type ContactList = z.output<typeof contactListSchema>;

export const CONTACTS_PAGE_SIZE = 50;

export function fetchContacts({ q, page }: { q: string; page: number }, signal?: AbortSignal): Promise<ContactList> {
  return apiFetch<ContactList>(`/api/contacts${queryString({ q, page, page_size: CONTACTS_PAGE_SIZE })}`, { signal });
}

/** The CSV export of the contacts matching a search (all of them when it is empty), streamed by the server. */
export function contactsExportUrl(q: string): string {
  return `/api/contacts/export.csv${queryString({ q })}`;
}

export const contactsKey = (companyId: string) => ["contacts", companyId] as const;
