import "server-only";
import { and, count, desc, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { containsText } from "@/db/search";
import { contacts, type Contact } from "@/db/schema";

/**
 * A page of the company's contacts, newest first (the (company_id, created_at) index gives the order);
 * a search reads the company's contacts once.
 */
export async function listContacts({
  companyId,
  search,
  page,
  pageSize,
}: {
  companyId: string;
  search?: string;
  page: number;
  pageSize: number;
}): Promise<{ contacts: Contact[]; total: number }> {
  const db = await getDb();
  const where = and(
    eq(contacts.companyId, companyId),
    search ? containsText([contacts.email, contacts.firstName, contacts.lastName, contacts.company], search) : undefined,
  );
  const [rows, [totals]] = await Promise.all([
    db
      .select()
      .from(contacts)
      .where(where)
      .orderBy(desc(contacts.createdAt), desc(contacts.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(contacts).where(where),
  ]);
  return { contacts: rows, total: totals?.total ?? 0 };
}

/** The company's contact with this email (compared as stored: trimmed and lower-cased). */
export async function findContactByEmail({ companyId, email }: { companyId: string; email: string }): Promise<Contact | null> {
  const db = await getDb();
  const [contact] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.companyId, companyId), eq(contacts.email, email.trim().toLowerCase())))
    .limit(1);
  return contact ?? null;
}
