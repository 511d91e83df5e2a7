import "server-only";
import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { companies, memberships, users, type Group } from "@/db/schema";
import { companyRateLimitColumns, type CompanyRateLimitRow } from "@/db/queries/rate-limits";

export type CompanyMembership = {
  companyId: string;
  companyName: string;
  companySlug: string;
  groups: Group[];
} & CompanyRateLimitRow;

const membershipColumns = {
  companyId: companies.id,
  companyName: companies.name,
  companySlug: companies.slug,
  groups: memberships.groups,
  ...companyRateLimitColumns,
};

/** An active member of an active company that is not being deleted. */
const usableMembership = and(
  eq(memberships.isActive, true),
  eq(companies.isActive, true),
  isNull(companies.deletionRequestedAt),
);

/** The user's active membership of one active company, or null. */
export async function findMembership({
  userId,
  companyId,
}: {
  userId: string;
  companyId: string;
}): Promise<CompanyMembership | null> {
  const db = await getDb();
  const [row] = await db
    .select(membershipColumns)
    .from(memberships)
    .innerJoin(companies, eq(companies.id, memberships.companyId))
    .where(and(eq(memberships.userId, userId), eq(memberships.companyId, companyId), usableMembership))
    .limit(1);
  return row ?? null;
}

/** The company's member whose user id or email is `idOrEmail` (either compared case-insensitively), or null. */
export async function findCompanyMember({
  companyId,
  idOrEmail,
}: {
  companyId: string;
  idOrEmail: string;
}): Promise<{ id: string; email: string | null } | null> {
  const db = await getDb();
  const wanted = idOrEmail.toLowerCase();
  const [member] = await db
    .select({ id: users.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.companyId, companyId),
        or(eq(sql`lower(${users.id})`, wanted), eq(sql`lower(${users.email})`, wanted)),
      ),
    )
    .limit(1);
  return member ?? null;
}

/** Every active company the user belongs to, by name. */
export async function listMemberships({ userId }: { userId: string }): Promise<CompanyMembership[]> {
  const db = await getDb();
  return db
    .select(membershipColumns)
    .from(memberships)
    .innerJoin(companies, eq(companies.id, memberships.companyId))
    .where(and(eq(memberships.userId, userId), usableMembership))
    .orderBy(asc(companies.name));
}

/** The membership to act in: the requested company when the user belongs to it, else their first. */
export async function resolveMembership({
  userId,
  preferredCompanyId,
}: {
  userId: string;
  preferredCompanyId?: string | null;
}): Promise<CompanyMembership | null> {
  if (preferredCompanyId && isUuid(preferredCompanyId)) {
    const preferred = await findMembership({ userId, companyId: preferredCompanyId });
    if (preferred) return preferred;
  }
  const [first] = await listMemberships({ userId });
  return first ?? null;
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
