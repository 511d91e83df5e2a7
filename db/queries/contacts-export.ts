import "server-only";
import { and, asc, eq, gt, ilike, or, type SQL } from "drizzle-orm";
import { getDb } from "@/db";
import { contacts } from "@/db/schema";

export type ExportedContact = Pick<
  typeof contacts.$inferSelect,
  "email" | "firstName" | "lastName" | "company" | "sourceJobId" | "lastJobId" | "createdAt" | "updatedAt"
>;

/** `q` as a LIKE pattern matching it anywhere, its own % _ and \ taken literally. */
function containing(q: string): string {
  return `%${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** Contacts whose email, first or last name or company contains `q` (case-insensitive). */
export function contactTextMatch(q: string): SQL | undefined {
  const pattern = containing(q);
  return or(
    ilike(contacts.email, pattern),
    ilike(contacts.firstName, pattern),
    ilike(contacts.lastName, pattern),
    ilike(contacts.company, pattern),
  );
}

/**
 * The company's next `limit` contacts after `afterEmail` in email order, optionally only those
 * matching `q`. Keyset over the (company, email) unique index: each batch is one index range scan.
 */
export async function listContactsForExport({
  companyId,
  q,
  afterEmail,
  limit,
}: {
  companyId: string;
  q?: string;
  afterEmail: string | null;
  limit: number;
}): Promise<ExportedContact[]> {
  const db = await getDb();
  return db
    .select({
      email: contacts.email,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      company: contacts.company,
      sourceJobId: contacts.sourceJobId,
      lastJobId: contacts.lastJobId,
      createdAt: contacts.createdAt,
      updatedAt: contacts.updatedAt,
    })
    .from(contacts)
    .where(
      and(
        eq(contacts.companyId, companyId),
        afterEmail === null ? undefined : gt(contacts.email, afterEmail),
        q ? contactTextMatch(q) : undefined,
      ),
    )
    .orderBy(asc(contacts.email))
    .limit(limit);
}
