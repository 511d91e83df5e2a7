import "server-only";
import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { slugify } from "@/db/queries/companies";
import { normaliseEmail } from "@/db/queries/users";
import { companies, memberships, users, type Company, type Group } from "@/db/schema";

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

/**
 * A new company named `name`, its slug taken from the name (with a short suffix when another company
 * has it); with a first admin when one is given: an existing account by email, or a new one with this
 * password hash. All in one transaction.
 */
export async function insertTenant({
  name,
  firstAdmin,
}: {
  name: string;
  firstAdmin: { email: string; passwordHash: string | null } | null;
}): Promise<{ company: Company; adminUserId: string | null; adminCreated: boolean }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const base = slugify(name);
    let company: Company | undefined;
    for (let attempt = 0; !company; attempt++) {
      const slug = attempt === 0 ? base : `${base}-${crypto.randomUUID().slice(0, 6)}`;
      [company] = await tx.insert(companies).values({ name, slug }).onConflictDoNothing().returning();
      if (attempt > 5 && !company) throw new Error(`no free slug for '${name}'`);
    }
    if (!firstAdmin) return { company, adminUserId: null, adminCreated: false };
    const email = normaliseEmail(firstAdmin.email);
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(sql`lower(${users.email})`, email))
      .limit(1);
    const adminUserId =
      existing?.id ??
      (await tx.insert(users).values({ email, passwordHash: firstAdmin.passwordHash }).returning({ id: users.id }))[0]
        ?.id;
    if (!adminUserId) throw new Error("the first admin's account was not created");
    const groups: Group[] = ["admin"];
    await tx.insert(memberships).values({ companyId: company.id, userId: adminUserId, groups });
    return { company, adminUserId, adminCreated: !existing };
  });
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
