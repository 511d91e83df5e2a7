import "server-only";
import { and, count, desc, eq, getTableColumns, inArray, or } from "drizzle-orm";
import { getDb, type Database } from "@/db";
import { containsText } from "@/db/search";
import { contactChanges, contacts, jobs, type Contact } from "@/db/schema";

/** A contact with the member whose job inserted it (null when an API key's job did, or the member is gone). */
export type ContactView = Contact & { ownerUserId: string | null };

/** Contacts with their owner: a join on the source job's primary key, one index probe per contact returned. */
export function selectContactViews(db: Database) {
  return db
    .select({ ...getTableColumns(contacts), ownerUserId: jobs.createdById })
    .from(contacts)
    .leftJoin(jobs, eq(jobs.id, contacts.sourceJobId));
}

/** Contacts whose email, first or last name or company contains the text (case-insensitive). */
export function contactTextMatch(search: string) {
  return containsText([contacts.email, contacts.firstName, contacts.lastName, contacts.company], search);
}

/**
 * Contacts the job inserted (source_job_id) or last changed (last_job_id). The candidates come from
 * indexes, never from the company's whole list: the contacts it inserted (contacts_source_job_idx)
 * and those it updated (contact_changes, which records every update a job makes, by job); the
 * condition itself then keeps those whose last change is still this job's.
 */
function contactOfJob(db: Database, jobId: number) {
  const candidates = db
    .select({ id: contacts.id })
    .from(contacts)
    .where(eq(contacts.sourceJobId, jobId))
    .unionAll(db.select({ id: contactChanges.contactId }).from(contactChanges).where(eq(contactChanges.jobId, jobId)));
  return and(inArray(contacts.id, candidates), or(eq(contacts.sourceJobId, jobId), eq(contacts.lastJobId, jobId)));
}

/**
 * A page of the company's contacts, newest first (the (company_id, created_at) index gives the order),
 * optionally only a job's (see contactOfJob); a search reads the company's (or the job's) contacts once.
 */
export async function listContacts({
  companyId,
  jobId,
  search,
  page,
  pageSize,
}: {
  companyId: string;
  jobId?: number;
  search?: string;
  page: number;
  pageSize: number;
}): Promise<{ contacts: ContactView[]; total: number }> {
  const db = await getDb();
  const where = and(
    eq(contacts.companyId, companyId),
    jobId === undefined ? undefined : contactOfJob(db, jobId),
    search ? contactTextMatch(search) : undefined,
  );
  const [rows, [totals]] = await Promise.all([
    selectContactViews(db)
      .where(where)
      .orderBy(desc(contacts.createdAt), desc(contacts.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(contacts).where(where),
  ]);
  return { contacts: rows, total: totals?.total ?? 0 };
}

/** The company's contact with this email (compared as stored: trimmed and lower-cased). */
export async function findContactByEmail({
  companyId,
  email,
}: {
  companyId: string;
  email: string;
}): Promise<ContactView | null> {
  const db = await getDb();
  const [contact] = await selectContactViews(db)
    .where(and(eq(contacts.companyId, companyId), eq(contacts.email, email.trim().toLowerCase())))
    .limit(1);
  return contact ?? null;
}
