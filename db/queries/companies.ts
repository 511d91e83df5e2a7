import "server-only";
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { companies, memberships, type Company, type Group } from "@/db/schema";

export function slugify(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "company"
  );
}

export async function findCompanyBySlug({ slug }: { slug: string }): Promise<Company | null> {
  const db = await getDb();
  const [company] = await db.select().from(companies).where(eq(companies.slug, slug)).limit(1);
  return company ?? null;
}

/** The company with this name's slug, created when missing. */
export async function ensureCompany({ name }: { name: string }): Promise<Company> {
  const db = await getDb();
  const slug = slugify(name);
  await db.insert(companies).values({ name, slug }).onConflictDoNothing({ target: companies.slug });
  const company = await findCompanyBySlug({ slug });
  if (!company) throw new Error(`company '${slug}' vanished right after it was created`);
  return company;
}

/** Adds the user to the company with these groups, or sets their groups when already a member. */
export async function upsertMembership({
  companyId,
  userId,
  groups,
}: {
  companyId: string;
  userId: string;
  groups: Group[];
}): Promise<void> {
  const db = await getDb();
  await db
    .insert(memberships)
    .values({ companyId, userId, groups })
    .onConflictDoUpdate({ target: [memberships.companyId, memberships.userId], set: { groups } });
}

export type CompanyWithMemberCount = Company & { memberCount: number };

/** Active companies with these ids, by name. */
export async function listActiveCompanies({ ids }: { ids: string[] }): Promise<Company[]> {
  if (ids.length === 0) return [];
  const db = await getDb();
  return db
    .select()
    .from(companies)
    .where(and(inArray(companies.id, ids), eq(companies.isActive, true)))
    .orderBy(asc(companies.name));
}

/** The active company with its number of members, or null. */
export async function findActiveCompanyWithMemberCount({
  companyId,
}: {
  companyId: string;
}): Promise<CompanyWithMemberCount | null> {
  const db = await getDb();
  const [row] = await db
    .select({ company: companies, memberCount: count(memberships.id) })
    .from(companies)
    .leftJoin(memberships, eq(memberships.companyId, companies.id))
    .where(and(eq(companies.id, companyId), eq(companies.isActive, true)))
    .groupBy(companies.id)
    .limit(1);
  return row ? { ...row.company, memberCount: row.memberCount } : null;
}

/** Sets the company's name (its slug stays); null when there is no such company. */
export async function renameCompany({ companyId, name }: { companyId: string; name: string }): Promise<Company | null> {
  const db = await getDb();
  const [company] = await db.update(companies).set({ name }).where(eq(companies.id, companyId)).returning();
  return company ?? null;
}
