import "server-only";
import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { slugify } from "@/db/queries/companies";
import { companies, memberships, type Company } from "@/db/schema";

/** A company as a platform admin sees it: with what it holds. */
export type Tenant = Company & { memberCount: number; jobCount: number; contactCount: number };

// Scalar subqueries, each an index range of one company (memberships, jobs and contacts all lead an index with it).
// Written out: in a one-table select drizzle leaves its columns unqualified, which a subquery would read as its own.
const countOf = (table: "memberships" | "jobs" | "contacts") =>
  sql<number>`(select count(*) from ${sql.identifier(table)} counted where counted.company_id = "companies"."id")`.mapWith(
    Number,
  );

const tenantColumns = {
  company: companies,
  memberCount: countOf("memberships"),
  jobCount: countOf("jobs"),
  contactCount: countOf("contacts"),
};

const toTenant = ({
  company,
  ...counts
}: {
  company: Company;
  memberCount: number;
  jobCount: number;
  contactCount: number;
}): Tenant => ({
  ...company,
  ...counts,
});

/** One page of every company, oldest first (a company being deleted stays listed until its row goes). */
export async function listTenants({ limit, offset }: { limit: number; offset: number }): Promise<Tenant[]> {
  const db = await getDb();
  const rows = await db
    .select(tenantColumns)
    .from(companies)
    .orderBy(asc(companies.createdAt), asc(companies.id))
    .limit(limit)
    .offset(offset);
  return rows.map(toTenant);
}

export async function countTenants(): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ tenants: count() }).from(companies);
  return row?.tenants ?? 0;
}

export async function findTenant({ companyId }: { companyId: string }): Promise<Tenant | null> {
  const db = await getDb();
  const [row] = await db.select(tenantColumns).from(companies).where(eq(companies.id, companyId)).limit(1);
  return row ? toTenant(row) : null;
}

/** A new company named `name`, its slug taken from the name (with a short suffix when another company has it). */
export async function insertTenant({ name }: { name: string }): Promise<Company> {
  const db = await getDb();
  const base = slugify(name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${crypto.randomUUID().slice(0, 6)}`;
    const [company] = await db.insert(companies).values({ name, slug }).onConflictDoNothing().returning();
    if (company) return company;
  }
  throw new Error(`no free slug for '${name}'`);
}

export type TenantPatch = Partial<
  Pick<Company, "name" | "isActive" | "rateLimitPerMinute" | "rateLimitPerHour" | "rateLimitPerDay">
>;

/** Changes a company that is not being deleted; null when there is no such company (or it is being deleted). */
export async function updateTenant({
  companyId,
  patch,
}: {
  companyId: string;
  patch: TenantPatch;
}): Promise<Company | null> {
  const db = await getDb();
  const [company] = await db
    .update(companies)
    .set(patch)
    .where(and(eq(companies.id, companyId), isNull(companies.deletionRequestedAt)))
    .returning();
  return company ?? null;
}

/**
 * Marks the company as being deleted (from now on it is gone to its members and keys); asking again
 * keeps the first time and what was removed so far. Null when there is no such company.
 */
export async function markTenantForDeletion({ companyId }: { companyId: string }): Promise<Company | null> {
  const db = await getDb();
  const [company] = await db
    .update(companies)
    .set({
      deletionRequestedAt: sql`coalesce(${companies.deletionRequestedAt}, now())`,
      deletionProgress: sql`coalesce(${companies.deletionProgress}, '{}'::jsonb)`,
    })
    .where(eq(companies.id, companyId))
    .returning();
  return company ?? null;
}

/**
 * The suspended company (active membership, company switched off by a platform admin, not being
 * deleted) the user belongs to: that one when `companyId` is given, else any. Null when there is none.
 */
export async function findSuspendedMembership({
  userId,
  companyId,
}: {
  userId: string;
  companyId: string | null;
}): Promise<{ companyId: string; companyName: string } | null> {
  const db = await getDb();
  const [row] = await db
    .select({ companyId: companies.id, companyName: companies.name })
    .from(memberships)
    .innerJoin(companies, eq(companies.id, memberships.companyId))
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.isActive, true),
        eq(companies.isActive, false),
        isNull(companies.deletionRequestedAt),
        companyId ? eq(companies.id, companyId) : undefined,
      ),
    )
    .orderBy(asc(companies.name))
    .limit(1);
  return row ?? null;
}
